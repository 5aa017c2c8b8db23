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

export interface PassiveListenerOptions {
  /** Address to bind: the control connection's local address. Default '127.0.0.1'. */
  readonly host?: string;
  /** Default: a process-wide pool without a range (random ephemeral ports). */
  readonly pool?: PassivePortPool;
  /**
   * The control connection's remote address. Required unless `requirePeerMatch` is false: data
   * connections from any other IP are refused.
   */
  readonly controlPeerAddress?: string;
  /** Default true (RFC 2577 §3). */
  readonly requirePeerMatch?: boolean;
  /**
   * The address to advertise in the 227/229 reply instead of the bound one: the public address of
   * a server behind NAT (vsftpd's pasv_address).
   */
  readonly masqueradeAddress?: string;
  /**
   * Time for the peer to connect, counted from `openPassiveListener`. Default 30 000 ms. When it
   * runs out the listener closes and `accept` rejects with FTPKIT_ERR_TIMEOUT.
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

export interface PassiveListener {
  /** The bound address, canonical. */
  readonly host: string;
  readonly port: number;
  /** What to put in the 227/229 reply: `masqueradeAddress` or the bound address. */
  readonly advertisedAddress: string;
  readonly family: 'IPv4' | 'IPv6';
  /** The one data connection. Rejects with a `TransportError` (timeout, mismatch, abort, closed). */
  accept(options?: { readonly signal?: AbortSignal }): Promise<DataChannel>;
  /** Closes the listener (and a connection not yet taken by `accept`). Releases the port. */
  close(): Promise<void>;
  /** Resolves once the port has been returned to the pool. */
  whenReleased(): Promise<void>;
}

export async function openPassiveListener(options: PassiveListenerOptions = {}): Promise<PassiveListener> {
  const host = options.host ?? '127.0.0.1';
  const pool = options.pool ?? anyPortPool;
  const requirePeerMatch = options.requirePeerMatch ?? true;
  const acceptTimeout = assertTimeout('acceptTimeout', options.acceptTimeout, 30_000);
  if (requirePeerMatch && options.controlPeerAddress === undefined) {
    throw new TransportError(
      TransportErrorCodes.INVALID_ARGUMENT,
      'controlPeerAddress is required unless requirePeerMatch is false',
    );
  }
  if (options.signal?.aborted) {
    throw new TransportError(TransportErrorCodes.ABORTED, 'Passive listener aborted');
  }
  const { server, port: leasedPort } = await listenOnPool(pool, host);
  return new PassiveListenerImpl(server, pool, leasedPort, options, requirePeerMatch, acceptTimeout);
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

class PassiveListenerImpl implements PassiveListener {
  readonly host: string;
  readonly port: number;
  readonly advertisedAddress: string;
  readonly family: 'IPv4' | 'IPv6';
  readonly #server: net.Server;
  readonly #pool: PassivePortPool;
  readonly #leasedPort: number;
  readonly #options: PassiveListenerOptions;
  readonly #requirePeerMatch: boolean;
  #channel: DataChannel | undefined;
  #taken = false;
  #error: TransportError | undefined;
  #listening = true;
  #waiter: { resolve(c: DataChannel): void; reject(e: TransportError): void } | undefined;
  #released = false;
  #releasedPromise: Promise<void>;
  #markReleased!: () => void;
  #guard: { dispose(): void };

  constructor(
    server: net.Server,
    pool: PassivePortPool,
    leasedPort: number,
    options: PassiveListenerOptions,
    requirePeerMatch: boolean,
    acceptTimeout: number,
  ) {
    const address = server.address() as net.AddressInfo;
    this.#server = server;
    this.#pool = pool;
    this.#leasedPort = leasedPort;
    this.#options = options;
    this.#requirePeerMatch = requirePeerMatch;
    this.host = canonicalIp(address.address);
    this.port = address.port;
    this.family = address.family === 'IPv6' && !net.isIPv4(this.host) ? 'IPv6' : 'IPv4';
    this.advertisedAddress = options.masqueradeAddress ?? this.host;
    this.#releasedPromise = new Promise<void>((resolve) => {
      this.#markReleased = resolve;
    });
    server.on('connection', (socket) => this.#connection(socket));
    server.on('error', (error) =>
      this.#fail(toTransportError(error, TransportErrorCodes.SOCKET, 'Passive listener')),
    );
    this.#guard = deadline(acceptTimeout, options.signal, 'Passive accept', (error) => this.#fail(error));
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
    const guard = deadline(0, options.signal, 'Passive accept', (error) => this.#fail(error));
    return promise.finally(() => guard.dispose());
  }

  close(): Promise<void> {
    this.#fail(new TransportError(TransportErrorCodes.ABORTED, 'Passive listener closed'));
    if (this.#channel !== undefined && !this.#taken) this.#channel.abort();
    return this.#releasedPromise;
  }

  whenReleased(): Promise<void> {
    return this.#releasedPromise;
  }

  #connection(socket: net.Socket): void {
    socket.on('error', () => {});
    if (this.#channel !== undefined || this.#error !== undefined) {
      socket.destroy();
      return;
    }
    if (this.#requirePeerMatch && !sameHost(socket.remoteAddress, this.#options.controlPeerAddress)) {
      const error = new TransportError(
        TransportErrorCodes.DATA_PEER_MISMATCH,
        `Refused a data connection from ${socket.remoteAddress}: the control connection is from ${this.#options.controlPeerAddress}`,
      );
      socket.destroy();
      this.#options.onRefused?.(error);
      this.#fail(error);
      return;
    }
    this.#stopListening();
    this.#guard.dispose();
    const channel = new DataChannel(socket, this.#options.channel);
    this.#channel = channel;
    // The socket stays paused (pauseOnConnect) until a reader pipes it or TLS starts reading.
    if (this.#options.tls !== undefined) void channel.startTlsServer(this.#options.tls).catch(() => {});
    void channel.whenClosed().then(() => this.#release());
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.resolve(channel);
  }

  #fail(error: TransportError): void {
    this.#guard.dispose();
    if (this.#channel === undefined) {
      this.#error ??= error;
      this.#stopListening();
      this.#release();
      const waiter = this.#waiter;
      this.#waiter = undefined;
      waiter?.reject(this.#error);
    }
  }

  #stopListening(): void {
    if (!this.#listening) return;
    this.#listening = false;
    this.#server.close();
  }

  #release(): void {
    if (this.#released || this.#listening) return;
    this.#released = true;
    this.#pool.release(this.#leasedPort);
    this.#markReleased();
  }
}
