/**
 * The replayer's data connection, client role: passive (connect to the 227/229 port, optionally
 * from a foreign source address) or active (a listener the server connects to after PORT/EPRT).
 *
 * Owns: the one data connection of a step sequence, its TLS client handshake with session reuse
 * (RFC 4217 §9: the FTP client is the TLS client on data connections in both directions), and
 * bounded reads and writes. Sockets come from `@ftpkit/transport`.
 *
 * Client transcripts use the server role (`serve`: a passive listener for PASV/EPSV, `connectTo`:
 * the server's connect after PORT/EPRT), where the replayer is the TLS server and requires, when
 * asked, that the client resumes the control connection's session.
 */
import { Readable, Writable } from 'node:stream';
import {
  type ClientHandshakeOptions,
  connectActive,
  connectPassive,
  type DataChannel,
  type DataServerTlsOptions,
  openPassiveListener,
  type PassiveListener,
} from '@ftpkit/transport';
import { message, ReplayFailure } from './control.js';

/** Never hold more than this from one data connection: a hostile server may send forever. */
export const MAX_DATA_BYTES = 64 * 1024 * 1024;

export type Refusal = { readonly refused: true; readonly reason: string };

export class DataSession {
  #channel: DataChannel | undefined;
  #pending: Promise<DataChannel | Refusal> | undefined;
  #listener: PassiveListener | undefined;
  /** PROT P: the handshake to start when the transfer starts (not before: see `#secure`). */
  #tls: ClientHandshakeOptions | undefined;
  readonly #timeout: number;

  constructor(timeout: number) {
    this.#timeout = timeout;
  }

  /** Passive: connect now; a refused connect is recorded, not thrown (a step may expect it). */
  connect(options: {
    host: string;
    port: number;
    from?: string;
    tls?: ClientHandshakeOptions;
  }): Promise<void> {
    this.#reset();
    this.#tls = options.tls;
    this.#pending = (async () => {
      let channel: DataChannel;
      try {
        channel = await connectPassive({
          host: options.host,
          port: options.port,
          connectTimeout: this.#timeout,
          ...(options.from === undefined ? {} : { localAddress: options.from }),
          channel: { idleTimeout: this.#timeout },
        });
      } catch (error) {
        return { refused: true, reason: message(error) } as const;
      }
      this.#channel = channel;
      return channel;
    })();
    // Keep an unhandled rejection from escaping while no step awaits it yet.
    this.#pending.catch(() => {});
    return this.#pending.then(() => undefined);
  }

  /** Active: listen on `host`; the server connects after the transfer command. */
  listen(options: {
    host: string;
    controlPeer: string;
    requirePeer: boolean;
    tls?: ClientHandshakeOptions;
  }): Promise<{ host: string; port: number }> {
    this.#reset();
    this.#tls = options.tls;
    return this.#open(options.host, options.controlPeer, options.requirePeer, undefined);
  }

  /**
   * Server role, passive (client transcripts): listen for the client's data connection. With
   * `tls`, the TLS server handshake starts on accept (either handshake order works).
   */
  serve(options: {
    host: string;
    controlPeer: string;
    tls?: DataServerTlsOptions;
  }): Promise<{ host: string; port: number }> {
    this.#reset();
    return this.#open(options.host, options.controlPeer, true, options.tls);
  }

  /** Server role, active (client transcripts): connect to the client's PORT/EPRT address now. */
  connectTo(options: {
    host: string;
    port: number;
    controlPeer: string;
    localAddress?: string;
    tls?: DataServerTlsOptions;
  }): Promise<void> {
    this.#reset();
    this.#pending = (async () => {
      let channel: DataChannel;
      try {
        channel = await connectActive({
          host: options.host,
          port: options.port,
          controlPeerAddress: options.controlPeer,
          connectTimeout: this.#timeout,
          ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
          channel: { idleTimeout: this.#timeout },
        });
      } catch (error) {
        return { refused: true, reason: message(error) } as const;
      }
      if (options.tls !== undefined) void channel.startTlsServer(options.tls).catch(() => {});
      this.#channel = channel;
      return channel;
    })();
    this.#pending.catch(() => {});
    return this.#pending.then(() => undefined);
  }

  async #open(
    host: string,
    controlPeer: string,
    requirePeer: boolean,
    serverTls: DataServerTlsOptions | undefined,
  ): Promise<{ host: string; port: number }> {
    let listener: PassiveListener;
    try {
      listener = await openPassiveListener({
        host,
        controlPeerAddress: controlPeer,
        requirePeerMatch: requirePeer,
        acceptTimeout: this.#timeout * 2,
        channel: { idleTimeout: this.#timeout },
        ...(serverTls === undefined ? {} : { tls: serverTls }),
      });
    } catch (error) {
      throw new ReplayFailure(`cannot listen for a data connection on ${host}: ${message(error)}`);
    }
    this.#listener = listener;
    this.#pending = listener.accept().then(
      async (channel) => {
        this.#channel = channel;
        return channel;
      },
      (error: unknown) => ({ refused: true, reason: message(error) }) as const,
    );
    this.#pending.catch(() => {});
    return { host: listener.host, port: listener.port };
  }

  /**
   * Starts the TLS client handshake when the transfer starts, i.e. after the 1xx reply (ftplib's
   * order): pyftpdlib closes a PROT P data connection whose ClientHello arrives before the
   * transfer command, and servers that handshake after 150 (vsftpd) accept both orders.
   * `send`/`receive` wait for it; a failed handshake surfaces there.
   */
  #secure(channel: DataChannel, tls: ClientHandshakeOptions): void {
    channel.startTlsClient({ handshakeTimeout: this.#timeout, ...tls }).catch(() => {});
  }

  async #ready(): Promise<DataChannel> {
    if (this.#pending === undefined)
      throw new ReplayFailure('no data connection: use @data connect or @data listen first');
    const result = await withTimeout(
      this.#pending,
      this.#timeout * 2,
      'the data connection was not established',
    );
    if ('refused' in result) throw new ReplayFailure(`the data connection failed: ${result.reason}`);
    if (this.#tls !== undefined) {
      this.#secure(result, this.#tls);
      this.#tls = undefined;
    }
    return result;
  }

  async send(bytes: Uint8Array): Promise<void> {
    const channel = await this.#ready();
    try {
      await channel.send(Readable.from([Buffer.from(bytes)]), { signal: AbortSignal.timeout(this.#timeout) });
    } catch (error) {
      throw new ReplayFailure(`sending on the data connection failed: ${message(error)}`);
    } finally {
      this.#done();
    }
  }

  async receive(): Promise<Buffer> {
    const channel = await this.#ready();
    const chunks: Buffer[] = [];
    let length = 0;
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        length += chunk.length;
        if (length > MAX_DATA_BYTES) callback(new Error(`more than ${MAX_DATA_BYTES} bytes`));
        else {
          chunks.push(chunk);
          callback();
        }
      },
    });
    try {
      await channel.receive(sink, { signal: AbortSignal.timeout(this.#timeout) });
    } catch (error) {
      throw new ReplayFailure(`reading the data connection failed after ${length} bytes: ${message(error)}`);
    } finally {
      this.#done();
    }
    return Buffer.concat(chunks);
  }

  /**
   * Refused means: the connect failed, the server closed it without sending a byte, the server
   * never connected (active), or nothing arrived within the window.
   */
  async expectRefused(window: number): Promise<string> {
    if (this.#pending === undefined) throw new ReplayFailure('no data connection to check');
    const result = await withTimeout(this.#pending, window, '').catch(() => undefined);
    if (result === undefined) {
      this.#reset();
      return 'no data connection arrived';
    }
    if ('refused' in result) {
      this.#reset();
      return `refused: ${result.reason}`;
    }
    const received = await new Promise<number>((resolve) => {
      let bytes = 0;
      const socket = result.socket;
      const finish = () => {
        clearTimeout(timer);
        resolve(bytes);
      };
      const timer = setTimeout(finish, window);
      socket.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      socket.once('close', finish);
      socket.once('end', finish);
      socket.on('error', () => {});
      socket.resume();
    });
    discard(result);
    this.#channel = undefined;
    this.#reset();
    if (received > 0) throw new ReplayFailure(`the data connection was served: ${received} bytes arrived`);
    return 'closed or idle without data';
  }

  close(): Promise<void> {
    const channel = this.#channel;
    this.#reset();
    return channel === undefined ? Promise.resolve() : channel.close();
  }

  abort(): void {
    if (this.#channel !== undefined) discard(this.#channel);
    this.#channel = undefined;
    this.#reset();
  }

  #done(): void {
    void this.#listener?.close();
    this.#listener = undefined;
    this.#pending = undefined;
    this.#channel = undefined;
  }

  #reset(): void {
    void this.#listener?.close();
    this.#listener = undefined;
    this.#tls = undefined;
    if (this.#channel !== undefined) discard(this.#channel);
    this.#channel = undefined;
    const pending = this.#pending;
    this.#pending = undefined;
    // A connection that arrives after we gave up must not linger.
    void pending?.then(
      (result) => {
        if (!('refused' in result)) discard(result);
      },
      () => {},
    );
  }

  dispose(): void {
    this.#reset();
  }
}

/**
 * Ends a data connection we no longer want with a reset (`abort()`): the peer sees the transfer
 * was cut, never a clean EOF. (The transport handles a peer that already closed its end.)
 */
function discard(channel: DataChannel): void {
  if (!channel.socket.destroyed) channel.abort();
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ReplayFailure(`${what} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
