/**
 * Wrapping an existing TCP socket in TLS, in either role, with a bounded handshake.
 *
 * Owns: the handshake wait (timeout, AbortSignal, peer hang-up) for `AUTH TLS` upgrades, implicit
 * TLS and PROT P data connections. Both directions go through here so the same limits apply to
 * every handshake a peer can stall.
 */
import net from 'node:net';
import tls from 'node:tls';
import { TransportError, TransportErrorCodes, toTransportError } from '../errors.js';
import { deadline } from '../util/wait.js';
import { type ClientTlsOptions, createClientSecureContext } from './tls-options.js';

/** Default handshake limit: generous for a slow link, short enough that a mute peer frees its slot. */
export const DEFAULT_HANDSHAKE_TIMEOUT = 10_000;

export interface ServerHandshakeOptions {
  readonly secureContext: tls.SecureContext;
  readonly requestCert?: boolean;
  readonly rejectUnauthorized?: boolean;
  /** Default 10 s. 0 disables the timer (the signal still applies). */
  readonly handshakeTimeout?: number;
  readonly signal?: AbortSignal;
}

export interface ClientHandshakeOptions extends ClientTlsOptions {
  /** The host the socket is connected to: the default for the identity check and SNI. */
  readonly host?: string;
  /** A session to resume (the control connection's, for a data connection). */
  readonly session?: Buffer;
  readonly handshakeTimeout?: number;
  readonly signal?: AbortSignal;
}

/** Starts the server side of a handshake on `socket` at once; `ready` settles when it ends. */
export function secureServerSide(
  socket: net.Socket,
  options: ServerHandshakeOptions,
): { tlsSocket: tls.TLSSocket; ready: Promise<tls.TLSSocket> } {
  const tlsSocket = new tls.TLSSocket(socket, {
    isServer: true,
    secureContext: options.secureContext,
    requestCert: options.requestCert ?? false,
    rejectUnauthorized: options.requestCert === true ? (options.rejectUnauthorized ?? true) : false,
  });
  return { tlsSocket, ready: awaitHandshake(tlsSocket, 'secure', options.handshakeTimeout, options.signal) };
}

/** Starts the client side of a handshake on `socket` at once; `ready` settles when it ends. */
export function secureClientSide(
  socket: net.Socket,
  options: ClientHandshakeOptions,
): { tlsSocket: tls.TLSSocket; ready: Promise<tls.TLSSocket> } {
  const host = options.host ?? socket.remoteAddress ?? 'localhost';
  const servername = options.servername ?? (net.isIP(host) === 0 ? host : undefined);
  const connectOptions: tls.ConnectionOptions = {
    socket,
    host,
    secureContext: createClientSecureContext(options),
    rejectUnauthorized: options.rejectUnauthorized ?? true,
  };
  if (servername !== undefined) connectOptions.servername = servername;
  if (options.session !== undefined) connectOptions.session = options.session;
  if (options.checkServerIdentity !== undefined)
    connectOptions.checkServerIdentity = options.checkServerIdentity;
  const tlsSocket = tls.connect(connectOptions);
  return {
    tlsSocket,
    ready: awaitHandshake(tlsSocket, 'secureConnect', options.handshakeTimeout, options.signal),
  };
}

function awaitHandshake(
  tlsSocket: tls.TLSSocket,
  event: 'secure' | 'secureConnect',
  timeoutMs: number | undefined,
  signal: AbortSignal | undefined,
): Promise<tls.TLSSocket> {
  const guard = deadline(timeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT, signal, 'TLS handshake', (error) =>
    tlsSocket.destroy(error),
  );
  const done = new Promise<tls.TLSSocket>((resolve, reject) => {
    const cleanup = () => {
      tlsSocket.off(event, onSecure);
      tlsSocket.off('error', onError);
      tlsSocket.off('close', onClose);
    };
    const onSecure = () => {
      cleanup();
      // A client that requested verification already failed in 'error'; a server with
      // requestCert + rejectUnauthorized likewise. Nothing more to check here.
      resolve(tlsSocket);
    };
    const onError = (error: Error) => {
      cleanup();
      tlsSocket.destroy();
      reject(toTransportError(error, TransportErrorCodes.TLS_HANDSHAKE, 'TLS handshake failed'));
    };
    const onClose = () => {
      cleanup();
      reject(
        new TransportError(
          TransportErrorCodes.CONNECTION_CLOSED,
          'Connection closed during the TLS handshake',
        ),
      );
    };
    tlsSocket.on(event, onSecure);
    tlsSocket.on('error', onError);
    tlsSocket.on('close', onClose);
  });
  const raced = Promise.race([done, guard.promise]).finally(() => guard.dispose());
  // The caller may await later (ftplib-order data TLS); an early failure must not be "unhandled".
  raced.catch(() => {});
  return raced;
}
