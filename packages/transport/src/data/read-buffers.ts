/**
 * Read buffers for a source that implements `CHUNK_WRITTEN`: a file reader takes a buffer to read
 * into and gets it back once the data connection has written it, so that a big transfer cycles
 * through a few buffers instead of a fresh one per read (whose page faults and GC cost more CPU
 * than the copy itself).
 *
 * Owns: which chunks may be read into again — only whole buffers of the pool's size, never a
 * view into a larger one — and how many are kept.
 */
import { readSync } from 'node:fs';

/**
 * Reads up to `length` bytes of `fd` from `position`, synchronously, into a new buffer: the
 * whole-small-file read both the server's RETR and the client's upload use (a few µs on a cached
 * file, where each async read is a thread-pool round trip). Shorter only at end of file.
 */
export function readFileRangeSync(fd: number, length: number, position: number): Buffer {
  const buffer = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const got = readSync(fd, buffer, filled, length - filled, position + filled);
    if (got === 0) break;
    filled += got;
  }
  return filled === length ? buffer : buffer.subarray(0, filled);
}

export class ReadBufferPool {
  /** The size of every buffer the pool hands out. */
  readonly size: number;
  readonly #keep: number;
  readonly #free: Buffer[] = [];

  /** `keep`: most idle buffers held (default 3: one being read, one being written, one spare). */
  constructor(size: number, keep = 3) {
    this.size = size;
    this.#keep = keep;
  }

  /** A buffer of `size` bytes to read into: a returned one, else a new one. */
  take(): Buffer {
    return this.#free.pop() ?? Buffer.allocUnsafeSlow(this.size);
  }

  /** `chunk` has been written (or was never used): read into it again if it is a whole buffer. */
  give(chunk: Buffer): void {
    if (
      chunk.length === this.size &&
      chunk.byteOffset === 0 &&
      chunk.buffer.byteLength === this.size &&
      this.#free.length < this.#keep
    )
      this.#free.push(chunk);
  }

  /** Drops the idle buffers (the reader is done). */
  clear(): void {
    this.#free.length = 0;
  }
}
