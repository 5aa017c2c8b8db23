/**
 * Passive data listeners (RFC 959 PASV, RFC 2428 EPSV) and the shared port pool.
 *
 * Owns: choosing a port from the configured range without ever leasing one port to two sessions
 * at once, listening on it, accepting exactly one connection from the expected peer, and giving
 * the port back on every path (transfer done, error, accept timeout, abort, refusal).
 *
 * Security (RFC 2577 §3, "port stealing"): by default a connection whose remote IP differs from
 * the control connection's is refused and closed. With PROT P, requiring TLS session reuse
 * (see DataChannel.startTlsServer) closes the remaining hole of a thief on the same IP.
 *
 * The client's active mode (PORT/EPRT) uses the same listener: there the expected peer is the
 * server's control address.
 */
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { TransportError, TransportErrorCodes, toTransportError } from '../errors.js';
import { canonicalIp, sameHost } from '../util/ip.js';
import { assertTimeout, deadline } from '../util/wait.js';
import { DataChannel, type DataChannelOptions, type DataServerTlsOptions } from './data-channel.js';

export interface PortRange {
  /** First port, inclusive. */
  readonly min: number;
  /** Last port, inclusive. */
  readonly max: number;
}

/**
 * Leases ports of one range. Share one pool among all sessions of a server (the guarantee is
 * per pool). Without a range a random port of the ephemeral range is used (the kernel's choice
 * after a few ports in use) and the pool only counts.
 */
export class PassivePortPool {
  readonly range: PortRange | undefined;
  readonly #leased = new Set<number>();
  #anyPortLeases = 0;
  #cursor = 0;

  constructor(range?: PortRange) {
    if (range !== undefined) {
      const { min, max } = range;
      if (!Number.isInteger(min) || !Number.isInteger(max) || min < 1 || max > 65_535 || min > max) {
        throw new TransportError(
          TransportErrorCodes.INVALID_ARGUMENT,
          `Invalid passive port range ${min}-${max}: need integers 1 <= min <= max <= 65535`,
        );
      }
      this.range = { min, max };
    } else {
      this.range = undefined;
    }
  }

  /** Ports currently leased (listening or carrying a data connection). */
  get inUse(): number {
    return this.#leased.size + this.#anyPortLeases;
  }

  /** Leases every not-yet-leased port in turn (round robin), for `listen` to try. */
  *candidates(): Generator<number> {
    if (this.range === undefined) {
      yield 0;
      return;
    }
    const { min, max } = this.range;
    const size = max - min + 1;
    const start = this.#cursor;
    for (let i = 0; i < size; i++) {
      const port = min + ((start + i) % size);
      if (this.#leased.has(port)) continue;
      this.#cursor = (port - min + 1) % size;
      yield port;
    }
  }

  lease(port: number): void {
    if (port === 0) this.#anyPortLeases++;
    else this.#leased.add(port);
  }

  release(port: number): void {
    if (port === 0) this.#anyPortLeases = Math.max(0, this.#anyPortLeases - 1);
    else this.#leased.delete(port);
  }
}

const anyPortPool = new PassivePortPool();

/** Where a passive port listens: fixed for its life. */
export interface PassivePortOptions {
  /** Address to bind: the control connection's local address. Default '127.0.0.1'. */
  readonly host?: string;
  /** Default: a process-wide pool without a range (random ephemeral ports). */
  readonly pool?: PassivePortPool;
  /**
   * The address to advertise in the 227/229 reply instead of the bound one: the public address of
   * a server behind NAT (vsftpd's pasv_address).
   */
  readonly masqueradeAddress?: string;
}

/** Who may connect, and for how long: one per expected data connection. */
export interface PassiveAcceptOptions {
  /**
   * The control connection's remote address. Required unless `requirePeerMatch` is false: data
   * connections from any other IP are refused.
   */
  readonly controlPeerAddress?: string;
  /** Default true (RFC 2577 §3). */
  readonly requirePeerMatch?: boolean;
  /**
   * Time for the peer to connect, counted from `openPassiveListener` (or `expect`). Default
   * 30 000 ms. When it runs out the listener closes and `accept` rejects with FTPKIT_ERR_TIMEOUT.
   */
  readonly acceptTimeout?: number;
  /** PROT P: the TLS server handshake starts as soon as the connection is accepted. */
  readonly tls?: DataServerTlsOptions;
  /** Options of the accepted data channel. */
  readonly channel?: DataChannelOptions;
  /** Aborting closes the listener (and an accepted, not yet taken connection). */
  readonly signal?: AbortSignal;
  /** Called for each refused connection (wrong peer); for logs. */
  readonly onRefused?: (error: TransportError) => void;
}

export interface PassiveListenerOptions extends PassivePortOptions, PassiveAcceptOptions {}

export interface PassiveListener {
  /** The bound address, canonical. */
  readonly host: string;
  readonly port: number;
  /** What to put in the 227/229 reply: `masqueradeAddress` or the bound address. */
  readonly advertisedAddress: string;
  readonly family: 'IPv4' | 'IPv6';
  /** The one data connection. Rejects with a `TransportError` (timeout, mismatch, abort, closed). */
  accept(options?: { readonly signal?: AbortSignal }): Promise<DataChannel>;
  /**
   * Stops expecting a connection (and closes one accepted but not yet taken by `accept`). From
   * `openPassiveListener`: the port closes and goes back to the pool. From `PassivePort.expect`:
   * the port stays open for the next expectation.
   */
  close(): Promise<void>;
  /** Resolves once the port has been returned to the pool. */
  whenReleased(): Promise<void>;
}

/**
 * A listener for exactly one data connection: it stops listening once that connection is
 * accepted, and returns its port to the pool when the connection closes.
 */
export async function openPassiveListener(options: PassiveListenerOptions = {}): Promise<PassiveListener> {
  checkAcceptOptions(options);
  const port = await listenPassivePort(options, true);
  return port.expect(options);
}

/**
 * A passive port kept open across transfers, for a session that sends PASV/EPSV before each file
 * of a batch: each `expect` arms it for one data connection (a `PassiveListener`, as
 * `openPassiveListener` gives), and between expectations every connection is refused at once.
 * That saves a listen and a close per transfer (a tenth of a small file's time here).
 *
 * Security is that of a fresh listener: an armed port takes only the expected peer (RFC 2577
 * §3); an expectation that fails (wrong peer, timeout, abort) closes the whole port, as it would
 * close a fresh listener. The port number stays the same across expectations, so keep it open
 * only while the control peer is checked (`requirePeerMatch`).
 */
export interface PassivePort {
  /** The bound address, canonical. */
  readonly host: string;
  readonly port: number;
  /** What to put in the 227/229 reply: `masqueradeAddress` or the bound address. */
  readonly advertisedAddress: string;
  readonly family: 'IPv4' | 'IPv6';
  /** True once closed: by `close()` or by a failed expectation. A closed port cannot `expect`. */
  readonly closed: boolean;
  /**
   * Arms the port for the next data connection. The previous expectation must be settled
   * (accepted, or closed with its listener's `close()`, which disarms without closing the port);
   * otherwise, or when the port is closed, throws FTPKIT_ERR_INVALID_STATE.
   */
  expect(options?: PassiveAcceptOptions): PassiveListener;
  /** Stops listening; an armed expectation rejects. Data connections already accepted go on. */
  close(): Promise<void>;
  /** Resolves once the port went back to the pool: closed, and its last data connection too. */
  whenReleased(): Promise<void>;
}

export async function openPassivePort(options: PassivePortOptions = {}): Promise<PassivePort> {
  return listenPassivePort(options, false);
}

async function listenPassivePort(options: PassivePortOptions, oneShot: boolean): Promise<PassivePortImpl> {
  const host = options.host ?? '127.0.0.1';
  const pool = options.pool ?? anyPortPool;
  const { server, port } = await listenOnPool(pool, host);
  return new PassivePortImpl(server, pool, port, options.masqueradeAddress, oneShot);
}

function checkAcceptOptions(options: PassiveAcceptOptions): void {
  if ((options.requirePeerMatch ?? true) && options.controlPeerAddress === undefined) {
    throw new TransportError(
      TransportErrorCodes.INVALID_ARGUMENT,
      'controlPeerAddress is required unless requirePeerMatch is false',
    );
  }
  if (options.signal?.aborted) {
    throw new TransportError(TransportErrorCodes.ABORTED, 'Passive listener aborted');
  }
}

async function listenOnPool(
  pool: PassivePortPool,
  host: string,
): Promise<{ server: net.Server; port: number }> {
  let lastError: unknown;
  for (const port of pool.candidates()) {
    pool.lease(port);
    try {
      if (port !== 0) return { server: await listenOn(host, port), port };
      // No range: a random port of the ephemeral range first (as Pure-FTPd does). Port 0 makes
      // Linux search for a free port, which costs ~1-2 ms of kernel time per listen once a few
      // thousand TIME_WAIT sockets exist (one per finished data connection); binding a given
      // port is ~50 µs. A port taken by someone else fails fast (EADDRINUSE): try another.
      for (let attempt = 0; attempt < RANDOM_PORT_ATTEMPTS; attempt++) {
        try {
          return { server: await listenOn(host, randomEphemeralPort()), port };
        } catch (error) {
          const code = (error as { code?: unknown }).code;
          if (code !== 'EADDRINUSE' && code !== 'EACCES') break;
        }
      }
      return { server: await listenOn(host, 0), port };
    } catch (error) {
      pool.release(port);
      lastError = error;
      const code = (error as { code?: unknown }).code;
      if (port === 0 || (code !== 'EADDRINUSE' && code !== 'EACCES')) {
        throw toTransportError(error, TransportErrorCodes.SOCKET, `Passive listen on ${host}:${port}`);
      }
    }
  }
  const range = pool.range;
  throw new TransportError(
    TransportErrorCodes.PORT_RANGE_EXHAUSTED,
    `No free port in the passive range ${range?.min}-${range?.max}`,
    { cause: lastError },
  );
}

async function listenOn(host: string, port: number): Promise<net.Server> {
  const server = net.createServer({ noDelay: true, pauseOnConnect: true });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      // exclusive: never share a port with a cluster sibling; backlog 8: one connection expected.
      server.listen({ host, port, exclusive: true, backlog: 8 }, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    server.close();
    throw error;
  }
  return server;
}

const RANDOM_PORT_ATTEMPTS = 8;
let ephemeralRange: PortRange | undefined;

/** A random port of the system's ephemeral range (Linux: ip_local_port_range; else IANA's). */
function randomEphemeralPort(): number {
  if (ephemeralRange === undefined) {
    ephemeralRange = { min: 49_152, max: 65_535 };
    try {
      const [min, max] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'latin1')
        .trim()
        .split(/\s+/)
        .map(Number);
      if (Number.isInteger(min) && Number.isInteger(max) && min! >= 1024 && max! <= 65_535 && min! < max!) {
        ephemeralRange = { min: min!, max: max! };
      }
    } catch {
      // Not Linux: keep IANA's dynamic range.
    }
  }
  const { min, max } = ephemeralRange;
  return min + randomInt(max - min + 1);
}

class PassivePortImpl implements PassivePort {
  readonly host: string;
  readonly port: number;
  readonly advertisedAddress: string;
  readonly family: 'IPv4' | 'IPv6';
  readonly #server: net.Server;
  readonly #pool: PassivePortPool;
  readonly #leasedPort: number;
  /** Stops listening after the first accepted connection (openPassiveListener). */
  readonly #oneShot: boolean;
  #listening = true;
  #armed: Expectation | undefined;
  /** Accepted data connections not yet closed: the port stays leased while any is open. */
  #open = 0;
  #released = false;
  readonly #releasedPromise: Promise<void>;
  #markReleased!: () => void;

  constructor(
    server: net.Server,
    pool: PassivePortPool,
    leasedPort: number,
    masqueradeAddress: string | undefined,
    oneShot: boolean,
  ) {
    const address = server.address() as net.AddressInfo;
    this.#server = server;
    this.#pool = pool;
    this.#leasedPort = leasedPort;
    this.#oneShot = oneShot;
    this.host = canonicalIp(address.address);
    this.port = address.port;
    this.family = address.family === 'IPv6' && !net.isIPv4(this.host) ? 'IPv6' : 'IPv4';
    this.advertisedAddress = masqueradeAddress ?? this.host;
    this.#releasedPromise = new Promise<void>((resolve) => {
      this.#markReleased = resolve;
    });
    server.on('connection', (socket) => this.#connection(socket));
    server.on('error', (error) =>
      this.#armed?.fail(toTransportError(error, TransportErrorCodes.SOCKET, 'Passive listener')),
    );
  }

  get closed(): boolean {
    return !this.#listening;
  }

  get oneShot(): boolean {
    return this.#oneShot;
  }

  expect(options: PassiveAcceptOptions = {}): PassiveListener {
    if (!this.#listening) {
      throw new TransportError(TransportErrorCodes.INVALID_STATE, 'The passive port is closed');
    }
    if (this.#armed !== undefined) {
      throw new TransportError(
        TransportErrorCodes.INVALID_STATE,
        'The passive port already expects a connection',
      );
    }
    checkAcceptOptions(options);
    const expectation = new Expectation(this, options);
    this.#armed = expectation;
    return expectation;
  }

  close(): Promise<void> {
    this.#armed?.fail(new TransportError(TransportErrorCodes.ABORTED, 'Passive listener closed'));
    this.#stopListening();
    return this.#releasedPromise;
  }

  whenReleased(): Promise<void> {
    return this.#releasedPromise;
  }

  /** The armed expectation settled: it took its connection, or failed (`closePort`), or was closed. */
  settled(expectation: Expectation, outcome: 'accepted' | 'failed' | 'disarmed'): void {
    if (this.#armed === expectation) this.#armed = undefined;
    if (outcome === 'failed' || this.#oneShot) this.#stopListening();
  }

  channelOpened(channel: DataChannel): void {
    this.#open++;
    void channel.whenClosed().then(() => {
      this.#open--;
      this.#release();
    });
  }

  #connection(socket: net.Socket): void {
    socket.on('error', () => {});
    const armed = this.#armed;
    // Not armed (between transfers, or the expected connection already came): refuse at once.
    if (armed === undefined || !armed.offer(socket)) socket.destroy();
  }

  #stopListening(): void {
    if (!this.#listening) return;
    this.#listening = false;
    this.#server.close();
    this.#release();
  }

  #release(): void {
    if (this.#released || this.#listening || this.#open > 0) return;
    this.#released = true;
    this.#pool.release(this.#leasedPort);
    this.#markReleased();
  }
}

/** One expected data connection on a passive port: the `PassiveListener` callers see. */
class Expectation implements PassiveListener {
  readonly #port: PassivePortImpl;
  readonly #options: PassiveAcceptOptions;
  readonly #requirePeerMatch: boolean;
  #channel: DataChannel | undefined;
  #taken = false;
  #error: TransportError | undefined;
  #waiter: { resolve(c: DataChannel): void; reject(e: TransportError): void } | undefined;
  readonly #guard: { dispose(): void };

  constructor(port: PassivePortImpl, options: PassiveAcceptOptions) {
    this.#port = port;
    this.#options = options;
    this.#requirePeerMatch = options.requirePeerMatch ?? true;
    const acceptTimeout = assertTimeout('acceptTimeout', options.acceptTimeout, 30_000);
    this.#guard = deadline(acceptTimeout, options.signal, 'Passive accept', (error) => this.fail(error));
  }

  get host(): string {
    return this.#port.host;
  }

  get port(): number {
    return this.#port.port;
  }

  get advertisedAddress(): string {
    return this.#port.advertisedAddress;
  }

  get family(): 'IPv4' | 'IPv6' {
    return this.#port.family;
  }

  accept(options: { readonly signal?: AbortSignal } = {}): Promise<DataChannel> {
    if (this.#taken) {
      return Promise.reject(
        new TransportError(TransportErrorCodes.INVALID_STATE, 'accept() was already called'),
      );
    }
    this.#taken = true;
    if (this.#channel !== undefined) return Promise.resolve(this.#channel);
    if (this.#error !== undefined) return Promise.reject(this.#error);
    const promise = new Promise<DataChannel>((resolve, reject) => {
      this.#waiter = { resolve, reject };
    });
    if (options.signal === undefined) return promise;
    const guard = deadline(0, options.signal, 'Passive accept', (error) => this.fail(error));
    return promise.finally(() => guard.dispose());
  }

  /**
   * Disarms: a connection not yet come is no longer expected (a one-shot port closes), and one
   * accepted but not taken by `accept` is closed. A reusable port stays open. Resolves once a
   * one-shot port is back in the pool; at once for a reusable port.
   */
  close(): Promise<void> {
    if (this.#channel === undefined && this.#error === undefined) {
      this.#settle(new TransportError(TransportErrorCodes.ABORTED, 'Passive listener closed'), 'disarmed');
    }
    if (this.#channel !== undefined && !this.#taken) this.#channel.abort();
    // A reusable port outlives its expectations: nothing of this one is left to wait for.
    return this.#port.oneShot ? this.#port.whenReleased() : Promise.resolve();
  }

  whenReleased(): Promise<void> {
    return this.#port.whenReleased();
  }

  /** Takes `socket` if it is the expected connection; false: not expected any more, refuse it. */
  offer(socket: net.Socket): boolean {
    if (this.#channel !== undefined || this.#error !== undefined) return false;
    if (this.#requirePeerMatch && !sameHost(socket.remoteAddress, this.#options.controlPeerAddress)) {
      const error = new TransportError(
        TransportErrorCodes.DATA_PEER_MISMATCH,
        `Refused a data connection from ${socket.remoteAddress}: the control connection is from ${this.#options.controlPeerAddress}`,
      );
      socket.destroy();
      this.#options.onRefused?.(error);
      this.fail(error);
      return true;
    }
    this.#guard.dispose();
    const channel = new DataChannel(socket, this.#options.channel);
    this.#channel = channel;
    this.#port.channelOpened(channel);
    this.#port.settled(this, 'accepted');
    // The socket stays paused (pauseOnConnect) until a reader pipes it or TLS starts reading.
    if (this.#options.tls !== undefined) void channel.startTlsServer(this.#options.tls).catch(() => {});
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.resolve(channel);
    return true;
  }

  /** Timeout, wrong peer, abort, listen error: the expectation fails and the port closes. */
  fail(error: TransportError): void {
    if (this.#channel === undefined && this.#error === undefined) this.#settle(error, 'failed');
  }

  #settle(error: TransportError, outcome: 'failed' | 'disarmed'): void {
    this.#guard.dispose();
    this.#error = error;
    this.#port.settled(this, outcome);
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.reject(error);
  }
}
