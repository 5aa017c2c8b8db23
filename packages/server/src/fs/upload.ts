/**
 * The commit/abort state machine behind every `FileUpload`, shared by the shipped adapters.
 *
 * Owns: `createUpload(sink, ...)`. An adapter supplies a sink (write chunks, publish, discard);
 * this module supplies the Writable, the single-transition states (open → committed | aborted),
 * self-abort on stream errors, and AbortSignal wiring. Internal: not exported from the package.
 */

import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { InvalidStateError } from '../errors.js';
import { FileSystemError, toFileSystemError } from './errors.js';
import type { FileUpload } from './file-system.js';

export interface UploadSink {
  /** Writes all chunks, in order, after what was written before. Throws raw or FileSystemErrors. */
  write(chunks: readonly Buffer[]): Promise<void>;
  /** Makes the written bytes visible under the target name. */
  publish(): Promise<void>;
  /** Releases resources; for atomic sinks also removes every trace. Must not throw. */
  discard(): Promise<void>;
}

export interface CreateUploadOptions {
  readonly path: string;
  readonly atomic: boolean;
  readonly signal?: AbortSignal | undefined;
  readonly highWaterMark?: number;
  /**
   * Chunks are gathered until at least this many bytes are held, then written with one
   * `sink.write` (and on end). A file write through the thread pool costs ~100 µs whatever its
   * size: a TLS data connection delivers 16 KiB records, and writing them a few at a time cost 4×
   * the CPU of 1 MiB writes. Held bytes are not in `bytesWritten`; an abort of an upload written
   * in place (`atomic` false) writes them before discarding, so a resume finds every byte that
   * arrived. Default 0: every chunk goes to the sink as the stream delivers it.
   */
  readonly coalesceBytes?: number;
}

type State = 'open' | 'committing' | 'committed' | 'aborted';

/** Stream buffering for uploads: big enough that a 64 KiB socket chunk never waits on one write. */
export const UPLOAD_HIGH_WATER_MARK = 1024 * 1024;

export function createUpload(sink: UploadSink, options: CreateUploadOptions): FileUpload {
  let state: State = 'open';
  let bytesWritten = 0;
  let failure: FileSystemError | undefined;
  let aborting: Promise<void> | undefined;
  const { path, signal } = options;
  const coalesce = options.coalesceBytes ?? 0;
  let held: Buffer[] = [];
  let heldBytes = 0;
  // The sink write in progress: the stream never overlaps two, and an abort waits for it.
  let writing: Promise<void> = Promise.resolve();

  /** Writes every held chunk with one `sink.write`; calls back once the sink took them. */
  function writeHeld(callback: (error?: Error | null) => void): void {
    const buffers = held;
    const bytes = heldBytes;
    held = [];
    heldBytes = 0;
    writing = sink.write(buffers).then(
      () => {
        bytesWritten += bytes;
        callback();
      },
      (error: unknown) => callback(toFileSystemError(error, path)),
    );
  }

  function hold(chunk: unknown): void {
    const buffer = toBuffer(chunk);
    held.push(buffer);
    heldBytes += buffer.length;
  }

  const stream = new Writable({
    highWaterMark: options.highWaterMark ?? UPLOAD_HIGH_WATER_MARK,
    writev(chunks, callback) {
      for (const { chunk } of chunks) hold(chunk);
      if (heldBytes < coalesce) callback();
      else writeHeld(callback);
    },
    write(chunk, _encoding, callback) {
      hold(chunk);
      if (heldBytes < coalesce) callback();
      else writeHeld(callback);
    },
    final(callback) {
      if (heldBytes === 0) callback();
      else writeHeld(callback);
    },
  });
  // A stream error (no space, I/O) aborts the upload by itself, so a caller that forgets to call
  // abort() still never leaves a half file under the real name.
  stream.on('error', (error) => {
    failure ??= toFileSystemError(error, path);
    void abort(error);
  });

  const onAbort = (): void => void abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });

  function abort(_reason?: unknown): Promise<void> {
    if (state === 'committed' || state === 'committing') return aborting ?? Promise.resolve();
    if (aborting) return aborting;
    state = 'aborted';
    signal?.removeEventListener('abort', onAbort);
    if (!stream.destroyed) stream.destroy();
    const unwritten = held;
    held = [];
    heldBytes = 0;
    // In place (REST/APPE): bytes that arrived are kept, as if each had been written at once.
    const kept =
      options.atomic || unwritten.length === 0
        ? Promise.resolve()
        : writing.then(() => sink.write(unwritten)).catch(() => {});
    aborting = kept.then(() => sink.discard()).catch(() => {});
    return aborting;
  }

  async function commit(): Promise<void> {
    if (state === 'committed') return;
    if (state === 'aborted') {
      await aborting;
      throw failure ?? new InvalidStateError('The upload was aborted');
    }
    if (state === 'committing') throw new InvalidStateError('commit() is already in progress');
    if (stream.destroyed && !stream.writableFinished) {
      // destroy(error) reports 'error' on the next tick; do not wait for it to say no.
      const error = stream.errored;
      if (error) failure ??= toFileSystemError(error, path);
      await abort(error);
      throw failure ?? new InvalidStateError('The upload stream was destroyed');
    }
    if (!stream.writableFinished) {
      if (!stream.writableEnded) throw new InvalidStateError('End the upload stream before commit()');
      try {
        await finished(stream);
      } catch (error) {
        await abort(error);
        throw failure ?? toFileSystemError(error, path);
      }
      if (state !== 'open') {
        await aborting;
        throw failure ?? new InvalidStateError('The upload was aborted');
      }
    }
    state = 'committing';
    signal?.removeEventListener('abort', onAbort);
    try {
      await sink.publish();
      state = 'committed';
    } catch (error) {
      state = 'aborted';
      failure = toFileSystemError(error, path);
      aborting = sink.discard().catch(() => {});
      await aborting;
      throw failure;
    }
  }

  return {
    stream,
    atomic: options.atomic,
    get bytesWritten() {
      return bytesWritten;
    },
    commit,
    abort,
  };
}

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  throw new FileSystemError('Io', 'Upload chunks must be bytes');
}
