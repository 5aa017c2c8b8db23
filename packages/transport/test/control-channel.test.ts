import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { type ControlChannel, type ControlItem, listenControl, TransportErrorCodes } from '../src/index.ts';
import { controlPair, delay, nextItem, nextLine, rejectionOf, useLeakCheck } from './helpers.ts';

useLeakCheck();

/** A raw TCP client against a listening control channel server, for byte-level tests. */
async function rawClient(options: ConstructorParameters<typeof ControlChannel>[1] = {}) {
  let resolveChannel!: (c: ControlChannel) => void;
  const channelPromise = new Promise<ControlChannel>((r) => {
    resolveChannel = r;
  });
  const listener = await listenControl({ channel: options, onConnection: resolveChannel });
  const raw = net.connect({ host: listener.host, port: listener.port });
  raw.on('error', () => {});
  const channel = await channelPromise;
  await listener.close();
  return {
    raw,
    channel,
    async close() {
      raw.destroy();
      channel.destroy();
      await channel.whenClosed();
      if (!raw.closed) await new Promise((r) => raw.once('close', r));
    },
  };
}

describe('ControlChannel framing', () => {
  it('yields CRLF lines and tolerates bare LF (RFC 959 §4.1.3)', async () => {
    const { raw, channel, close } = await rawClient();
    raw.write('USER anonymous\r\nPASS x\nNOOP\r');
    expect(await nextLine(channel)).toBe('USER anonymous');
    expect(await nextLine(channel)).toBe('PASS x');
    raw.write('\n');
    expect(await nextLine(channel)).toBe('NOOP');
    await close();
  });

  it('recognises the Telnet synch (IAC IP, IAC DM) before ABOR', async () => {
    const { raw, channel, close } = await rawClient();
    raw.write(Buffer.from([0xff, 0xf4, 0xff, 0xf2]));
    raw.write('ABOR\r\n');
    const items: ControlItem[] = [];
    while (items.length < 3) items.push(await nextItem(channel));
    expect(
      items.map((i) => (i.type === 'telnet' ? i.command : i.type === 'line' ? i.text : 'error')),
    ).toEqual(['IP', 'DM', 'ABOR']);
    await close();
  });

  it('reports an over-long line once, discards its rest, and keeps memory bounded (1 MB, no newline)', async () => {
    const { raw, channel, close } = await rawClient({ maxLineLength: 512 });
    const mb = Buffer.alloc(1 << 20, 0x41);
    raw.write(mb);
    const first = await nextItem(channel);
    expect(first.type).toBe('error');
    if (first.type === 'error') expect(first.error.code).toBe('FTPKIT_ERR_LINE_TOO_LONG');
    raw.write('\r\nNOOP\r\n');
    expect(await nextLine(channel)).toBe('NOOP');
    await close();
  });

  it('pauses the socket while the consumer is behind (backpressure) and resumes when it reads', async () => {
    const { raw, channel, close } = await rawClient({ highWaterMark: 4 });
    const lines = Array.from({ length: 2000 }, (_, i) => `NOOP ${i}\r\n`).join('');
    raw.write(lines);
    await delay(50);
    expect(channel.socket.isPaused()).toBe(true);
    for (let i = 0; i < 2000; i++) expect(await nextLine(channel)).toBe(`NOOP ${i}`);
    await close();
  });

  it('writes in order and resolves when written', async () => {
    const pair = await controlPair();
    await Promise.all(Array.from({ length: 100 }, (_, i) => pair.server.writeLine(`200 line ${i}`)));
    for (let i = 0; i < 100; i++) expect(await nextLine(pair.client)).toBe(`200 line ${i}`);
    await pair.close();
  });

  it('ends iteration cleanly when the peer closes between lines', async () => {
    const pair = await controlPair();
    await pair.client.writeLine('QUIT');
    await pair.client.close();
    const seen: string[] = [];
    for await (const item of pair.server) if (item.type === 'line') seen.push(item.text);
    expect(seen).toEqual(['QUIT']);
    await pair.close();
  });

  it('writing after close rejects with CONNECTION_CLOSED', async () => {
    const pair = await controlPair();
    await pair.close();
    const error = await rejectionOf(pair.server.writeLine('200 late'));
    expect(error).toMatchObject({ code: TransportErrorCodes.CONNECTION_CLOSED });
  });
});

describe('ControlChannel faults', () => {
  it('a peer that connects and sends nothing hits the idle timeout; onIdle can say 421 first', async () => {
    const { raw, channel, close } = await rawClient({
      idleTimeout: 200,
      onIdle: (c) => c.writeLine('421 Timeout.'),
    });
    const received: Buffer[] = [];
    raw.on('data', (d: Buffer) => received.push(d));
    const error = await rejectionOf(channel.next());
    expect(error).toMatchObject({ code: TransportErrorCodes.TIMEOUT });
    await channel.whenClosed();
    if (!raw.readableEnded) await new Promise((r) => raw.once('end', r));
    expect(Buffer.concat(received).toString()).toBe('421 Timeout.\r\n');
    await close();
  });

  it('a peer that trickles one byte at a time hits the line timeout', async () => {
    const { raw, channel, close } = await rawClient({ lineTimeout: 200, idleTimeout: 5000 });
    const timer = setInterval(() => {
      if (!raw.destroyed) raw.write('U');
    }, 20);
    const error = await rejectionOf(channel.next());
    clearInterval(timer);
    expect(error).toMatchObject({ code: TransportErrorCodes.TIMEOUT });
    await close();
  });

  it('a peer that disconnects mid-line yields CONNECTION_CLOSED', async () => {
    const { raw, channel, close } = await rawClient();
    raw.end('USER half');
    const error = await rejectionOf(channel.next());
    expect(error).toMatchObject({ code: TransportErrorCodes.CONNECTION_CLOSED });
    await close();
  });

  it('a reset connection yields CONNECTION_CLOSED, not an unhandled error', async () => {
    const { raw, channel, close } = await rawClient();
    raw.write('USER x');
    await delay(20);
    raw.resetAndDestroy();
    const error = await rejectionOf(channel.next());
    expect(error).toMatchObject({ code: TransportErrorCodes.CONNECTION_CLOSED });
    await close();
  });

  it('next({ timeout }) bounds a single wait without closing the channel', async () => {
    const pair = await controlPair();
    const error = await rejectionOf(pair.client.next({ timeout: 100 }));
    expect(error).toMatchObject({ code: TransportErrorCodes.TIMEOUT });
    await pair.server.writeLine('220 still here');
    expect(await nextLine(pair.client)).toBe('220 still here');
    await pair.close();
  });

  it('a read answered in time is not failed later by its timeout (one lazy timer per channel)', async () => {
    const pair = await controlPair();
    const answered = pair.client.next({ timeout: 30 });
    await pair.server.writeLine('150 here');
    expect((await answered).value).toMatchObject({ text: '150 here' });
    // The next read has no limit: the first read's timer must not reject it when it fires.
    const unbounded = pair.client.next();
    await delay(80);
    await pair.server.writeLine('226 done');
    expect((await unbounded).value).toMatchObject({ text: '226 done' });
    await pair.close();
  });

  it('a shorter timeout after a longer one still fires, with its own limit in the message', async () => {
    const pair = await controlPair();
    const first = pair.client.next({ timeout: 60_000 });
    await pair.server.writeLine('200 ok');
    await first;
    const error = await rejectionOf(pair.client.next({ timeout: 20 }));
    expect(error).toMatchObject({ code: TransportErrorCodes.TIMEOUT });
    expect((error as Error).message).toContain('20 ms');
    await pair.close();
  });

  it('setReadTimeout bounds a read already waiting without its own timeout, then later ones', async () => {
    const pair = await controlPair();
    const waiting = pair.client.next();
    pair.client.setReadTimeout(20);
    expect(await rejectionOf(waiting)).toMatchObject({ code: TransportErrorCodes.TIMEOUT });
    expect(await rejectionOf(pair.client.next())).toMatchObject({ code: TransportErrorCodes.TIMEOUT });
    // An explicit timeout (0 = none) overrides the default; 0 lifts it.
    const explicit = pair.client.next({ timeout: 0 });
    await delay(60);
    await pair.server.writeLine('220 still here');
    expect((await explicit).value).toMatchObject({ text: '220 still here' });
    pair.client.setReadTimeout(0);
    const lifted = pair.client.next();
    await delay(60);
    await pair.server.writeLine('221 bye');
    expect((await lifted).value).toMatchObject({ text: '221 bye' });
    await pair.close();
  });

  it('setReadTimeout leaves a waiting read with its own timeout alone, and rejects bad values', async () => {
    const pair = await controlPair();
    const own = pair.client.next({ timeout: 0 });
    pair.client.setReadTimeout(20);
    await delay(60);
    await pair.server.writeLine('200 ok');
    expect((await own).value).toMatchObject({ text: '200 ok' });
    expect(() => pair.client.setReadTimeout(-1)).toThrow(
      expect.objectContaining({ code: TransportErrorCodes.INVALID_ARGUMENT }),
    );
    await pair.close();
  });

  it('a timeout together with a signal: the timeout fires, the signal still aborts', async () => {
    const pair = await controlPair();
    const ac = new AbortController();
    expect(await rejectionOf(pair.client.next({ timeout: 20, signal: ac.signal }))).toMatchObject({
      code: TransportErrorCodes.TIMEOUT,
    });
    const p = pair.client.next({ timeout: 60_000, signal: ac.signal });
    ac.abort();
    expect(await rejectionOf(p)).toMatchObject({ code: TransportErrorCodes.ABORTED });
    await pair.close();
  });

  it('next({ signal }) rejects with ABORTED', async () => {
    const pair = await controlPair();
    const ac = new AbortController();
    const p = pair.client.next({ signal: ac.signal });
    ac.abort();
    expect(await rejectionOf(p)).toMatchObject({ code: TransportErrorCodes.ABORTED });
    await pair.close();
  });

  it('works over IPv6', async () => {
    const pair = await controlPair({ host: '::1' });
    expect(pair.server.remoteAddress).toBe('::1');
    await pair.client.writeLine('FEAT');
    expect(await nextLine(pair.server)).toBe('FEAT');
    await pair.close();
  });
});
