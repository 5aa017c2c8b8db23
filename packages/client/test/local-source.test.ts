/** Small local files for uploads are read in one go; everything else is left to the stream. */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { type TempDir, tempDir } from '@ftpkit/test-utils';
import { CHUNK_WRITTEN } from '@ftpkit/transport';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalFileReadable, SYNC_READ_BYTES, statSmallFile } from '../src/local-source.js';

let dir: TempDir;
beforeEach(async () => {
  dir = await tempDir('ftpkit-local-source-');
});
afterEach(async () => {
  await dir.cleanup();
});

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('statSmallFile', () => {
  it('reads a small file whole, or from a start offset', async () => {
    const path = join(dir.path, 'a.bin');
    writeFileSync(path, 'hello world');
    const whole = statSmallFile(path, 0);
    expect(whole?.size).toBe(11);
    expect((await readAll(whole!.small!.stream)).toString()).toBe('hello world');
    const rest = statSmallFile(path, 6);
    expect((await readAll(rest!.small!.stream)).toString()).toBe('world');
  });

  it('an empty file and a start past the end give an empty stream', async () => {
    const path = join(dir.path, 'empty.bin');
    writeFileSync(path, '');
    expect((await readAll(statSmallFile(path, 0)!.small!.stream)).length).toBe(0);
    writeFileSync(path, 'abc');
    expect((await readAll(statSmallFile(path, 10)!.small!.stream)).length).toBe(0);
  });

  it('a file larger than the limit is left to the stream, with its size', () => {
    const path = join(dir.path, 'big.bin');
    writeFileSync(path, Buffer.alloc(SYNC_READ_BYTES + 1));
    expect(statSmallFile(path, 0)).toEqual({ size: SYNC_READ_BYTES + 1, small: undefined });
    expect(statSmallFile(path, 0, 10)?.small).toBeUndefined();
  });

  it('a missing path gives undefined (the stream reports the error)', () => {
    expect(statSmallFile(join(dir.path, 'missing'), 0)).toBeUndefined();
  });

  it('never opens a FIFO (the open would block until a writer came)', () => {
    const path = join(dir.path, 'fifo');
    execFileSync('mkfifo', [path]);
    expect(statSmallFile(path, 0)?.small).toBeUndefined();
  });
});

describe('LocalFileReadable', () => {
  it('reads a file from any offset, reusing buffers handed back as written, bytes intact', async () => {
    const path = join(dir.path, 'big.bin');
    const bytes = Buffer.from(
      Array.from({ length: 5 * 65_536 + 123 }, (_, i) => (i * 11 + (i >> 12)) & 0xff),
    );
    writeFileSync(path, bytes);
    for (const start of [0, 1, 65_536, bytes.length - 5, bytes.length]) {
      const stream = new LocalFileReadable(path, start, 65_536);
      const copies: Buffer[] = [];
      const buffers = new Set<ArrayBufferLike>();
      for await (const chunk of stream) {
        copies.push(Buffer.from(chunk as Buffer));
        buffers.add((chunk as Buffer).buffer);
        stream[CHUNK_WRITTEN](chunk as Buffer);
      }
      expect(Buffer.concat(copies).equals(bytes.subarray(start))).toBe(true);
      if (copies.length > 4) expect(buffers.size).toBeLessThan(copies.length);
    }
  });

  it('a missing file destroys the stream with the fs error', async () => {
    const stream = new LocalFileReadable(join(dir.path, 'missing'), 0, 16_384);
    await expect(readAll(stream)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
