import net from 'node:net';
import { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  connectPassive,
  openPassivePort,
  type PassiveListener,
  PassivePortPool,
  TransportErrorCodes,
} from '../src/index.ts';
import { rejectionOf, useLeakCheck } from './helpers.ts';

useLeakCheck();

const PEER = { controlPeerAddress: '127.0.0.1' };

/** Resolves once a raw connection to `port` ends: 'refused' or 'closed' (accepted, then closed). */
function probe(port: number): Promise<'refused' | 'closed'> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.on('error', (error: NodeJS.ErrnoException) =>
      resolve(error.code === 'ECONNREFUSED' ? 'refused' : 'closed'),
    );
    socket.on('close', () => resolve('closed'));
    socket.resume();
  });
}

async function transferOne(port: number, listener: PassiveListener) {
  const client = await connectPassive({ host: '127.0.0.1', port });
  const server = await listener.accept();
  const received: Buffer[] = [];
  await Promise.all([
    server.send(Readable.from([Buffer.from('payload')])),
    client.receive(
      new Writable({
        write(chunk: Buffer, _e, cb) {
          received.push(chunk);
          cb();
        },
      }),
    ),
  ]);
  await Promise.all([client.close(), server.whenClosed()]);
  return Buffer.concat(received).toString();
}

describe('openPassivePort', () => {
  it('serves one expected connection after another on the same port and refuses strays between', async () => {
    const pool = new PassivePortPool();
    const port = await openPassivePort({ pool });
    expect(pool.inUse).toBe(1);
    expect(await transferOne(port.port, port.expect(PEER))).toBe('payload');
    expect(await probe(port.port)).toBe('closed');
    expect(port.closed).toBe(false);
    expect(await transferOne(port.port, port.expect(PEER))).toBe('payload');
    await port.close();
    expect(port.closed).toBe(true);
    expect(pool.inUse).toBe(0);
    expect(await probe(port.port)).toBe('refused');
  });

  it('one expectation at a time; a disarmed one leaves the port open', async () => {
    const port = await openPassivePort();
    const first = port.expect(PEER);
    expect(() => port.expect(PEER)).toThrow(
      expect.objectContaining({ code: TransportErrorCodes.INVALID_STATE }),
    );
    await first.close();
    expect(await rejectionOf(first.accept())).toMatchObject({ code: TransportErrorCodes.ABORTED });
    expect(port.closed).toBe(false);
    expect(await transferOne(port.port, port.expect(PEER))).toBe('payload');
    await port.close();
    expect(() => port.expect(PEER)).toThrow(
      expect.objectContaining({ code: TransportErrorCodes.INVALID_STATE }),
    );
  });

  it('a failed expectation (timeout) closes the port and returns it to the pool', async () => {
    const pool = new PassivePortPool();
    const port = await openPassivePort({ pool });
    const listener = port.expect({ ...PEER, acceptTimeout: 30 });
    expect(await rejectionOf(listener.accept())).toMatchObject({ code: TransportErrorCodes.TIMEOUT });
    expect(port.closed).toBe(true);
    await port.whenReleased();
    expect(pool.inUse).toBe(0);
  });

  it('a wrong peer fails the expectation and closes the port', async () => {
    const port = await openPassivePort();
    const listener = port.expect({ controlPeerAddress: '127.0.0.9' });
    const refused = rejectionOf(listener.accept());
    await probe(port.port);
    expect(await refused).toMatchObject({ code: TransportErrorCodes.DATA_PEER_MISMATCH });
    expect(port.closed).toBe(true);
  });

  it('stays leased while a data connection from it is open after close()', async () => {
    const pool = new PassivePortPool();
    const port = await openPassivePort({ pool });
    const listener = port.expect(PEER);
    const client = await connectPassive({ host: '127.0.0.1', port: port.port });
    const server = await listener.accept();
    let released = false;
    void port.whenReleased().then(() => {
      released = true;
    });
    void port.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(released).toBe(false);
    expect(pool.inUse).toBe(1);
    server.abort();
    client.abort();
    await port.whenReleased();
    expect(pool.inUse).toBe(0);
  });
});
