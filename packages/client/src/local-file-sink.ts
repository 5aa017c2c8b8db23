/**
 * The local file a download writes to, opened only when the first byte arrives.
 *
 * Why lazily: `fs.createWriteStream(path, { flags: 'w' })` truncates at once, so a RETR that the
 * server refuses (550) or a connection that fails before data flows would wipe the user's
 * existing file and leave nothing in its place. Opening on the first chunk (or at the end, for an
 * empty file that really arrived) means a failed download never destroys what was there.
 */
import { type FileHandle, open } from 'node:fs/promises';
import { Writable } from 'node:stream';

/**
 * Received chunks (64 KiB socket reads) are gathered up to this many bytes before one positioned
 * `writev`: one thread-pool round trip per MiB instead of one per socket read.
 */
const BATCH_BYTES = 1024 * 1024;

export class LocalFileSink extends Writable {
  readonly #path: string;
  readonly #flags: 'w' | 'r+';
  #position: number;
  #handle: Promise<FileHandle> | undefined;
  /** Chunks accepted (their write callbacks called) but not yet written. */
  #pending: Buffer[] = [];
  #pendingBytes = 0;

  /** With `start` > 0 the existing file is written from that byte on (resume), never truncated here. */
  constructor(path: string, start = 0) {
    super({ highWaterMark: 1024 * 1024 });
    this.#path = path;
    this.#flags = start > 0 ? 'r+' : 'w';
    this.#position = start;
  }

  #file(): Promise<FileHandle> {
    this.#handle ??= open(this.#path, this.#flags);
    return this.#handle;
  }

  override _writev(chunks: Array<{ chunk: Buffer }>, callback: (error?: Error | null) => void): void {
    for (const c of chunks) this.#gather(c.chunk);
    this.#maybeFlush(callback);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#gather(chunk);
    this.#maybeFlush(callback);
  }

  #gather(chunk: Buffer): void {
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.length;
  }

  /** Below a batch the chunk is only kept (callback at once); a full batch is written first. */
  #maybeFlush(callback: (error?: Error | null) => void): void {
    if (this.#pendingBytes < BATCH_BYTES) {
      // The first byte still opens (and truncates) the file now, as before batching.
      this.#file().catch(() => {});
      callback();
      return;
    }
    this.#flush().then(() => callback(), callback);
  }

  #flush(): Promise<void> {
    const buffers = this.#pending;
    this.#pending = [];
    this.#pendingBytes = 0;
    return this.#file().then((file) => this.#writeAll(file, buffers));
  }

  /** writev may write less than asked (a signal, a full disk): write the rest, never drop it. */
  async #writeAll(file: FileHandle, buffers: Buffer[]): Promise<void> {
    let pending = buffers;
    for (;;) {
      let total = 0;
      for (const b of pending) total += b.length;
      if (total === 0) return;
      const { bytesWritten } = await file.writev(pending, this.#position);
      this.#position += bytesWritten;
      if (bytesWritten >= total) return;
      if (bytesWritten === 0) throw new Error('Local file write made no progress');
      let skip = bytesWritten;
      const rest: Buffer[] = [];
      for (const b of pending) {
        if (skip >= b.length) skip -= b.length;
        else {
          rest.push(skip > 0 ? b.subarray(skip) : b);
          skip = 0;
        }
      }
      pending = rest;
    }
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#flush()
      .then(() => this.#file())
      .then((file) => file.close())
      .then(() => callback(), callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const handle = this.#handle;
    if (handle === undefined) {
      callback(error);
      return;
    }
    // Bytes already accepted still reach the file (a resumed download continues from its size).
    const rest = this.#pending;
    this.#pending = [];
    this.#pendingBytes = 0;
    handle
      .then(async (file) => {
        try {
          await this.#writeAll(file, rest);
        } finally {
          await file.close();
        }
      })
      .catch(() => undefined)
      .then(() => callback(error));
  }
}
