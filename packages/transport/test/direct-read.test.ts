/**
 * connectPassive({ directRead: true }): the receive side reads through net's `onread` into the
 * channel's own batches. Same outcomes as the stream path: every byte in order, EOF is the end,
 * a reset (even one Linux reports as EOF) or an abort is a TransferAbortedError.
 */
import { randomBytes } from 'node:crypto';
import { PassThrough, Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  AsciiDecoder,
  connectPassive,
  openPassiveListener,
  TransferAbortedError,
  TransportErrorCodes,
} from '../src/index.ts';
import { delay, rejectionOf, useLeakCheck } from './helpers.ts';

useLeakCheck();

async function directPair() {
  const listener = await openPassiveListener({ controlPeerAddress: '127.0.0.1' });
  const client = await connectPassive({ host: '127.0.0.1', port: listener.port, directRead: true });
  const server = await listener.accept();
  return { listener, client, server };
}

function collector(options: { highWaterMark?: number; delayMs?: number } = {}) {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    ...(options.highWaterMark === undefined ? {} : { highWaterMark: options.highWaterMark }),
    write(chunk: Buffer, _e, cb) {
      chunks.push(Buffer.from(chunk));
      if (options.delayMs === undefined) cb();
      else setTimeout(cb, options.delayMs);
    },
  });
  return { stream, chunks, data: () => Buffer.concat(chunks) };
}

describe('direct reads (onread) on the receive side', () => {
  it('receives a multi-MiB file intact, in chunks no larger than the destination asks for', async () => {
    const { listener, client, server } = await directPair();
    const payload = randomBytes(5 * 1024 * 1024 + 123);
    const out = collector({ highWaterMark: 1024 * 1024 });
    const [sent, received] = await Promise.all([
      server.send(
        Readable.from(
          (function* () {
            for (let i = 0; i < payload.length; i += 100_000) yield payload.subarray(i, i + 100_000);
          })(),
        ),
      ),
      client.receive(out.stream),
    ]);
    expect(sent.bytes).toBe(payload.length);
    expect(received.bytes).toBe(payload.length);
    expect(out.data().equals(payload)).toBe(true);
    expect(Math.max(...out.chunks.map((c) => c.length))).toBeLessThanOrEqual(1024 * 1024);
    await client.whenClosed();
    await listener.close();
  });

  it('a small file that ended before receive() was called arrives whole', async () => {
    const { listener, client, server } = await directPair();
    server.socket.resume();
    server.socket.end(Buffer.from('small file\n'));
    await delay(50);
    const out = collector();
    const result = await client.receive(out.stream);
    expect(result.bytes).toBe(11);
    expect(out.data().toString()).toBe('small file\n');
    await client.whenClosed();
    await listener.close();
  });

  it('a peer reset after the data is an abort, never a clean EOF', async () => {
    const { listener, client, server } = await directPair();
    server.socket.on('error', () => {});
    await new Promise<void>((resolve) => server.socket.write('PARTIAL-FILE', () => resolve()));
    await delay(20);
    server.socket.resetAndDestroy();
    await delay(50);
    const out = collector();
    const error = await rejectionOf(client.receive(out.stream));
    expect(error).toBeInstanceOf(TransferAbortedError);
    await listener.close();
  });

  it('follows a slow destination (backpressure) without losing or reordering bytes', async () => {
    const { listener, client, server } = await directPair();
    const payload = randomBytes(2 * 1024 * 1024);
    const out = collector({ highWaterMark: 16 * 1024, delayMs: 1 });
    const source = new PassThrough();
    const sending = server.send(source);
    source.end(payload);
    const [, received] = await Promise.all([sending, client.receive(out.stream)]);
    expect(received.bytes).toBe(payload.length);
    expect(out.data().equals(payload)).toBe(true);
    // A 16 KiB highWaterMark gets read-sized chunks (64 KiB at most), not 1 MiB batches.
    expect(Math.max(...out.chunks.map((c) => c.length))).toBeLessThanOrEqual(64 * 1024);
    await listener.close();
  });

  it('an abort by signal mid-transfer rejects as aborted and destroys the destination', async () => {
    const { listener, client, server } = await directPair();
    server.socket.on('error', () => {});
    const source = new PassThrough();
    void server.send(source).catch(() => {});
    source.write(randomBytes(256 * 1024));
    const controller = new AbortController();
    const out = collector();
    const receiving = rejectionOf(client.receive(out.stream, { signal: controller.signal }));
    await delay(30);
    controller.abort();
    const error = await receiving;
    expect(error).toBeInstanceOf(TransferAbortedError);
    expect(out.stream.destroyed).toBe(true);
    source.destroy();
    await client.whenClosed();
    await server.whenClosed();
    await listener.close();
  });

  it('passes through transforms', async () => {
    const { listener, client, server } = await directPair();
    server.socket.resume();
    server.socket.end(Buffer.from('a\r\nb\r\n'));
    const out = collector();
    await client.receive(out.stream, { transforms: [new AsciiDecoder()] });
    expect(out.data().toString()).toBe('a\nb\n');
    await client.whenClosed();
    await listener.close();
  });

  it('send() still works on such a connection; TLS cannot start on it', async () => {
    const { listener, client, server } = await directPair();
    expect(() => client.startTlsClient({ host: '127.0.0.1' })).toThrow(
      expect.objectContaining({ code: TransportErrorCodes.INVALID_STATE }),
    );
    const out = collector();
    const source = new PassThrough();
    source.end(Buffer.from('upload'));
    await Promise.all([client.send(source), server.receive(out.stream)]);
    expect(out.data().toString()).toBe('upload');
    await client.whenClosed();
    await listener.close();
  });

  it('close() without a transfer closes the connection', async () => {
    const { listener, client, server } = await directPair();
    server.socket.resume();
    server.socket.end(Buffer.alloc(200_000, 1));
    await client.close();
    await server.whenClosed();
    await listener.close();
  });

  it('small files in a row reuse first batches, but a chunk kept by one destination never changes', async () => {
    // The first 64 KiB batch goes back to a spare list when its connection closes; what was
    // handed out from it must be a copy, or the next file would overwrite the previous one.
    const kept: Buffer[] = [];
    for (let i = 0; i < 6; i++) {
      const { listener, client, server } = await directPair();
      const payload = Buffer.alloc(3000 + i, 0x41 + i);
      server.socket.resume();
      server.socket.end(payload);
      const chunks: Buffer[] = [];
      const destination = new Writable({
        write(chunk: Buffer, _e, cb) {
          chunks.push(chunk); // kept as handed over, not copied
          cb();
        },
      });
      const result = await client.receive(destination);
      expect(result.bytes).toBe(payload.length);
      kept.push(Buffer.concat(chunks));
      for (const chunk of chunks) kept.push(chunk);
      await client.close();
      await client.whenClosed();
      await server.whenClosed();
      await listener.close();
    }
    for (let i = 0; i < 6; i++) {
      const whole = kept.filter((b) => b.length >= 3000 && b.length === 3000 + i);
      for (const b of whole) expect(b.equals(Buffer.alloc(3000 + i, 0x41 + i))).toBe(true);
    }
  });

  it('a file larger than the first batch arrives whole across the switch to large batches', async () => {
    const { listener, client, server } = await directPair();
    const payload = randomBytes(300 * 1024 + 7);
    server.socket.resume();
    server.socket.end(payload);
    await delay(30);
    const out = collector();
    const result = await client.receive(out.stream);
    expect(result.bytes).toBe(payload.length);
    expect(out.data().equals(payload)).toBe(true);
    await client.whenClosed();
    await listener.close();
  });
});
