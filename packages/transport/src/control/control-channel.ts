/**
 * The FTP control connection as a stream of framed lines (RFC 959 §4.1.3, RFC 4217).
 *
 * Owns: one TCP (or TLS) socket, the codec's `LineFramer` over it, backpressure between the
 * socket and the consumer, ordered awaitable writes, the in-place `AUTH TLS` upgrade in both
 * roles, and the idle / slow-line timers. Yields framed lines in both roles: a server reads
 * commands, a client feeds the lines to the codec's reply parser. Never parses a command or a
 * reply — the meaning of a line is the owner's business.
 *
 * Memory: an idle channel holds this object, an empty framer (its buffer is allocated on first
 * partial line) and an empty queue; no timers except the socket's own idle timer.
 */
import { EventEmitter } from 'node:events';
import type net from 'node:net';
import type tls from 'node:tls';
import { type FramerItem, LineFramer } from '@ftpkit/codec';
import { isTransportError, TransportError, TransportErrorCodes, toTransportError } from '../errors.js';
import { type ClientHandshakeOptions, secureClientSide, secureServerSide } from '../tls/secure-socket.js';
import { createServerSecureContext, type ServerTlsOptions } from '../tls/tls-options.js';
import { canonicalIp } from '../util/ip.js';
import { assertTimeout, deadline } from '../util/wait.js';

/** A framed line, a Telnet command (e.g. IP / DM of the synch before ABOR), or a framing error. */
export type ControlItem = FramerItem;

export interface ControlChannelOptions {
  /** Longest line in bytes, excluding CRLF. Default 4096 (the codec's default). */
  readonly maxLineLength?: number;
  /** Interpret Telnet IAC sequences. Default true (RFC 959 §4.1.3). */
  readonly telnet?: boolean;
  /** Line text encoding. Default 'utf8' (RFC 2640). */
  readonly encoding?: 'utf8' | 'latin1';
  /**
   * Close the channel after this many ms without traffic in either direction. Default 300 000
   * (vsftpd's idle_session_timeout); 0 disables. The owner can change it any time
   * (`setIdleTimeout`), e.g. to suspend it during a transfer.
   */
  readonly idleTimeout?: number;
  /**
   * Called once when the idle timer fires, before the channel closes, so a server can send
   * `421 Timeout`. Its promise is awaited for at most `closeTimeout` ms.
   */
  readonly onIdle?: (channel: ControlChannel) => void | Promise<void>;
  /**
   * A started line must be finished within this many ms; bounds a peer that trickles one byte a
   * second (the idle timer alone would never fire). Default 60 000; 0 disables.
   */
  readonly lineTimeout?: number;
  /** Items buffered for a slow consumer before the socket is paused. Default 32. */
  readonly highWaterMark?: number;
  /** Limit for a graceful `close()` to flush before the socket is destroyed. Default 5000. */
  readonly closeTimeout?: number;
}

export interface NextOptions {
  readonly signal?: AbortSignal;
  /** Give up waiting for the next item after this many ms (0 = no limit; the idle timer still applies). */
  readonly timeout?: number;
}

export interface ServerUpgradeOptions extends ServerTlsOptions {
  readonly handshakeTimeout?: number;
  readonly signal?: AbortSignal;
}

export type ClientUpgradeOptions = ClientHandshakeOptions;

interface Waiter {
  resolve(result: IteratorResult<ControlItem>): void;
  reject(error: unknown): void;
}

const DEFAULTS = {
  idleTimeout: 300_000,
  lineTimeout: 60_000,
  highWaterMark: 32,
  closeTimeout: 5_000,
};

export class ControlChannel extends EventEmitter implements AsyncIterable<ControlItem> {
  #socket: net.Socket;
  readonly #framer: LineFramer;
  readonly #options: ControlChannelOptions;
  #queue: ControlItem[] = [];
  #head = 0;
  #waiter: Waiter | undefined;
  #paused = false;
  #ended = false;
  #endError: TransportError | undefined;
  #closed = false;
  #upgrading = false;
  #session: Buffer | undefined;
  #lineTimer: NodeJS.Timeout | undefined;
  #idleBeforeUpgrade = 0;
  #closedPromise: Promise<void> | undefined;
  /** Created by the first read with a limit (a client's); a server's channels never hold one. */
  #clock: ReadClock | undefined;

  // Socket listeners shared by every channel (the socket is `this`; its channel comes from a
  // WeakMap): five closures per channel were ~300 bytes of each idle session's heap.
  static readonly #owners = new WeakMap<net.Socket, ControlChannel>();
  static readonly #onData = function (this: net.Socket, chunk: Buffer): void {
    const channel = ControlChannel.#owners.get(this);
    if (channel !== undefined) channel.#data(chunk);
  };
  static readonly #onEnd = function (this: net.Socket): void {
    const channel = ControlChannel.#owners.get(this);
    if (channel !== undefined) channel.#peerEnded();
  };
  static readonly #onError = function (this: net.Socket, error: Error): void {
    const channel = ControlChannel.#owners.get(this);
    if (channel !== undefined)
      channel.#fail(toTransportError(error, TransportErrorCodes.SOCKET, 'Control connection'));
  };
  static readonly #onClose = function (this: net.Socket): void {
    const channel = ControlChannel.#owners.get(this);
    if (channel !== undefined) channel.#socketClosed();
  };
  static readonly #onTimeout = function (this: net.Socket): void {
    const channel = ControlChannel.#owners.get(this);
    if (channel !== undefined) channel.#idle();
  };

  constructor(socket: net.Socket, options: ControlChannelOptions = {}) {
    super();
    this.#options = options;
    this.#framer = new LineFramer({
      ...(options.maxLineLength === undefined ? {} : { maxLineLength: options.maxLineLength }),
      ...(options.telnet === undefined ? {} : { telnet: options.telnet }),
      ...(options.encoding === undefined ? {} : { encoding: options.encoding }),
    });
    assertTimeout('lineTimeout', options.lineTimeout, 0);
    assertTimeout('closeTimeout', options.closeTimeout, 0);
    this.#socket = socket;
    this.#attach(socket);
    this.setIdleTimeout(assertTimeout('idleTimeout', options.idleTimeout, DEFAULTS.idleTimeout));
    if (socket.destroyed) queueMicrotask(() => this.#socketClosed());
  }

  /** The current socket: a `tls.TLSSocket` after an upgrade or with implicit TLS. */
  get socket(): net.Socket {
    return this.#socket;
  }

  get secure(): boolean {
    return (this.#socket as tls.TLSSocket).encrypted === true;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The peer's address in canonical form (IPv4-mapped IPv6 unwrapped). */
  get remoteAddress(): string | undefined {
    const a = this.#socket.remoteAddress;
    return a === undefined ? undefined : canonicalIp(a);
  }

  get remotePort(): number | undefined {
    return this.#socket.remotePort;
  }

  /** The local address in canonical form: where a passive listener should bind. */
  get localAddress(): string | undefined {
    const a = this.#socket.localAddress;
    return a === undefined ? undefined : canonicalIp(a);
  }

  get localPort(): number | undefined {
    return this.#socket.localPort;
  }

  /**
   * Client role: the latest TLS session of this control connection, to resume on data
   * connections. TLS 1.3 tickets arrive after the handshake, so this is updated on every
   * 'session' event; read it when opening each data connection, not once.
   */
  get tlsSession(): Buffer | undefined {
    return this.#session;
  }

  /**
   * Client role with implicit TLS: start tracking the session tickets of `tlsSocket` (the socket
   * this channel was built on). Internal plumbing for `connectControl`; harmless elsewhere.
   */
  adoptTlsSession(tlsSocket: tls.TLSSocket, initial: Buffer | undefined): void {
    if (initial !== undefined) this.#session = initial;
    tlsSocket.on('session', (session: Buffer) => this.#setSession(session));
  }

  /**
   * Client role: resolves with a resumable TLS session as soon as there is one. With TLS 1.3 the
   * server's tickets come after the handshake (Node delivers them after the first reply bytes),
   * so a client that opens a data connection right after `AUTH TLS` should wait here first.
   */
  waitForTlsSession(options: NextOptions = {}): Promise<Buffer> {
    if (this.#session !== undefined) return Promise.resolve(this.#session);
    const guard = deadline(options.timeout ?? 10_000, options.signal, 'Waiting for a TLS session ticket');
    const got = new Promise<Buffer>((resolve) => this.once('session', resolve));
    return Promise.race([got, guard.promise]).finally(() => guard.dispose());
  }

  #setSession(session: Buffer): void {
    this.#session = session;
    this.emit('session', session);
  }

  /** Sets (or with 0 clears) the idle timeout. Activity in either direction restarts it. */
  setIdleTimeout(ms: number): void {
    assertTimeout('idleTimeout', ms, 0);
    this.#socket.setTimeout(ms);
  }

  /**
   * The next framed item; `done` at a clean end of the connection. Throws a `TransportError`.
   * Without `timeout`, the channel's read timeout applies (`setReadTimeout`, default none).
   */
  next(options?: NextOptions): Promise<IteratorResult<ControlItem>> {
    if (this.#head < this.#queue.length) return Promise.resolve({ done: false, value: this.#take() });
    if (this.#ended) {
      return this.#endError === undefined
        ? Promise.resolve({ done: true, value: undefined })
        : Promise.reject(this.#endError);
    }
    if (this.#waiter !== undefined) {
      return Promise.reject(
        new TransportError(
          TransportErrorCodes.INVALID_STATE,
          'Only one reader at a time on a control channel',
        ),
      );
    }
    const promise = new Promise<IteratorResult<ControlItem>>((resolve, reject) => {
      this.#waiter = { resolve, reject };
    });
    this.#resume();
    const timeout = options?.timeout;
    if (timeout !== undefined || this.#clock !== undefined) this.#readClock().start(timeout);
    const signal = options?.signal;
    if (signal === undefined) return promise;
    const guard = deadline(0, signal, 'Waiting for a control line', (error) => this.#rejectWaiter(error));
    return promise.finally(() => guard.dispose());
  }

  /**
   * The limit for reads that pass no `timeout` (0 = none), from now: a read already waiting
   * without its own `timeout` gets `ms` from this call. A client sets it when a transfer's data
   * connection ends, while it is already waiting for the final reply.
   */
  setReadTimeout(ms: number): void {
    assertTimeout('readTimeout', ms, 0);
    if (ms === 0 && this.#clock === undefined) return;
    this.#readClock().setDefault(ms, this.#waiter !== undefined);
  }

  /** Async iteration over framed items; breaking out of the loop does not close the channel. */
  async *[Symbol.asyncIterator](): AsyncIterator<ControlItem> {
    for (;;) {
      const result = await this.next();
      if (result.done === true) return;
      yield result.value;
    }
  }

  /** Writes bytes or text (UTF-8) as is. Resolves when the socket accepted them; ordered. */
  write(data: string | Uint8Array): Promise<void> {
    if (this.#closed || this.#socket.destroyed || this.#socket.writableEnded) {
      return Promise.reject(
        new TransportError(TransportErrorCodes.CONNECTION_CLOSED, 'Control connection is closed'),
      );
    }
    return new Promise<void>((resolve, reject) => {
      this.#socket.write(data, (error) => {
        if (error == null) resolve();
        else reject(toTransportError(error, TransportErrorCodes.CONNECTION_CLOSED, 'Control write failed'));
      });
    });
  }

  /** Writes `text` followed by CRLF. `text` must not contain CR or LF (the codec formats it). */
  writeLine(text: string): Promise<void> {
    return this.write(`${text}\r\n`);
  }

  /**
   * Server side of `AUTH TLS` (RFC 4217 §4): call after the 234 reply was written. Anything the
   * client sent after `AUTH TLS` and before its ClientHello is dropped, never read as commands.
   */
  async upgradeServer(options: ServerUpgradeOptions): Promise<void> {
    const socket = this.#beginUpgrade();
    const secureContext = createServerSecureContext(options);
    const { tlsSocket, ready } = secureServerSide(socket, {
      secureContext,
      ...(options.requestCert === undefined ? {} : { requestCert: options.requestCert }),
      ...(options.rejectUnauthorized === undefined ? {} : { rejectUnauthorized: options.rejectUnauthorized }),
      ...(options.handshakeTimeout === undefined ? {} : { handshakeTimeout: options.handshakeTimeout }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    await this.#finishUpgrade(tlsSocket, ready);
  }

  /** Client side of `AUTH TLS`: call after reading the 234 reply. */
  async upgradeClient(options: ClientUpgradeOptions = {}): Promise<void> {
    const socket = this.#beginUpgrade();
    const { tlsSocket, ready } = secureClientSide(socket, options);
    tlsSocket.on('session', (session: Buffer) => this.#setSession(session));
    await this.#finishUpgrade(tlsSocket, ready);
  }

  /**
   * Graceful close: flushes pending writes, sends FIN (and TLS close_notify), and destroys the
   * socket if the peer has not closed within `closeTimeout`. Iteration ends with `done`.
   */
  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#endWith(undefined);
      const socket = this.#socket;
      if (!socket.destroyed) {
        socket.end();
        const limit = this.#options.closeTimeout ?? DEFAULTS.closeTimeout;
        if (limit > 0) {
          const timer = setTimeout(() => socket.destroy(), limit);
          timer.unref();
          socket.once('close', () => clearTimeout(timer));
        }
      }
    }
    return this.whenClosed();
  }

  /** Immediate close; pending reads reject with `error` when given. */
  destroy(error?: TransportError): void {
    this.#closed = true;
    this.#endWith(error);
    this.#socket.destroy();
  }

  /** Resolves once the underlying socket has fully closed. */
  whenClosed(): Promise<void> {
    if (this.#closedPromise === undefined) {
      const socket = this.#socket;
      this.#closedPromise =
        socket.destroyed && socket.closed
          ? Promise.resolve()
          : new Promise<void>((resolve) => {
              if (socket.closed) resolve();
              else this.once('close', () => resolve());
            });
    }
    return this.#closedPromise;
  }

  // ---- internals ----

  #attach(socket: net.Socket): void {
    ControlChannel.#owners.set(socket, this);
    socket.on('data', ControlChannel.#onData);
    socket.on('end', ControlChannel.#onEnd);
    socket.on('error', ControlChannel.#onError);
    socket.on('close', ControlChannel.#onClose);
    socket.on('timeout', ControlChannel.#onTimeout);
  }

  #detach(socket: net.Socket): void {
    socket.off('data', ControlChannel.#onData);
    socket.off('end', ControlChannel.#onEnd);
    socket.off('error', ControlChannel.#onError);
    socket.off('close', ControlChannel.#onClose);
    socket.off('timeout', ControlChannel.#onTimeout);
    ControlChannel.#owners.delete(socket);
  }

  #data(chunk: Buffer): void {
    if (this.#upgrading || this.#ended) return;
    const before = this.#queue.length;
    this.#framer.push(chunk, this.#queue);
    if (this.#queue.length > before) this.#deliver();
    this.#armLineTimer();
    if (this.#queue.length - this.#head >= (this.#options.highWaterMark ?? DEFAULTS.highWaterMark)) {
      this.#paused = true;
      this.#socket.pause();
    }
  }

  #deliver(): void {
    const waiter = this.#waiter;
    if (waiter !== undefined && this.#head < this.#queue.length) {
      this.#waiter = undefined;
      this.#clock?.stop();
      waiter.resolve({ done: false, value: this.#take() });
    }
  }

  #take(): ControlItem {
    const item = this.#queue[this.#head]!;
    this.#queue[this.#head] = undefined as unknown as ControlItem;
    this.#head++;
    if (this.#head === this.#queue.length) {
      this.#queue.length = 0;
      this.#head = 0;
    } else if (this.#head > 1024) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    if (
      this.#paused &&
      this.#queue.length - this.#head < (this.#options.highWaterMark ?? DEFAULTS.highWaterMark) / 2
    ) {
      this.#resume();
    }
    return item;
  }

  #resume(): void {
    if (this.#paused && !this.#upgrading) {
      this.#paused = false;
      this.#socket.resume();
    }
  }

  #rejectWaiter(error: TransportError): void {
    const waiter = this.#waiter;
    this.#waiter = undefined;
    this.#clock?.stop();
    waiter?.reject(error);
  }

  #readClock(): ReadClock {
    this.#clock ??= new ReadClock((limit) =>
      this.#rejectWaiter(
        new TransportError(
          TransportErrorCodes.TIMEOUT,
          `Waiting for a control line timed out after ${limit} ms`,
        ),
      ),
    );
    return this.#clock;
  }

  #armLineTimer(): void {
    const limit = this.#options.lineTimeout ?? DEFAULTS.lineTimeout;
    const partial = this.#framer.pendingBytes > 0 || this.#framer.discarding;
    if (!partial || limit === 0) {
      if (this.#lineTimer !== undefined) clearTimeout(this.#lineTimer);
      this.#lineTimer = undefined;
      return;
    }
    if (this.#lineTimer !== undefined) return;
    this.#lineTimer = setTimeout(() => {
      this.#lineTimer = undefined;
      this.destroy(
        new TransportError(TransportErrorCodes.TIMEOUT, `A control line was not finished within ${limit} ms`),
      );
    }, limit);
  }

  #peerEnded(): void {
    // A connection that ends inside a line (or inside a TLS upgrade) did not end cleanly.
    if (this.#framer.pendingBytes > 0 || this.#framer.discarding) {
      this.#endWith(
        new TransportError(TransportErrorCodes.CONNECTION_CLOSED, 'Peer closed the connection mid-line'),
      );
    } else {
      this.#endWith(undefined);
    }
  }

  #fail(error: TransportError): void {
    this.#endWith(error);
    // Errors reach the owner through next()/iteration; an 'error' listener is optional and its
    // absence must not turn a peer's reset into an uncaught exception.
    if (this.listenerCount('error') > 0) this.emit('error', error);
  }

  #socketClosed(): void {
    if (this.#upgrading) return;
    this.#closed = true;
    this.#endWith(
      this.#ended
        ? undefined
        : new TransportError(TransportErrorCodes.CONNECTION_CLOSED, 'Control connection closed'),
    );
    if (this.#lineTimer !== undefined) clearTimeout(this.#lineTimer);
    this.#lineTimer = undefined;
    this.emit('close');
  }

  #idle(): void {
    const error = new TransportError(TransportErrorCodes.TIMEOUT, 'Control connection idle timeout');
    const onIdle = this.#options.onIdle;
    this.#socket.setTimeout(0);
    if (onIdle === undefined) {
      this.#endWith(error);
      void this.close();
      return;
    }
    // Keep the consumer's error for after the owner's goodbye (e.g. 421) has been written.
    const limit = this.#options.closeTimeout ?? DEFAULTS.closeTimeout;
    const guard = deadline(limit, undefined, 'onIdle');
    Promise.race([Promise.resolve().then(() => onIdle(this)), guard.promise])
      .catch(() => {})
      .finally(() => {
        guard.dispose();
        this.#endWith(error);
        void this.close();
      });
  }

  #endWith(error: TransportError | undefined): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#endError = error;
    if (this.#lineTimer !== undefined) clearTimeout(this.#lineTimer);
    this.#lineTimer = undefined;
    this.#clock?.dispose();
    const waiter = this.#waiter;
    if (waiter !== undefined && this.#head >= this.#queue.length) {
      this.#waiter = undefined;
      if (error === undefined) waiter.resolve({ done: true, value: undefined });
      else waiter.reject(error);
    }
  }

  #beginUpgrade(): net.Socket {
    if (this.#upgrading || this.secure) {
      throw new TransportError(TransportErrorCodes.INVALID_STATE, 'Control connection is already secured');
    }
    if (this.#closed || this.#socket.destroyed) {
      throw new TransportError(TransportErrorCodes.CONNECTION_CLOSED, 'Control connection is closed');
    }
    const socket = this.#socket;
    this.#upgrading = true;
    this.#detach(socket);
    // RFC 4217 §4: nothing received before the handshake counts; drop queued lines and partials.
    this.#queue.length = 0;
    this.#head = 0;
    this.#framer.reset();
    if (this.#lineTimer !== undefined) clearTimeout(this.#lineTimer);
    this.#lineTimer = undefined;
    this.#idleBeforeUpgrade = socket.timeout ?? 0;
    socket.setTimeout(0);
    return socket;
  }

  async #finishUpgrade(tlsSocket: tls.TLSSocket, ready: Promise<tls.TLSSocket>): Promise<void> {
    const idle = this.#idleBeforeUpgrade;
    try {
      await ready;
    } catch (error) {
      this.#upgrading = false;
      this.#socket = tlsSocket;
      this.destroy(isTransportError(error) ? error : undefined);
      this.emit('close');
      throw error;
    }
    this.#upgrading = false;
    this.#socket = tlsSocket;
    this.#closedPromise = undefined;
    this.#attach(tlsSocket);
    tlsSocket.setTimeout(idle);
    if (this.#paused) {
      this.#paused = false;
      tlsSocket.resume();
    }
    if (this.#closed) tlsSocket.destroy();
  }
}

/**
 * The read limits of one channel: the waiting read's deadline, checked by one lazy timer. A read
 * answered in time costs two assignments and no timer: the timer armed by an earlier read is left
 * running and, when it fires, re-arms itself for the current deadline or stops. A client reads
 * three replies per small file; a timer per read was a visible part of its CPU.
 */
class ReadClock {
  /** Limit of reads without their own timeout (`setReadTimeout`); 0 = none. */
  #default = 0;
  /**
   * The waiting read follows `#default` (it passed no timeout). True at creation: a read that
   * waits before the channel has a clock passed none (one with a timeout would have made it).
   */
  #followsDefault = true;
  /** `performance.now()` ms when the waiting read times out; 0 = no limit. */
  #deadline = 0;
  #limit = 0;
  #timer: NodeJS.Timeout | undefined;
  #timerAt = 0;
  readonly #expire: (limit: number) => void;

  constructor(expire: (limit: number) => void) {
    this.#expire = expire;
  }

  /** A read starts waiting, with its own `timeout` (0 = none) or the default. */
  start(timeout: number | undefined): void {
    this.#followsDefault = timeout === undefined;
    const limit = timeout ?? this.#default;
    if (limit > 0) this.#arm(limit);
    else this.#deadline = 0;
  }

  setDefault(ms: number, waiting: boolean): void {
    this.#default = ms;
    if (!waiting || !this.#followsDefault) return;
    if (ms > 0) this.#arm(ms);
    else this.#deadline = 0;
  }

  /** The waiting read was answered (or rejected). */
  stop(): void {
    this.#deadline = 0;
  }

  dispose(): void {
    this.#deadline = 0;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(limit: number): void {
    const at = performance.now() + limit;
    this.#deadline = at;
    this.#limit = limit;
    // A timer due no later than the new deadline re-arms itself for the rest when it fires.
    if (this.#timer !== undefined) {
      if (this.#timerAt <= at) return;
      clearTimeout(this.#timer);
    }
    this.#startTimer(at, limit);
  }

  #startTimer(at: number, delay: number): void {
    this.#timerAt = at;
    this.#timer = setTimeout(this.#fire, Math.max(1, Math.ceil(delay)));
    this.#timer.unref();
  }

  readonly #fire = (): void => {
    this.#timer = undefined;
    const due = this.#deadline;
    if (due === 0) return;
    const left = due - performance.now();
    if (left > 0) {
      this.#startTimer(due, left);
      return;
    }
    this.#deadline = 0;
    this.#expire(this.#limit);
  };
}
