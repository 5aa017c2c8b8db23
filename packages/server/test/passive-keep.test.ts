/**
 * passive.keepListening: a session's passive port stays open between transfers, refuses every
 * connection while not armed, takes only the control peer when armed, and closes when unused.
 */
import net from 'node:net';
import { parsePasvReply } from '@ftpkit/codec';
import { describe, expect, it } from 'vitest';
import { connectData, type RawClient, readAll } from './support/raw-client.ts';
import { startServer } from './support/server.ts';

async function pasvPort(c: RawClient): Promise<number> {
  const reply = await c.send('PASV');
  expect(reply.code).toBe(227);
  return parsePasvReply(reply.lines.at(-1)!).port;
}

async function retr(c: RawClient, port: number, path = '/pub/readme.txt'): Promise<string> {
  const data = await connectData('127.0.0.1', port);
  const preliminary = await c.send(`RETR ${path}`);
  expect(preliminary.code).toBe(150);
  const body = (await readAll(data)).toString();
  const final = preliminary.lines.some((l) => l.startsWith('226')) ? undefined : await c.read();
  if (final !== undefined) expect(final.code).toBe(226);
  return body;
}

/** What a connection to `port` meets: refused (nothing listens), or accepted then closed with no data. */
function probe(port: number, localAddress?: string): Promise<'refused' | 'closed'> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port, ...(localAddress ? { localAddress } : {}) });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') resolve('refused');
      else if (error.code === 'ECONNRESET') resolve('closed');
      else reject(error);
    });
    socket.on('data', () => reject(new Error('unexpected data')));
    socket.on('close', (hadError) => {
      if (!hadError) resolve('closed');
    });
  });
}

describe('passive.keepListening', () => {
  it('by default one session reuses its passive port across transfers, and refuses strays between them', async () => {
    const f = await startServer();
    const c = await f.login();
    const first = await pasvPort(c);
    expect(await retr(c, first)).toBe('hello\r\n');
    // Between transfers: nothing is expected, a connection is closed at once.
    expect(await probe(first)).toBe('closed');
    const second = await pasvPort(c);
    expect(second).toBe(first);
    expect(await retr(c, second)).toBe('hello\r\n');
    expect((await c.send('NOOP')).code).toBe(200);
  });

  it('an unused port closes after keepListening ms, and the next PASV opens a new one', async () => {
    const f = await startServer({ passive: { keepListening: 50 } });
    const c = await f.login();
    const first = await pasvPort(c);
    await retr(c, first);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await probe(first)).toBe('refused');
    const next = await pasvPort(c);
    expect(await retr(c, next)).toBe('hello\r\n');
  });

  it('keepListening 0, a port range, or dataPeerMustMatch false: a fresh port per transfer', async () => {
    for (const options of [
      { passive: { keepListening: 0 } },
      { dataPeerMustMatch: false },
      { passive: { portRange: { min: 0, max: 0 } } },
    ]) {
      if ('passive' in options && 'portRange' in options.passive) {
        // A free range of ports for this run.
        const probeServer = net.createServer();
        await new Promise<void>((resolve) => probeServer.listen(0, '127.0.0.1', resolve));
        const port = (probeServer.address() as net.AddressInfo).port;
        await new Promise<void>((resolve) => probeServer.close(() => resolve()));
        options.passive.portRange = { min: port, max: port };
      }
      const f = await startServer(options);
      const c = await f.login();
      const first = await pasvPort(c);
      expect(await retr(c, first)).toBe('hello\r\n');
      // The listener closed once it accepted its connection.
      expect(await probe(first)).toBe('refused');
    }
  });

  it('an armed port takes only the control peer: a foreign connection gets 425 and closes the port', async () => {
    const f = await startServer();
    const c = await f.login();
    const port = await pasvPort(c);
    await retr(c, port);
    expect(await pasvPort(c)).toBe(port);
    const stranger = await connectData('127.0.0.1', port, '127.0.0.2');
    await readAll(stranger).catch(() => Buffer.alloc(0));
    expect(await c.cmd('RETR /pub/readme.txt')).toBe(
      '425 Security: data connection from a foreign address refused.',
    );
    expect(await probe(port)).toBe('refused');
    const fresh = await pasvPort(c);
    expect(fresh).not.toBe(port);
    expect(await retr(c, fresh)).toBe('hello\r\n');
  });

  it('the kept port closes with its session', async () => {
    const f = await startServer();
    const c = await f.login();
    const port = await pasvPort(c);
    await retr(c, port);
    await c.quit();
    for (let i = 0; i < 50 && (await probe(port)) !== 'refused'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await probe(port)).toBe('refused');
  });
});
