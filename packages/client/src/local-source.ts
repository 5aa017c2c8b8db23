/**
 * Reading a small local file for an upload in one go, without the thread pool.
 *
 * Owns: the choice to read a regular file of at most `SYNC_READ_BYTES` synchronously (stat, open,
 * read, close: four system calls) instead of through a file stream (a stat, an open, two reads
 * and a close, each a hop to libuv's thread pool and back). For 1,000 uploads of 4 KiB the hops
 * were most of the client's system time. The server reads small RETR files the same way.
 *
 * Never opens anything but a regular file (opening a FIFO would block the event loop), and never
 * throws: anything unexpected returns `undefined` and the caller's stream reports it as before.
 */
import { close, closeSync, fstatSync, open, openSync, read, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { CHUNK_WRITTEN, ReadBufferPool, type ReusingReadable, readFileRangeSync } from '@ftpkit/transport';

/** Largest local file read synchronously for an upload. */
export const SYNC_READ_BYTES = 64 * 1024;

export interface SmallFile {
  /** The file's bytes from `start` on, as a stream that ends after them. */
  readonly stream: Readable;
  readonly size: number;
}

/**
 * `path`'s size when it can be read, and its bytes from `start` when it is a regular file of at
 * most `limit` bytes; `undefined` when it cannot be stat'ed (the stream reports why).
 */
export function statSmallFile(
  path: string,
  start: number,
  limit = SYNC_READ_BYTES,
): { size: number; small: SmallFile | undefined } | undefined {
  let size: number;
  try {
    const stats = statSync(path);
    size = stats.size;
    if (!stats.isFile() || size > limit) return { size, small: undefined };
  } catch {
    return undefined;
  }
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    // The file may have changed since the stat: read what the open file holds.
    const length = Math.max(0, Math.min(fstatSync(fd).size, limit + 1) - start);
    const bytes = readFileRangeSync(fd, length, start);
    const filled = bytes.length;
    // Grew past the limit after the stat: let the stream read it all.
    if (start + filled > limit) return { size, small: undefined };
    const stream = new Readable({ read() {} });
    if (bytes.length > 0) stream.push(bytes);
    stream.push(null);
    return { size, small: { stream, size: start + filled } };
  } catch {
    return { size, small: undefined };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * A local file from `start` to its end, read `chunkSize` bytes at a time into buffers the data
 * connection hands back once written (`CHUNK_WRITTEN`): a big upload reads into the same few
 * buffers instead of a fresh one per read (whose page faults and GC cost more CPU than the copy).
 * Opening errors (ENOENT, EACCES, EISDIR on read) destroy the stream with the fs error.
 */
export class LocalFileReadable extends Readable implements ReusingReadable {
  readonly #path: string;
  readonly #buffers: ReadBufferPool;
  #fd: number | undefined;
  #position: number;

  constructor(path: string, start: number, chunkSize: number) {
    super({ highWaterMark: chunkSize });
    this.#path = path;
    this.#position = start;
    this.#buffers = new ReadBufferPool(chunkSize);
  }

  override _construct(callback: (error?: Error | null) => void): void {
    open(this.#path, 'r', (error, fd) => {
      if (!error) this.#fd = fd;
      callback(error);
    });
  }

  override _read(): void {
    const fd = this.#fd;
    if (fd === undefined) return;
    const buffer = this.#buffers.take();
    read(fd, buffer, 0, buffer.length, this.#position, (error, bytesRead) => {
      if (error) return void this.destroy(error);
      if (bytesRead === 0) {
        this.#buffers.give(buffer);
        return void this.push(null);
      }
      this.#position += bytesRead;
      this.push(bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead));
    });
  }

  /** The data connection has sent `chunk`: a full-size buffer is read into again. */
  [CHUNK_WRITTEN](chunk: Buffer): void {
    this.#buffers.give(chunk);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#buffers.clear();
    const fd = this.#fd;
    this.#fd = undefined;
    if (fd === undefined) callback(error);
    else close(fd, (closeError) => callback(error ?? closeError));
  }
}
