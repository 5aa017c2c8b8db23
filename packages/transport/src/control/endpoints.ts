/**
 * Opening control connections: a listener for the server role, a connect for the client role,
 * each plain (explicit `AUTH TLS` later) or implicit TLS (port 990 style, RFC 4217 §1 notes it
 * as historical but clients still use it).
 *
 * Owns: the TCP listener and its connection set, the connect/handshake timeouts. A handshake
 * that fails or stalls on an implicit-TLS listener ends with that one socket, never the listener.
 */
import net from 'node:net';
import type tls from 'node:tls';
import { type TransportError, TransportErrorCodes, toTransportError } from '../errors.js';
import { type ClientHandshakeOptions, secureClientSide, secureServerSide } from '../tls/secure-socket.js';
import { createServerSecureContext, type ServerTlsOptions } from '../tls/tls-options.js';
import { assertTimeout, deadline } from '../util/wait.js';
import { ControlChannel, type ControlChannelOptions } from './control-channel.js';

export interface ControlListenerOptions {
  /** Bind address. Default '127.0.0.1' (loopback: exposing a server is an explicit choice). */
  readonly host?: string;
  /** Default 0 (any free port; read `port` after listening). */
  readonly port?: number;
  /** Listen backlog. Default 511 (Node's). */
  readonly backlog?: number;
  /** Implicit TLS: every accepted socket is a TLS server socket before any byte is framed. */
  readonly implicitTls?: ServerTlsOptions & { readonly handshakeTimeout?: number };
  /** Options for each channel. */
  readonly channel?: ControlChannelOptions;
  /** A new control channel (after the TLS handshake with implicit TLS). */
  readonly onConnection: (channel: ControlChannel) => void;
  /**
   * A connection that failed before it became a channel (implicit-TLS handshake error or
   * timeout). Default: ignored (the socket is already destroyed).
   */
  readonly onConnectionError?: (error: TransportError, remoteAddress: string | undefined) => void;
  /** Called before anything else with the raw socket; return false to drop it (limits per IP). */
  readonly onAccept?: (socket: net.Socket) => boolean;
}

export interface ControlListener {
  readonly host: string;
  readonly port: number;
  /** Shared with data connections so PROT P can require session reuse (implicit TLS only). */
  readonly secureContext: tls.SecureContext | undefined;
  /** Live sockets accepted by this listener. */
  readonly connections: number;
  /**
   * Stops listening (resolves once the listening socket is closed; open channels are left to
   * their owners). With `destroyConnections`, also destroys them and waits until they closed.
   */
  close(options?: { destroyConnections?: boolean }): Promise<void>;
}

export async function listenControl(options: ControlListenerOptions): Promise<ControlListener> {
  const host = options.host ?? '127.0.0.1';
  const sockets = new Set<net.Socket>();
  const implicit = options.implicitTls;
  const secureContext = implicit === undefined ? undefined : createServerSecureContext(implicit);
  // One listener for every socket (`this` is the socket): a `once` wrapper and a closure per
  // connection were ~250 bytes of each idle session.
  const forget = function (this: net.Socket): void {
    sockets.delete(this);
  };
  const server = net.createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', forget);
    if (options.onAccept !== undefined && !options.onAccept(socket)) {
      socket.destroy();
      return;
    }
    if (secureContext === undefined || implicit === undefined) {
      options.onConnection(new ControlChannel(socket, options.channel));
      return;
    }
    // Swallow raw-socket errors until the TLS socket owns it; the handshake promise reports them.
    socket.on('error', () => {});
    const { tlsSocket, ready } = secureServerSide(socket, {
      secureContext,
      ...(implicit.requestCert === undefined ? {} : { requestCert: implicit.requestCert }),
      ...(implicit.rejectUnauthorized === undefined
        ? {}
        : { rejectUnauthorized: implicit.rejectUnauthorized }),
      ...(implicit.handshakeTimeout === undefined ? {} : { handshakeTimeout: implicit.handshakeTimeout }),
    });
    sockets.add(tlsSocket);
    tlsSocket.on('close', forget);
    ready.then(
      (secured) => options.onConnection(new ControlChannel(secured, options.channel)),
      (error) => options.onConnectionError?.(error, socket.remoteAddress),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(toTransportError(error, TransportErrorCodes.SOCKET, 'Control listen')),
    );
    server.listen({ host, port: options.port ?? 0, backlog: options.backlog ?? 511 }, () => resolve());
  });
  // After listening, an 'error' (e.g. EMFILE on accept) must not crash the process.
  server.on('error', () => {});
  const address = server.address() as net.AddressInfo;
  return {
    host: address.address,
    port: address.port,
    secureContext,
    get connections() {
      return sockets.size;
    },
    close({ destroyConnections = false } = {}) {
      return new Promise<void>((resolve) => {
        if (destroyConnections) {
          server.close(() => resolve());
          for (const socket of sockets) socket.destroy();
        } else {
          // net.Server's close callback waits for every accepted socket; the listening handle
          // itself is closed at once.
          server.close();
          setImmediate(resolve);
        }
      });
    },
  };
}

export interface ConnectControlOptions {
  readonly host: string;
  /** Default 21, or 990 with `implicitTls`. */
  readonly port?: number;
  /** Local address to connect from. */
  readonly localAddress?: string;
  /** Default 10 000 ms for the TCP connect (and again for the implicit-TLS handshake). */
  readonly connectTimeout?: number;
  readonly signal?: AbortSignal;
  /** Implicit TLS: handshake right after connecting. */
  readonly implicitTls?: ClientHandshakeOptions;
  readonly channel?: ControlChannelOptions;
}

/** Client role: connects and returns a control channel yielding the server's reply lines. */
export async function connectControl(options: ConnectControlOptions): Promise<ControlChannel> {
  const timeout = assertTimeout('connectTimeout', options.connectTimeout, 10_000);
  const port = options.port ?? (options.implicitTls === undefined ? 21 : 990);
  const socket = await connectTcp(
    {
      host: options.host,
      port,
      ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
    },
    timeout,
    options.signal,
    'Control connect',
  );
  const channelOptions: ControlChannelOptions = { idleTimeout: 0, ...options.channel };
  if (options.implicitTls === undefined) return new ControlChannel(socket, channelOptions);
  const { tlsSocket, ready } = secureClientSide(socket, {
    host: options.host,
    handshakeTimeout: timeout,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...options.implicitTls,
  });
  let session: Buffer | undefined;
  const onSession = (s: Buffer) => {
    session = s;
  };
  tlsSocket.on('session', onSession);
  await ready;
  const channel = new ControlChannel(tlsSocket, channelOptions);
  channel.adoptTlsSession(tlsSocket, session);
  tlsSocket.off('session', onSession);
  return channel;
}

/** TCP connect with a timeout and an AbortSignal; the socket is destroyed on every failure path. */
export function connectTcp(
  target: net.TcpNetConnectOpts,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  what: string,
): Promise<net.Socket> {
  const socket = net.connect({ noDelay: true, ...target });
  const guard = deadline(timeoutMs, signal, what, (error) => socket.destroy(error));
  const connected = new Promise<net.Socket>((resolve, reject) => {
    const onConnect = () => {
      socket.off('error', onError);
      resolve(socket);
    };
    const onError = (error: Error) => {
      socket.off('connect', onConnect);
      socket.destroy();
      reject(toTransportError(error, TransportErrorCodes.SOCKET, what));
    };
    socket.once('connect', onConnect);
    socket.once('error', onError);
  });
  return Promise.race([connected, guard.promise]).finally(() => guard.dispose());
}
