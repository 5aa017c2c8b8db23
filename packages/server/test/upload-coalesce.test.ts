/** createUpload's coalescing: chunks reach the sink in runs of coalesceBytes, none is lost. */
import { open, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalFileSystem } from '../src/fs/local-file-system.ts';
import { createUpload, type UploadSink } from '../src/fs/upload.ts';
import { tempDir } from './helpers.ts';

function recordingSink() {
  const writes: Buffer[][] = [];
  const events: string[] = [];
  const sink: UploadSink = {
    async write(chunks) {
      writes.push([...chunks]);
      events.push('write');
    },
    async publish() {
      events.push('publish');
    },
    async discard() {
      events.push('discard');
    },
  };
  return { sink, writes, events };
}

const chunk = (i: number, size = 16 * 1024) => Buffer.alloc(size, i & 0xff);
const write = (stream: NodeJS.WritableStream, data: Buffer) =>
  new Promise<void>((resolve, reject) => stream.write(data, (error) => (error ? reject(error) : resolve())));

describe('createUpload coalescing', () => {
  it('writes 16 KiB chunks in runs of at least coalesceBytes, in order, and the rest on end', async () => {
    const { sink, writes, events } = recordingSink();
    const upload = createUpload(sink, { path: '/f', atomic: true, coalesceBytes: 256 * 1024 });
    const sent: Buffer[] = [];
    for (let i = 0; i < 40; i++) {
      sent.push(chunk(i));
      await write(upload.stream, chunk(i));
    }
    upload.stream.end();
    await upload.commit();
    // 40 × 16 KiB = 640 KiB: two runs of 256 KiB and the last 128 KiB at end.
    expect(writes.map((w) => w.reduce((n, b) => n + b.length, 0))).toEqual([
      256 * 1024,
      256 * 1024,
      128 * 1024,
    ]);
    expect(Buffer.concat(writes.flat()).equals(Buffer.concat(sent))).toBe(true);
    expect(upload.bytesWritten).toBe(640 * 1024);
    expect(events.at(-1)).toBe('publish');
  });

  it('without coalesceBytes every write reaches the sink at once', async () => {
    const { sink, writes } = recordingSink();
    const upload = createUpload(sink, { path: '/f', atomic: true });
    await write(upload.stream, chunk(1));
    expect(writes).toHaveLength(1);
    expect(upload.bytesWritten).toBe(16 * 1024);
    await upload.abort();
  });

  it('an aborted in-place upload writes the bytes it held before discarding', async () => {
    const { sink, writes, events } = recordingSink();
    const upload = createUpload(sink, { path: '/f', atomic: false, coalesceBytes: 1024 * 1024 });
    await write(upload.stream, chunk(1));
    await write(upload.stream, chunk(2));
    expect(writes).toHaveLength(0);
    await upload.abort(new Error('connection lost'));
    expect(Buffer.concat(writes.flat()).equals(Buffer.concat([chunk(1), chunk(2)]))).toBe(true);
    expect(events).toEqual(['write', 'discard']);
  });

  it('an aborted atomic upload drops what it held', async () => {
    const { sink, writes, events } = recordingSink();
    const upload = createUpload(sink, { path: '/f', atomic: true, coalesceBytes: 1024 * 1024 });
    await write(upload.stream, chunk(1));
    await upload.abort();
    expect(writes).toHaveLength(0);
    expect(events).toEqual(['discard']);
  });

  it('a failing sink write fails commit and the upload', async () => {
    const upload = createUpload(
      {
        async write() {
          throw Object.assign(new Error('no space'), { code: 'ENOSPC' });
        },
        async publish() {},
        async discard() {},
      },
      { path: '/f', atomic: true, coalesceBytes: 64 * 1024 },
    );
    upload.stream.on('error', () => {});
    await write(upload.stream, chunk(1));
    upload.stream.end();
    await expect(upload.commit()).rejects.toMatchObject({ kind: 'NoSpace' });
  });
});

describe('LocalFileSystem uploads with coalescing', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    tmp = await tempDir();
  });
  afterEach(() => tmp.remove());

  it('a REST upload cut off keeps every byte that arrived', async () => {
    await writeFile(path.join(tmp.dir, 'part.bin'), Buffer.alloc(1000, 1));
    const fs = new LocalFileSystem({ root: tmp.dir });
    const upload = await fs.createWriteStream('/part.bin', { start: 1000 });
    const arrived = Buffer.concat([chunk(7, 100_000), chunk(8, 50_000)]);
    await write(upload.stream, arrived.subarray(0, 100_000));
    await write(upload.stream, arrived.subarray(100_000));
    await upload.abort(new Error('connection lost'));
    const content = await readFile(path.join(tmp.dir, 'part.bin'));
    expect(content.length).toBe(151_000);
    expect(content.subarray(1000).equals(arrived)).toBe(true);
  });

  it('a large upload arrives whole', async () => {
    const fs = new LocalFileSystem({ root: tmp.dir });
    const upload = await fs.createWriteStream('/big.bin');
    const parts = Array.from({ length: 300 }, (_, i) => chunk(i, 16 * 1024 + (i % 3)));
    for (const part of parts) await write(upload.stream, part);
    upload.stream.end();
    await upload.commit();
    const handle = await open(path.join(tmp.dir, 'big.bin'));
    try {
      expect((await handle.readFile()).equals(Buffer.concat(parts))).toBe(true);
    } finally {
      await handle.close();
    }
  });
});
