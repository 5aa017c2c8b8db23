/**
 * One FTP data connection (RFC 959 §3.2, §3.3), in either role, plain or TLS (RFC 4217 §9).
 *
 * Owns: the socket of one transfer, its optional TLS handshake (server side requiring resumption
 * of the control session), its idle timer, and the exact end-of-transfer semantics: EOF (FIN,
 * after TLS close_notify when secured) is a complete file; a reset, a destroy, an abort or a
 * timeout is a `TransferAbortedError`. Binary transfers pipe straight between the socket and the
 * caller's stream: no per-chunk JS in the path beyond Node's own stream plumbing.
 *
 * A plain socket created with `directReadSetup()` (net's `onread`) skips the socket's Readable on
 * receive: the kernel copies into 1 MiB buffers whose filled parts are handed on in chunks as
 * large as the destination's highWaterMark allows (a 1 MiB one gets one write per MiB instead of
 * one per 64 KiB read), and no buffer is allocated per read. Measured on a 2-core VM, that halved
 * the client's CPU per byte (fewer page faults on fresh read buffers, fewer stream ticks).
 */
import type net from 'node:net';
import type { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type tls from 'node:tls';
import {
  isTransportError,
  TransferAbortedError,
  TransportError,
  TransportErrorCodes,
  toTransportError,
} from '../errors.js';
import { type ClientHandshakeOptions, secureClientSide, secureServerSide } from '../tls/secure-socket.js';
import { canonicalIp } from '../util/ip.js';
import { assertTimeout } from '../util/wait.js';

/**
 * A source Readable may implement this: `DataChannel.send()` calls it with each chunk once the
 * socket has written it (the kernel or TLS layer holds its own copy), so that the buffer can be
 * read into again. A file reader that reuses its buffers spares a fresh allocation — and the
 * kernel the page faults of fresh memory — per chunk. Only binary sends without transforms call it.
 */
export const CHUNK_WRITTEN: unique symbol = Symbol('ftpkit.chunkWritten');

export interface ReusingReadable extends Readable {
  [CHUNK_WRITTEN](chunk: Buffer): void;
}

export interface DataChannelOptions {
  /**
   * Abort the transfer after this many ms without bytes moving in either direction. Default
   * 300 000 (vsftpd's data_connection_timeout); 0 disables.
   */
  readonly idleTimeout?: number;
}

export interface DataServerTlsOptions {
  /** The control connection's context: the same object, so its session tickets are accepted. */
  readonly secureContext: tls.SecureContext;
  /**
   * Refuse a data connection that did not resume the control connection's TLS session (like
   * vsftpd's require_ssl_reuse): a third party that raced to the data port has no session.
   * Default true.
   */
  readonly requireSessionReuse?: boolean;
  readonly requestCert?: boolean;
  readonly rejectUnauthorized?: boolean;
  /** Default 10 000 ms. */
  readonly handshakeTimeout?: number;
  readonly signal?: AbortSignal;
}

export type DataClientTlsOptions = ClientHandshakeOptions;

export interface TransferOptions {
  /** Streams placed between source and destination (ASCII conversion, throttling, counting). */
  readonly transforms?: readonly Transform[];
  /** Aborting destroys the data connection; the transfer rejects with `TransferAbortedError`. */
  readonly signal?: AbortSignal;
}

export interface TransferResult {
  /** Bytes that crossed the data connection (after sending transforms / before receiving ones). */
  readonly bytes: number;
}

export class DataChannel {
  #socket: net.Socket;
  #secured: Promise<void> | undefined;
  #error: TransportError | undefined;
  #closed: Promise<void>;
  #markClosed!: () => void;
  #idle: number;
  #busy = false;
  #bytes = 0;
  /** While a transfer runs: where its bytes are counted (the socket's own counters). */
  #counting: { socket: net.Socket; read: boolean; base: number } | undefined;
  /** Set when the socket was created with `directReadSetup()`: its reads land here. */
  readonly #direct: DirectReader | undefined;

  constructor(socket: net.Socket, options: DataChannelOptions = {}) {
    this.#socket = socket;
    const direct = directReaders.get(socket);
    this.#direct = direct;
    if (direct !== undefined) direct.watch(socket);
    this.#idle = assertTimeout('idleTimeout', options.idleTimeout, 300_000);
    this.#closed = new Promise<void>((resolve) => {
      this.#markClosed = resolve;
    });
    if (socket.closed) this.#markClosed();
    this.#watch(socket);
  }

  /** The socket: a `tls.TLSSocket` once TLS started. A Node duplex with backpressure. */
  get socket(): net.Socket {
    return this.#socket;
  }

  get secure(): boolean {
    return (this.#socket as tls.TLSSocket).encrypted === true;
  }

  get remoteAddress(): string | undefined {
    const a = this.#socket.remoteAddress;
    return a === undefined ? undefined : canonicalIp(a);
  }

  get remotePort(): number | undefined {
    return this.#socket.remotePort;
  }

  get localPort(): number | undefined {
    return this.#socket.localPort;
  }

  /**
   * Bytes moved so far by the running (or last) `send`/`receive`, counted where `TransferResult`
   * counts them. Read it from a timer for progress: no extra per-chunk work in the data path.
   */
  get bytes(): number {
    const d = this.#direct;
    if (d?.counting && d.bytes > this.#bytes) this.#bytes = d.bytes;
    const c = this.#counting;
    if (c !== undefined) {
      // The socket's own counters (cleartext ones on a TLSSocket): nothing is added per chunk.
      const n = (c.read ? c.socket.bytesRead : c.socket.bytesWritten) - c.base;
      if (Number.isFinite(n) && n > this.#bytes) this.#bytes = n;
    }
    return this.#bytes;
  }

  /** The first error the connection saw (timeout, reset, TLS), if any. */
  get error(): TransportError | undefined {
    return this.#error;
  }

  /**
   * Server role, PROT P: starts the TLS server handshake now. Safe to call right after accept,
   * before the transfer command arrives (curl's order) or after the 150 reply (ftplib's order):
   * the handshake proceeds whenever the client's ClientHello comes. `send`/`receive` wait for it.
   */
  startTlsServer(options: DataServerTlsOptions): Promise<void> {
    const socket = this.#beginTls();
    const { tlsSocket, ready } = secureServerSide(socket, {
      secureContext: options.secureContext,
      ...(options.requestCert === undefined ? {} : { requestCert: options.requestCert }),
      ...(options.rejectUnauthorized === undefined ? {} : { rejectUnauthorized: options.rejectUnauthorized }),
      ...(options.handshakeTimeout === undefined ? {} : { handshakeTimeout: options.handshakeTimeout }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    const requireReuse = options.requireSessionReuse ?? true;
    return this.#finishTls(
      tlsSocket,
      ready.then((secured) => {
        if (requireReuse && !secured.isSessionReused()) {
          const error = new TransportError(
            TransportErrorCodes.TLS_SESSION_NOT_REUSED,
            'The data connection did not resume the control connection TLS session (require session reuse)',
          );
          secured.destroy(error);
          throw error;
        }
      }),
    );
  }

  /**
   * Client role, PROT P: starts the TLS client handshake now, resuming `session` (pass the
   * control channel's `tlsSession`, read at this moment). Call it right after connecting
   * (servers that handshake first) or after the 150 reply (servers that wait).
   */
  startTlsClient(options: DataClientTlsOptions): Promise<void> {
    const socket = this.#beginTls();
    const { tlsSocket, ready } = secureClientSide(socket, options);
    return this.#finishTls(
      tlsSocket,
      ready.then(() => undefined),
    );
  }

  /** Resolves when the TLS handshake (if any was started) is done; rejects if it failed. */
  ready(): Promise<void> {
    return this.#secured ?? Promise.resolve();
  }

  /**
   * Sends `source` and then EOF (FIN, after close_notify with TLS). Resolves when everything was
   * handed to the kernel and the FIN queued; rejects with `TransferAbortedError` otherwise.
   */
  async send(source: Readable, options: TransferOptions = {}): Promise<TransferResult> {
    this.#claim();
    try {
      await this.ready();
      const socket = this.#socket;
      // Read (and discard) the receive side too: that is how the peer's FIN or reset is noticed
      // while we send, and how the socket gets to close afterwards.
      this.#direct?.discard();
      socket.resume();
      this.#count(socket, false);
      const transforms = options.transforms ?? [];
      if (transforms.length === 0) {
        const reusing = (source as Partial<ReusingReadable>)[CHUNK_WRITTEN];
        await pump(source, socket, options.signal, reusing?.bind(source));
      } else await pipeline([source, ...transforms, socket], signalOption(options.signal));
      return { bytes: this.#stopCounting() };
    } catch (error) {
      throw this.#aborted(error, 'send');
    }
  }

  /**
   * Reads until the peer's EOF into `destination`. EOF is the end of the file (RFC 959 stream
   * mode); anything else — reset, abort, timeout — rejects with `TransferAbortedError`.
   */
  async receive(destination: Writable, options: TransferOptions = {}): Promise<TransferResult> {
    this.#claim();
    try {
      await this.ready();
      const socket = this.#socket;
      const transforms = options.transforms ?? [];
      const direct = this.#direct;
      if (direct !== undefined && !this.secure) {
        // Created with allowHalfOpen: the write side is still open for the reset probe.
        direct.counting = true;
        if (transforms.length === 0) await direct.drainInto(destination, options.signal);
        else {
          const [first] = transforms as [Transform, ...Transform[]];
          await Promise.all([
            direct.drainInto(first, options.signal),
            pipeline([...transforms, destination] as [Transform, ...Transform[], Writable], {
              ...signalOption(options.signal),
            }),
          ]);
        }
        await this.#probeReset(socket);
        return { bytes: this.#stopCounting() };
      }
      this.#count(socket, true);
      // Keep the write side open past the peer's EOF, for the reset probe below.
      const plain = !this.secure;
      if (plain) socket.allowHalfOpen = true;
      if (transforms.length === 0) await pump(socket, destination, options.signal);
      else await pipeline([socket, ...transforms, destination], signalOption(options.signal));
      if (plain) await this.#probeReset(socket);
      return { bytes: this.#stopCounting() };
    } catch (error) {
      throw this.#aborted(error, 'receive');
    }
  }

  /** Destroys the connection now (ABOR). A running `send`/`receive` rejects as aborted. */
  abort(reason?: TransportError): void {
    const error = reason ?? new TransportError(TransportErrorCodes.ABORTED, 'Transfer aborted');
    this.#error ??= error;
    const socket = this.#socket;
    // A plain FIN would read as a complete file on the other end: reset the TCP connection so
    // the peer sees an abort. (With TLS the TCP handle belongs to the TLS layer; destroy only.)
    // Not while our FIN is in flight (`end()` called, 'finish' not yet emitted — Node calls
    // `end()` itself when the peer's FIN arrives without allowHalfOpen): libuv refuses to reset a
    // stream with a pending shutdown (uv_tcp_close_reset → UV_EINVAL) and never closes its
    // handle, while Node has already dropped it — the fd leaks and the process cannot exit.
    const shuttingDown = socket.writableEnded && !socket.writableFinished;
    if (!this.secure && !socket.destroyed && socket.readyState !== 'opening' && !shuttingDown) {
      try {
        socket.resetAndDestroy();
        return;
      } catch {
        // fall through to a plain destroy
      }
    }
    socket.destroy();
  }

  /** Ends the connection gracefully (used when no transfer happened). Resolves once closed. */
  close(): Promise<void> {
    if (!this.#socket.destroyed) {
      this.#direct?.discard();
      this.#socket.resume();
      this.#socket.end();
      // After the peer's EOF our FIN completes the close on its own (the socket destroys itself
      // once both sides ended): no timer needed, which a download of many small files notices.
      if (!this.#socket.readableEnded) {
        const timer = setTimeout(() => this.#socket.destroy(), 5_000);
        timer.unref();
        void this.#closed.then(() => clearTimeout(timer));
      }
    }
    return this.#closed;
  }

  /** Resolves once the socket has fully closed (on every path). */
  whenClosed(): Promise<void> {
    return this.#closed;
  }

  // ---- internals ----

  #watch(socket: net.Socket): void {
    // With TLS the wrapped TCP socket may never emit 'close' itself; whichever socket closes
    // first marks the connection closed.
    socket.once('close', () => this.#markClosed());
    socket.on('error', (error: Error) => {
      this.#error ??= toTransportError(error, TransportErrorCodes.CONNECTION_CLOSED, 'Data connection');
    });
    socket.setTimeout(this.#idle);
    socket.on('timeout', () => {
      socket.destroy(
        new TransportError(TransportErrorCodes.TIMEOUT, `Data connection idle for ${this.#idle} ms`),
      );
    });
  }

  #claim(): void {
    if (this.#busy) {
      throw new TransportError(TransportErrorCodes.INVALID_STATE, 'A data connection carries one transfer');
    }
    this.#busy = true;
  }

  #beginTls(): net.Socket {
    if (this.#secured !== undefined) {
      throw new TransportError(
        TransportErrorCodes.INVALID_STATE,
        'TLS already started on this data connection',
      );
    }
    if (this.#socket.destroyed) {
      throw new TransportError(TransportErrorCodes.CONNECTION_CLOSED, 'Data connection is closed');
    }
    if (this.#direct !== undefined) {
      // Its reads belong to the channel's own buffers (onread), which TLS cannot take over.
      throw new TransportError(
        TransportErrorCodes.INVALID_STATE,
        'TLS cannot start on a data connection created for direct reads',
      );
    }
    const socket = this.#socket;
    socket.setTimeout(0);
    return socket;
  }

  #finishTls(tlsSocket: tls.TLSSocket, ready: Promise<void>): Promise<void> {
    this.#socket = tlsSocket;
    this.#watch(tlsSocket);
    const secured = ready.catch((error: unknown) => {
      const e = isTransportError(error)
        ? error
        : toTransportError(error, TransportErrorCodes.TLS_HANDSHAKE, 'Data TLS handshake');
      this.#error ??= e;
      tlsSocket.destroy();
      throw e;
    });
    secured.catch(() => {});
    this.#secured = secured;
    return secured;
  }

  /**
   * A peer that resets the connection while we are not reading (backpressure, or before the
   * first read) is reported by Linux as a clean EOF once the queued bytes are read: the
   * ECONNRESET is lost, and a truncated upload would pass for a whole file. After EOF a reset
   * connection is in CLOSE state, where even a zero-length write fails (EPIPE/ECONNRESET), while
   * after a real FIN (CLOSE_WAIT) it succeeds and sends nothing. Then the write side is ended, as
   * Node would have done at EOF without `allowHalfOpen`.
   */
  async #probeReset(socket: net.Socket): Promise<void> {
    if (socket.destroyed || !socket.writable) {
      if (this.#error !== undefined) throw this.#error;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      socket.write(Buffer.alloc(0), (error) => {
        if (error == null) {
          resolve();
          return;
        }
        this.#error ??= toTransportError(
          error,
          TransportErrorCodes.CONNECTION_CLOSED,
          'Data connection reset by the peer',
        );
        reject(this.#error);
      });
    });
    socket.end();
  }

  #count(socket: net.Socket, read: boolean): void {
    // Bytes the socket already read into its buffer (it reads ahead once connected) belong to
    // this transfer: the base excludes them.
    const base = read ? socket.bytesRead - socket.readableLength : socket.bytesWritten;
    this.#counting = { socket, read, base: Number.isFinite(base) ? base : 0 };
  }

  /** Fixes the byte count of the transfer (the probe's empty write adds nothing). */
  #stopCounting(): number {
    const bytes = this.bytes;
    this.#counting = undefined;
    if (this.#direct !== undefined) this.#direct.counting = false;
    return bytes;
  }

  #aborted(error: unknown, what: string): TransferAbortedError {
    const bytes = this.#stopCounting();
    const cause = this.#error ?? error;
    const detail = cause instanceof Error ? cause.message : String(cause);
    if (!this.#socket.destroyed) this.#socket.destroy();
    return new TransferAbortedError(`Data ${what} did not complete: ${detail}`, bytes, { cause });
  }
}

/**
 * `source.pipe(destination)` with `pipeline`'s outcome: resolves on the destination's 'finish'
 * after the source's end; rejects (destroying both with the error) on an error of either, a
 * source closed before its end, a destination closed before 'finish', or `signal`. Cheaper than
 * `pipeline` for the plain binary case: no AbortController/DOMException per transfer and no
 * per-chunk work beyond `pipe` itself.
 */
function pump(
  source: Readable,
  destination: Writable,
  signal?: AbortSignal,
  written?: (chunk: Buffer) => void,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onSourceEnd = () => endDestination(destination, outcome.finish);
    // With `written`: the pipe() flow by hand, to learn when each chunk has left (its callback).
    const onData = (chunk: Buffer) => {
      if (destination.write(chunk, () => written!(chunk))) return;
      source.pause();
      destination.once('drain', onDrain);
    };
    const onDrain = () => {
      if (!outcome.settled) source.resume();
    };
    const onSourceClose = () => {
      if (!source.readableEnded) outcome.fail(prematureClose());
    };
    const onSourceError = (error: Error) => outcome.fail(error);
    const outcome = watchOutcome(destination, signal, resolve, reject, {
      cleanup() {
        source.off('data', onData);
        destination.off('drain', onDrain);
        source.off('end', onSourceEnd);
        source.off('error', onSourceError);
        source.off('close', onSourceClose);
      },
      destroy(error) {
        source.unpipe(destination);
        source.on('error', noop);
        source.destroy(error);
      },
    });
    if (outcome.settled) return;
    const sourceError = (source as Readable & { errored?: Error | null }).errored;
    if (sourceError) return outcome.fail(sourceError);
    if (source.destroyed && !source.readableEnded) return outcome.fail(prematureClose());
    source.on('error', onSourceError);
    source.on('close', onSourceClose);
    if (source.readableEnded) onSourceEnd();
    else {
      // End the destination ourselves (end: false): pipe() never ends process.stdout or
      // process.stderr, so waiting for their 'finish' would wait forever.
      source.once('end', onSourceEnd);
      if (written === undefined) source.pipe(destination, { end: false });
      else source.on('data', onData);
    }
  });
}

/** One transfer's settlement, as `watchOutcome` keeps it. */
interface Outcome {
  readonly settled: boolean;
  /** Rejects (destroying both sides) unless already settled. */
  fail(error: Error): void;
  /** Resolves unless already settled. */
  finish(): void;
}

/**
 * The destination half that `pump` and `DirectReader.drainInto` share: settles once — resolves
 * on the destination's 'finish' (or `finish()`: stdio flushed), rejects on its error, a close
 * before 'finish', `signal`, or `fail()` from the source side — and removes every listener
 * either way (`side.cleanup` for the source's). A failure destroys the destination and calls
 * `side.destroy`; late errors of what it destroyed are swallowed as its echoes. Fails at once
 * for an aborted signal or an unusable destination (check `settled`).
 */
function watchOutcome(
  destination: Writable,
  signal: AbortSignal | undefined,
  resolve: () => void,
  reject: (error: Error) => void,
  side: { cleanup(): void; destroy?(error: Error): void },
): Outcome {
  let settled = false;
  const cleanup = () => {
    side.cleanup();
    destination.off('error', fail);
    destination.off('close', onDestinationClose);
    destination.off('finish', finish);
    destination.off('drain', finish);
    signal?.removeEventListener('abort', onAbort);
  };
  function fail(error: Error): void {
    if (settled) return;
    settled = true;
    cleanup();
    side.destroy?.(error);
    destination.on('error', noop);
    destination.destroy(error);
    reject(error);
  }
  function finish(): void {
    if (settled) return;
    settled = true;
    cleanup();
    resolve();
  }
  function onDestinationClose(): void {
    if (!destination.writableFinished) fail(prematureClose());
  }
  const onAbort = () => fail(abortError(signal));
  const outcome: Outcome = {
    get settled() {
      return settled;
    },
    fail,
    finish,
  };
  if (signal?.aborted === true) {
    onAbort();
    return outcome;
  }
  const unusable = unusableDestination(destination);
  if (unusable !== undefined) {
    fail(unusable);
    return outcome;
  }
  destination.on('error', fail);
  destination.on('close', onDestinationClose);
  destination.on('finish', finish);
  signal?.addEventListener('abort', onAbort, { once: true });
  return outcome;
}

/**
 * Ends `destination` once its source is done; `onFinish` runs on its 'finish'. process.stdout
 * and process.stderr are never ended (pipe() leaves them open too, and a library must not close
 * the caller's stdout): for them the transfer is done once everything written has been flushed.
 */
function endDestination(destination: Writable, onFinish: () => void): void {
  if (destination !== process.stdout && destination !== process.stderr) destination.end();
  else if (destination.writableLength === 0) onFinish();
  else destination.once('drain', onFinish);
}

/** Why `destination` cannot take a transfer (already errored, destroyed or ended), if it cannot. */
function unusableDestination(destination: Writable): Error | undefined {
  const errored = (destination as Writable & { errored?: Error | null }).errored;
  if (errored) return errored;
  if (destination.destroyed || destination.writableEnded) return prematureClose();
  return undefined;
}

/** The AbortError a transfer rejects with when its signal fires (as `pipeline` words it). */
function abortError(signal: AbortSignal | undefined): Error {
  const error = new Error('The operation was aborted', { cause: signal?.reason });
  error.name = 'AbortError';
  (error as Error & { code: string }).code = 'ABORT_ERR';
  return error;
}

function prematureClose(): Error {
  const error = new Error('Premature close');
  (error as Error & { code: string }).code = 'ERR_STREAM_PREMATURE_CLOSE';
  return error;
}

function noop(): void {}

function signalOption(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal === undefined ? {} : { signal };
}

// ---- direct reads (plain TCP, receive side) ----

/** The first batch is small (a small file or listing needs no more); later ones are 1 MiB. */
const FIRST_BATCH_BYTES = 64 * 1024;
const BATCH_BYTES = 1024 * 1024;
/** A batch with less room than this (or a quarter of it) left is handed on and replaced. */
const MIN_READ_BYTES = 64 * 1024;
/** A batch that stops growing (a slow sender) reaches the destination after this many ms. */
const FLUSH_DELAY = 10;
/**
 * First batches of closed connections, kept for the next ones: a fresh 64 KiB buffer per small
 * file (page faults, external memory that drives GC) was a visible part of a many-small-files
 * download's CPU. Chunks leave a shared batch as copies, so nothing handed out aliases it. At
 * most this many are kept (256 KiB in all), enough for a pool of parallel connections.
 */
const MAX_SPARE_BATCHES = 4;
const spareBatches: Buffer[] = [];
const EMPTY = Buffer.alloc(0);

const directReaders = new WeakMap<net.Socket, DirectReader>();

/** `net.connect` options for a plain data socket whose DataChannel will read it directly. */
export interface DirectReadSetup {
  readonly connectOptions: {
    readonly onread: { buffer: () => Uint8Array; callback: (bytes: number, buffer: Uint8Array) => boolean };
    readonly allowHalfOpen: true;
  };
  /** Call with the connected socket before building its DataChannel. */
  register(socket: net.Socket): void;
}

/**
 * For a plain TCP data connection that will only receive: spread `connectOptions` into
 * `net.connect` (onread must be given at creation), then `register` the socket. Its DataChannel's
 * `receive()` then bypasses the socket's Readable; `send()` still works (received bytes are
 * discarded), TLS cannot start on it. `allowHalfOpen` keeps the write side open past an early EOF
 * (a small file often ends before `receive()` is called) for the reset probe.
 */
export function directReadSetup(): DirectReadSetup {
  const reader = new DirectReader();
  return {
    connectOptions: { onread: reader.onread, allowHalfOpen: true },
    register: (socket) => directReaders.set(socket, reader),
  };
}

/**
 * The reads of one socket (net's `onread`): each read lands in the free tail of the current
 * batch, a view of which is handed to the destination (no copy, the kernel never writes into a
 * range already handed out). Before `drainInto` the bytes are held (one small batch at most,
 * then reading pauses); after `discard()` they are dropped.
 */
class DirectReader {
  #batch = spareBatches.pop() ?? Buffer.allocUnsafe(FIRST_BATCH_BYTES);
  /** The batch is a first batch that goes back to `spareBatches` (copies leave it). */
  #shared = true;
  /** The bytes [start, filled) of the batch are read but not yet handed on. */
  #start = 0;
  #filled = 0;
  /** Earlier batches' unhanded bytes (only while holding). */
  #held: Buffer[] = [];
  #mode: 'hold' | 'drain' | 'discard' = 'hold';
  #socket: net.Socket | undefined;
  #eof = false;
  #onEof: (() => void) | undefined;
  #write: ((chunk: Buffer) => boolean) | undefined;
  #timer: NodeJS.Timeout | undefined;
  /**
   * Largest chunk handed on: the destination's highWaterMark, within [64 KiB, 1 MiB]. Reads are
   * offered no more room than that, so neither a read nor a chunk exceeds it (while holding: one
   * read's worth).
   */
  #limit = MIN_READ_BYTES;
  /** Bytes read since the connection opened: all of them belong to its one transfer. */
  bytes = 0;
  /** True while a receive counts (DataChannel.bytes reads `bytes`). */
  counting = false;

  readonly onread = {
    buffer: (): Uint8Array => this.#nextBuffer(),
    callback: (bytes: number): boolean => this.#read(bytes),
  };

  watch(socket: net.Socket): void {
    this.#socket = socket;
    // Once closed, the socket reads no more: its first batch can serve another connection.
    socket.once('close', this.#release);
    if (socket.readableEnded) this.#eof = true;
    else
      socket.once('end', () => {
        this.#eof = true;
        this.#onEof?.();
      });
  }

  discard(): void {
    this.#mode = 'discard';
    this.#clearTimer();
    this.#held = [];
    this.#start = this.#filled = 0;
    this.#write = undefined;
    this.#onEof = undefined;
  }

  /** True when the batch has too little room left for another read. */
  #full(): boolean {
    const size = this.#batch.length;
    return size - this.#filled < Math.min(MIN_READ_BYTES, size >>> 2);
  }

  #nextBuffer(): Uint8Array {
    if (this.#mode === 'discard') return this.#batch;
    if (this.#full()) {
      if (this.#filled > this.#start) this.#held.push(this.#unhanded());
      // Safe to reuse: the socket reads into the buffer returned below from now on.
      this.#retire();
      this.#batch = Buffer.allocUnsafe(BATCH_BYTES);
      this.#start = this.#filled = 0;
    }
    const room = this.#limit - (this.#filled - this.#start);
    return this.#batch.subarray(this.#filled, Math.min(this.#batch.length, this.#filled + room));
  }

  /** Returning false stops reading (Node's readStop) until `socket.resume()`. */
  #read(bytes: number): boolean {
    this.bytes += bytes;
    if (this.#mode === 'discard') return true;
    this.#filled += bytes;
    // Holding: keep one batch, then wait for the receiver (the kernel buffers the rest).
    if (this.#mode === 'hold') return !this.#full();
    if (this.#full() || this.#filled - this.#start > this.#limit - MIN_READ_BYTES) return this.#flush();
    if (this.#timer === undefined) this.#timer = setTimeout(this.#onTimer, FLUSH_DELAY);
    return true;
  }

  readonly #onTimer = (): void => {
    this.#timer = undefined;
    if (this.#mode === 'drain' && !this.#flush()) this.#socket?.pause();
  };

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Hands every unhanded byte to the destination; false when it asks to wait for 'drain'. */
  #flush(): boolean {
    this.#clearTimer();
    const write = this.#write;
    if (write === undefined) return true;
    let ok = true;
    if (this.#held.length > 0) {
      const held = this.#held;
      this.#held = [];
      for (const chunk of held) ok = write(chunk);
    }
    if (this.#filled > this.#start) {
      ok = write(this.#unhanded());
      this.#start = this.#filled;
    }
    return ok;
  }

  /** The read but unhanded bytes: a view, or a copy while the batch is a shared one. */
  #unhanded(): Buffer {
    const view = this.#batch.subarray(this.#start, this.#filled);
    return this.#shared ? Buffer.from(view) : view;
  }

  /** Gives a shared batch back (its unhanded bytes are kept as a copy). */
  #retire(): void {
    if (!this.#shared) return;
    this.#shared = false;
    if (spareBatches.length < MAX_SPARE_BATCHES) spareBatches.push(this.#batch);
  }

  readonly #release = (): void => {
    if (!this.#shared) return;
    if (this.#mode === 'hold' && this.#filled > this.#start) this.#held.push(this.#unhanded());
    this.#start = this.#filled = 0;
    this.#retire();
    this.#batch = EMPTY;
  };

  /**
   * Moves every byte up to the peer's EOF into `destination`, with `pump`'s outcome: resolves on
   * its 'finish' (process.stdout/stderr: once flushed, never ended), rejects — destroying the
   * destination — on an error of either side, a premature close, or `signal`.
   */
  drainInto(destination: Writable, signal: AbortSignal | undefined): Promise<void> {
    const socket = this.#socket;
    if (socket === undefined || this.#mode !== 'hold') {
      return Promise.reject(new TransportError(TransportErrorCodes.INVALID_STATE, 'Not a direct reader'));
    }
    return new Promise<void>((resolve, reject) => {
      const onSocketClose = () => {
        if (!this.#eof) outcome.fail(prematureClose());
      };
      const onSocketError = (error: Error) => outcome.fail(error);
      const onDrain = () => {
        if (!outcome.settled) socket.resume();
      };
      const onEof = () => {
        if (outcome.settled) return;
        this.#flush();
        // From here on a 'drain' means "flushed" (stdio), not "read more".
        destination.off('drain', onDrain);
        endDestination(destination, outcome.finish);
      };
      const outcome = watchOutcome(destination, signal, resolve, reject, {
        cleanup: () => {
          this.discard();
          socket.off('error', onSocketError);
          socket.off('close', onSocketClose);
          destination.off('drain', onDrain);
        },
      });
      if (outcome.settled) return;
      if (socket.destroyed && !this.#eof) return outcome.fail(prematureClose());
      socket.on('error', onSocketError);
      socket.on('close', onSocketClose);
      destination.on('drain', onDrain);
      // A destination that asks for small chunks (a low highWaterMark) gets them as read.
      this.#limit = Math.min(BATCH_BYTES, Math.max(MIN_READ_BYTES, destination.writableHighWaterMark));
      this.#mode = 'drain';
      this.#write = (chunk) => destination.write(chunk);
      this.#onEof = onEof;
      const ok = this.#flush();
      if (this.#eof) onEof();
      else if (ok) socket.resume();
    });
  }
}
