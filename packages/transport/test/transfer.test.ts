import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { tempDir } from '@ftpkit/test-utils';
import { describe, expect, it } from 'vitest';
import {
  AsciiDecoder,
  AsciiEncoder,
  ByteCounter,
  CHUNK_WRITTEN,
  connectPassive,
  openPassiveListener,
  Throttle,
  TransferAbortedError,
  TransportErrorCodes,
} from '../src/index.ts';
import { delay, rejectionOf, useLeakCheck } from './helpers.ts';

useLeakCheck();

async function dataPair(options: Parameters<typeof openPassiveListener>[0] = {}) {
  const listener = await openPassiveListener({ controlPeerAddress: '127.0.0.1', ...options });
  const client = await connectPassive({ host: '127.0.0.1', port: listener.port });
  const server = await listener.accept();
  return { listener, client, server };
}

async function through(transform: NodeJS.ReadWriteStream, chunks: (string | Buffer)[]): Promise<Buffer> {
  const out: Buffer[] = [];
  await pipeline(
    Readable.from(chunks.map((c) => Buffer.from(c))),
    transform,
    new Writable({
      write(c: Buffer, _e, cb) {
        out.push(c);
        cb();
      },
    }),
  );
  return Buffer.concat(out);
}

/** Every split of `text` into two chunks must give the same result (STYLE habit 3). */
async function everySplit(make: () => NodeJS.ReadWriteStream, text: string): Promise<Set<string>> {
  const results = new Set<string>();
  for (let cut = 0; cut <= text.length; cut++) {
    results.add((await through(make(), [text.slice(0, cut), text.slice(cut)])).toString('latin1'));
  }
  return results;
}

describe('transfers', () => {
  it('receive(): a peer reset before the receiver reads is an abort, never a clean EOF', async () => {
    const { listener, client, server } = await dataPair();
    client.socket.on('error', () => {});
    // A client sends part of a file and crashes (RST) before the server starts reading (the
    // listener pauses accepted sockets). Linux then reports EOF after the queued bytes, not
    // ECONNRESET: without the reset probe a truncated upload would pass for a whole file.
    await new Promise<void>((resolve) => client.socket.write('PARTIAL-FILE', () => resolve()));
    await delay(20);
    client.socket.resetAndDestroy();
    await delay(50);
    const chunks: Buffer[] = [];
    const error = await rejectionOf(
      server.receive(
        new Writable({
          write(c: Buffer, _e, cb) {
            chunks.push(c);
            cb();
          },
        }),
      ),
    );
    expect(error).toBeInstanceOf(TransferAbortedError);
    expect((error as TransferAbortedError).bytes).toBe('PARTIAL-FILE'.length);
    await listener.close();
  });

  it('receive(): a clean FIN after the data still resolves (the reset probe sends nothing)', async () => {
    const { listener, client, server } = await dataPair();
    client.socket.resume();
    client.socket.end(Buffer.alloc(1024 * 1024, 2));
    await delay(50);
    const chunks: Buffer[] = [];
    const result = await server.receive(
      new Writable({
        write(c: Buffer, _e, cb) {
          chunks.push(c);
          cb();
        },
      }),
    );
    expect(result.bytes).toBe(1024 * 1024);
    expect(Buffer.concat(chunks).equals(Buffer.alloc(1024 * 1024, 2))).toBe(true);
    await server.whenClosed();
    client.socket.destroy();
    await listener.close();
  });

  it('moves a file to a file exactly; EOF is the end of the file', async () => {
    await using dir = await tempDir();
    const src = join(dir.path, 'src.bin');
    const dst = join(dir.path, 'dst.bin');
    const bytes = Buffer.alloc(3 * 1024 * 1024 + 13);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31) & 0xff;
    await writeFile(src, bytes);
    const { listener, client, server } = await dataPair();
    const [sent, received] = await Promise.all([
      server.send(createReadStream(src, { highWaterMark: 1 << 20 })),
      client.receive(createWriteStream(dst)),
    ]);
    expect(sent.bytes).toBe(bytes.length);
    expect(received.bytes).toBe(bytes.length);
    expect((await readFile(dst)).equals(bytes)).toBe(true);
    await listener.whenReleased();
  });

  it('send(): a source that reuses its buffers (CHUNK_WRITTEN) gets each back only once written, and every byte arrives', async () => {
    const CHUNK = 256 * 1024;
    const COUNT = 40;
    const expected = Buffer.alloc(CHUNK * COUNT);
    for (let i = 0; i < expected.length; i++) expected[i] = (i * 7 + (i >> 18)) & 0xff;
    const free: Buffer[] = [];
    const inUse = new Set<Buffer>();
    let next = 0;
    let allocated = 0;
    let released = 0;
    let reusedWhileInUse = false;
    class Reusing extends Readable {
      override _read(): void {
        if (next === COUNT) return void this.push(null);
        let buffer = free.pop();
        if (buffer === undefined) {
          allocated++;
          buffer = Buffer.allocUnsafeSlow(CHUNK);
        }
        if (inUse.has(buffer)) reusedWhileInUse = true;
        inUse.add(buffer);
        expected.copy(buffer, 0, next * CHUNK, (next + 1) * CHUNK);
        next++;
        this.push(buffer);
      }
      [CHUNK_WRITTEN](chunk: Buffer): void {
        released++;
        inUse.delete(chunk);
        free.push(chunk);
      }
    }
    const { listener, client, server } = await dataPair();
    const received: Buffer[] = [];
    const sink = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _e, cb) {
        received.push(Buffer.from(chunk));
        // A slow reader: the sender's socket buffer fills and the source must wait for drains.
        setImmediate(cb);
      },
    });
    const [sent] = await Promise.all([server.send(new Reusing()), client.receive(sink)]);
    expect(sent.bytes).toBe(expected.length);
    expect(Buffer.concat(received).equals(expected)).toBe(true);
    expect(released).toBe(COUNT);
    expect(reusedWhileInUse).toBe(false);
    expect(allocated).toBeLessThan(COUNT);
    await listener.whenReleased();
  });

  it('a sender that disconnects mid-transfer is an aborted transfer, not a complete one', async () => {
    const { listener, client, server } = await dataPair();
    const source = new PassThrough();
    const sending = server.send(source).catch((e: unknown) => e);
    const receiving = rejectionOf(client.receive(new PassThrough().resume()));
    source.write(Buffer.alloc(64 * 1024));
    await delay(20);
    server.socket.resetAndDestroy();
    const error = await receiving;
    expect(error).toBeInstanceOf(TransferAbortedError);
    expect((error as TransferAbortedError).bytes).toBeGreaterThan(0);
    expect(await sending).toBeInstanceOf(TransferAbortedError);
    await listener.whenReleased();
  });

  it('a receiver that disconnects mid-transfer aborts the send', async () => {
    const { listener, client, server } = await dataPair();
    const endless = new Readable({
      read() {
        this.push(Buffer.alloc(64 * 1024));
      },
    });
    const sending = rejectionOf(server.send(endless));
    await delay(20);
    client.socket.resetAndDestroy();
    expect(await sending).toBeInstanceOf(TransferAbortedError);
    await listener.whenReleased();
  });

  it('abort() (ABOR) and an AbortSignal end a transfer as aborted', async () => {
    const a = await dataPair();
    const sending = rejectionOf(a.server.send(new PassThrough()));
    const receiving = rejectionOf(a.client.receive(new PassThrough()));
    a.server.abort();
    expect(await sending).toMatchObject({ code: TransportErrorCodes.TRANSFER_ABORTED });
    const e = await receiving;
    console.log('DBG', e);
    expect(e).toBeInstanceOf(TransferAbortedError);
    await a.listener.whenReleased();

    const b = await dataPair();
    const ac = new AbortController();
    const r2 = rejectionOf(b.client.receive(new PassThrough(), { signal: ac.signal }));
    ac.abort();
    expect(await r2).toBeInstanceOf(TransferAbortedError);
    b.server.abort();
    await b.listener.whenReleased();
  });

  it('a stalled transfer hits the data idle timeout', async () => {
    const { listener, client, server } = await dataPair({ channel: { idleTimeout: 200 } });
    const error = await rejectionOf(server.receive(new PassThrough()));
    expect(error).toBeInstanceOf(TransferAbortedError);
    expect((error as TransferAbortedError).cause).toMatchObject({ code: TransportErrorCodes.TIMEOUT });
    await client.whenClosed();
    await listener.whenReleased();
  });

  it('a data connection carries one transfer', async () => {
    const { listener, client, server } = await dataPair();
    const first = server.send(Readable.from([Buffer.from('x')]));
    await expect(server.send(Readable.from([]))).rejects.toMatchObject({
      code: TransportErrorCodes.INVALID_STATE,
    });
    await Promise.all([first, client.receive(new PassThrough().resume())]);
    await listener.whenReleased();
  });

  it('ASCII mode with transforms end to end', async () => {
    const { listener, client, server } = await dataPair();
    const out: Buffer[] = [];
    await Promise.all([
      server.send(Readable.from([Buffer.from('a\nb\r\nc\n')]), { transforms: [new AsciiEncoder()] }),
      client.receive(
        new Writable({
          write(c: Buffer, _e, cb) {
            out.push(c);
            cb();
          },
        }),
        { transforms: [new AsciiDecoder()] },
      ),
    ]);
    expect(Buffer.concat(out).toString()).toBe('a\nb\nc\n');
    await listener.whenReleased();
  });
});

describe('transforms', () => {
  it('AsciiEncoder: LF -> CRLF, existing CRLF kept, at every split (RFC 959 §3.1.1.1)', async () => {
    expect(await everySplit(() => new AsciiEncoder(), 'one\ntwo\r\nthree\n\nlast')).toEqual(
      new Set(['one\r\ntwo\r\nthree\r\n\r\nlast']),
    );
  });

  it('AsciiDecoder: CRLF -> LF, lone CR kept, at every split', async () => {
    expect(await everySplit(() => new AsciiDecoder(), 'one\r\ntwo\rx\r\n\r\nend\r')).toEqual(
      new Set(['one\ntwo\rx\n\nend\r']),
    );
  });

  it('ByteCounter counts and reports progress at the end', async () => {
    const seen: number[] = [];
    const counter = new ByteCounter({ onProgress: (n) => seen.push(n), intervalMs: 0 });
    await through(counter, ['abc', 'de']);
    expect(counter.bytes).toBe(5);
    expect(seen.at(-1)).toBe(5);
  });

  it('Throttle passes every byte through in order and cleans up on destroy', async () => {
    const data = Buffer.alloc(3000, 7);
    expect(
      (await through(new Throttle(100_000), [data.subarray(0, 1000), data.subarray(1000)])).equals(data),
    ).toBe(true);
    const slow = new Throttle(10);
    slow.write(Buffer.alloc(1000));
    slow.resume();
    slow.destroy();
    expect(() => new Throttle(0)).toThrow(
      expect.objectContaining({ code: TransportErrorCodes.INVALID_ARGUMENT }),
    );
  });
});
