/**
 * Stream transforms for data transfers.
 *
 * Owns: ASCII representation type conversion (RFC 959 §3.1.1.1: the wire uses CRLF as the
 * end-of-line; a POSIX file uses LF), throttling to a byte rate, and byte counting for progress
 * and transfer logs. Binary transfers use none of them unless asked, so the hot path stays a
 * plain pipe.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { TransportError, TransportErrorCodes } from '../errors.js';

const CR = 0x0d;
const LF = 0x0a;

/**
 * Local text → wire: every LF not already preceded by CR becomes CRLF. A CRLF already in the
 * file is kept as is (no CR CR LF), which is what both vsftpd and ProFTPD send.
 */
export class AsciiEncoder extends Transform {
  #lastWasCr = false;

  constructor() {
    super({ highWaterMark: 1 << 20 });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    let lfs = 0;
    for (let i = chunk.indexOf(LF); i !== -1; i = chunk.indexOf(LF, i + 1)) lfs++;
    if (lfs === 0) {
      if (chunk.length > 0) this.#lastWasCr = chunk[chunk.length - 1] === CR;
      callback(null, chunk);
      return;
    }
    const out = Buffer.allocUnsafe(chunk.length + lfs);
    let o = 0;
    let start = 0;
    for (let i = chunk.indexOf(LF); i !== -1; i = chunk.indexOf(LF, i + 1)) {
      o += chunk.copy(out, o, start, i);
      const prevCr = i > 0 ? chunk[i - 1] === CR : this.#lastWasCr;
      if (!prevCr) out[o++] = CR;
      out[o++] = LF;
      start = i + 1;
    }
    o += chunk.copy(out, o, start);
    this.#lastWasCr = chunk[chunk.length - 1] === CR;
    callback(null, out.subarray(0, o));
  }
}

/**
 * Wire → local text: CRLF becomes LF. A CR not followed by LF is kept (it is data). A CR at the
 * end of a chunk is held until the next chunk shows what follows it.
 */
export class AsciiDecoder extends Transform {
  #pendingCr = false;

  constructor() {
    super({ highWaterMark: 1 << 20 });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (chunk.length === 0) {
      callback();
      return;
    }
    const out = Buffer.allocUnsafe(chunk.length + 1);
    let o = 0;
    let i = 0;
    if (this.#pendingCr) {
      this.#pendingCr = false;
      if (chunk[0] !== LF) out[o++] = CR;
    }
    const end = chunk[chunk.length - 1] === CR ? chunk.length - 1 : chunk.length;
    if (end < chunk.length) this.#pendingCr = true;
    let start = i;
    for (i = chunk.indexOf(CR, start); i !== -1 && i < end; i = chunk.indexOf(CR, i + 1)) {
      if (chunk[i + 1] === LF) {
        o += chunk.copy(out, o, start, i);
        start = i + 1;
      }
    }
    o += chunk.copy(out, o, start, end);
    callback(null, out.subarray(0, o));
  }

  override _flush(callback: TransformCallback): void {
    callback(null, this.#pendingCr ? Buffer.from([CR]) : undefined);
  }
}

/**
 * Limits throughput to `bytesPerSecond` (a token bucket with a one-second burst). Chunks larger
 * than the burst are split, so the rate holds for any chunk size. The timer is cleared on
 * destroy: an aborted transfer leaves nothing scheduled.
 */
export class Throttle extends Transform {
  readonly bytesPerSecond: number;
  #tokens: number;
  #last = performance.now();
  #timer: NodeJS.Timeout | undefined;

  constructor(bytesPerSecond: number) {
    super({ highWaterMark: 64 * 1024 });
    if (!Number.isFinite(bytesPerSecond) || bytesPerSecond <= 0) {
      throw new TransportError(
        TransportErrorCodes.INVALID_ARGUMENT,
        'bytesPerSecond must be a positive number',
      );
    }
    this.bytesPerSecond = bytesPerSecond;
    this.#tokens = 0;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#feed(chunk, 0, callback);
  }

  #feed(chunk: Buffer, offset: number, callback: TransformCallback): void {
    this.#timer = undefined;
    const now = performance.now();
    const burst = Math.max(1, Math.floor(this.bytesPerSecond));
    this.#tokens = Math.min(burst, this.#tokens + ((now - this.#last) / 1000) * this.bytesPerSecond);
    this.#last = now;
    while (offset < chunk.length && this.#tokens >= 1) {
      const n = Math.min(chunk.length - offset, Math.floor(this.#tokens));
      this.push(chunk.subarray(offset, offset + n));
      this.#tokens -= n;
      offset += n;
    }
    if (offset >= chunk.length) {
      callback();
      return;
    }
    const waitMs = Math.max(1, ((1 - this.#tokens) / this.bytesPerSecond) * 1000);
    this.#timer = setTimeout(() => this.#feed(chunk, offset, callback), Math.min(waitMs, 1000));
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    callback(error);
  }
}

/** Counts bytes passing through; `onProgress` is called at most every `intervalMs` and at the end. */
export class ByteCounter extends Transform {
  bytes = 0;
  readonly #onProgress: ((bytes: number) => void) | undefined;
  readonly #intervalMs: number;
  #lastReport = 0;

  constructor(options: { onProgress?: (bytes: number) => void; intervalMs?: number } = {}) {
    super({ highWaterMark: 1 << 20 });
    this.#onProgress = options.onProgress;
    this.#intervalMs = options.intervalMs ?? 250;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.#onProgress !== undefined) {
      const now = performance.now();
      if (now - this.#lastReport >= this.#intervalMs) {
        this.#lastReport = now;
        this.#onProgress(this.bytes);
      }
    }
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.#onProgress?.(this.bytes);
    callback();
  }
}
