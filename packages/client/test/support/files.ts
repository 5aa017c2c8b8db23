import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Writable } from 'node:stream';

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (c) => hash.update(c))
      .on('end', () => resolve(hash.digest('hex')))
      .on('error', reject);
  });
}

/** Deterministic-length random content. */
export function randomContent(size: number): Buffer {
  return randomBytes(size);
}

/** A writable that collects everything, optionally slowly (ms per chunk). */
export function collector(delayMs = 0): { stream: Writable; buffer: () => Buffer } {
  const chunks: Buffer[] = [];
  return {
    stream: new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _e, cb) {
        chunks.push(chunk);
        if (delayMs > 0) setTimeout(cb, delayMs);
        else cb();
      },
    }),
    buffer: () => Buffer.concat(chunks),
  };
}
