/**
 * Graceful shutdown under load: `server.close({ deadline })` while idle sessions wait, uploads
 * that can finish before the deadline run, and downloads that never end stream. Running
 * transfers that finish in time complete (226, right hash); the others are cut at the deadline
 * (426); every session then gets 421; close() resolves, new connections are refused, and
 * nothing is left open.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { Readable } from 'node:stream';
import { type FileSystem, MemoryFileSystem } from '@ftpkit/server';
import { trackHandles } from '@ftpkit/test-utils';
import { describe, expect, it } from 'vitest';
import { sha256, sleep, startServer } from '../src/harness.ts';
import type { RawClient } from '../src/raw-client.ts';

function withEndless(inner: MemoryFileSystem): FileSystem {
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  return {
    capabilities: inner.capabilities,
    stat: (p) => (p === '/endless.bin' ? inner.stat('/small.bin') : inner.stat(p)),
    list: (p, o) => inner.list(p, o),
    createReadStream: async (p, o) =>
      p === '/endless.bin'
        ? new Readable({
            read() {
              setTimeout(() => this.push(chunk), 1);
            },
          })
        : inner.createReadStream(p, o),
    createWriteStream: (p, o) => inner.createWriteStream(p, o),
    mkdir: (p) => inner.mkdir(p),
    rmdir: (p) => inner.rmdir(p),
    delete: (p) => inner.delete(p),
    rename: (a, b) => inner.rename(a, b),
  };
}

/** Collects every reply until the control connection closes (bounded). */
async function repliesUntilClose(c: RawClient): Promise<number[]> {
  const codes: number[] = [];
  for (let i = 0; i < 20; i++) {
    try {
      codes.push((await c.read(8000)).code);
    } catch {
      break;
    }
  }
  return codes;
}

describe('graceful shutdown under load', () => {
  it('transfers finish within the deadline, the rest get 426, everyone 421, close() resolves, no leaks', async () => {
    const tracker = trackHandles();
    const memory = new MemoryFileSystem({ files: { '/small.bin': randomBytes(128 * 1024) } });
    const f = await startServer({ fileSystem: withEndless(memory) });
    const port = f.port;

    const idle = await Promise.all(Array.from({ length: 10 }, () => f.login()));
    // Downloads that never end.
    const endless = await Promise.all(
      Array.from({ length: 3 }, async () => {
        const c = await f.login();
        await c.send('TYPE I');
        const d = await c.pasv();
        expect((await c.send('RETR endless.bin')).code).toBe(150);
        d.resume();
        return { c, d };
      }),
    );
    // Uploads that finish about 300 ms into the shutdown window.
    const payloads = Array.from({ length: 4 }, () => randomBytes(256 * 1024));
    const uploads = await Promise.all(
      payloads.map(async (payload, i) => {
        const c = await f.login();
        await c.send('TYPE I');
        const d = await c.pasv();
        expect((await c.send(`STOR up-${i}.bin`)).code).toBe(150);
        d.write(payload.subarray(0, 64 * 1024));
        return { c, d, payload };
      }),
    );

    const closing = f.server.close({ deadline: 1500 });
    await sleep(300);
    for (const u of uploads) u.d.end(u.payload.subarray(64 * 1024));
    // No new sessions once closing (the listener is closed).
    const refused = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port });
      s.on('connect', () => {
        s.destroy();
        resolve(false);
      });
      s.on('error', () => resolve(true));
    });
    expect(refused).toBe(true);

    const [uploadCodes, endlessCodes, idleCodes] = await Promise.all([
      Promise.all(uploads.map((u) => repliesUntilClose(u.c))),
      Promise.all(endless.map((e) => repliesUntilClose(e.c))),
      Promise.all(idle.map((c) => repliesUntilClose(c))),
    ]);
    await closing;
    for (const codes of uploadCodes) expect(codes).toEqual([226, 421]);
    for (const codes of endlessCodes) expect(codes).toEqual([426, 421]);
    for (const codes of idleCodes) expect(codes).toEqual([421]);
    for (const [i, u] of uploads.entries()) {
      const stored = await memory.createReadStream(`/up-${i}.bin`);
      const chunks: Buffer[] = [];
      for await (const chunk of stored) chunks.push(chunk as Buffer);
      expect(sha256(Buffer.concat(chunks))).toBe(sha256(u.payload));
    }
    expect(f.server.sessionCount).toBe(0);
    for (const e of endless) e.d.destroy();
    await f.close();
    await tracker.assertNoLeaks(3000);
  });
});

describe('process exit', () => {
  it('a process whose server was closed under load exits by itself (no handle keeps it alive)', async () => {
    const { run } = await import('../src/run.ts');
    const result = await run(
      process.execPath,
      [
        '--conditions=@ftpkit/source',
        '--import',
        'tsx',
        new URL('../src/shutdown-child.ts', import.meta.url).pathname,
      ],
      { timeout: 25_000 },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout.trim().split('\n').pop()!) as {
      transfers: number;
      sessions: number;
    };
    expect(summary.transfers).toBe(8);
    expect(summary.sessions).toBe(0);
  });
});
