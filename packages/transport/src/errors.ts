/**
 * The errors of `@ftpkit/transport`.
 *
 * Owns: `TransportError` (a subclass of the codec's `FtpkitError`, so `isFtpkitError` and the
 * cross-copy brand work) and the closed set of transport codes. Every socket fault, timeout,
 * refusal and abort that crosses this package's public API is one of these; an underlying errno
 * or TLS error is kept as `cause` (and its `errno` code in `syscallCode`), never matched by text.
 */
import { FtpkitError, type FtpkitErrorOptions, isFtpkitError } from '@ftpkit/codec';

export const TransportErrorCodes = {
  /** A wait (accept, connect, handshake, idle, line) ran past its configured time limit. */
  TIMEOUT: 'FTPKIT_ERR_TIMEOUT',
  /** The caller's AbortSignal fired. */
  ABORTED: 'FTPKIT_ERR_ABORTED',
  /** The peer closed (or reset) the connection before the operation finished. */
  CONNECTION_CLOSED: 'FTPKIT_ERR_CONNECTION_CLOSED',
  /** A socket-level failure (ECONNREFUSED, EADDRINUSE, EACCES, ...); see `syscallCode`. */
  SOCKET: 'FTPKIT_ERR_SOCKET',
  /** A passive data connection came from an address other than the control peer's (RFC 2577 §3). */
  DATA_PEER_MISMATCH: 'FTPKIT_ERR_DATA_PEER_MISMATCH',
  /** PORT/EPRT named a third-party host or a privileged port (RFC 2577 §3, "FTP bounce"). */
  BOUNCE_REFUSED: 'FTPKIT_ERR_BOUNCE_REFUSED',
  /** Every port of the configured passive range is in use. */
  PORT_RANGE_EXHAUSTED: 'FTPKIT_ERR_PORT_RANGE_EXHAUSTED',
  /** The TLS handshake failed (protocol, certificate, cipher, truncated). */
  TLS_HANDSHAKE: 'FTPKIT_ERR_TLS_HANDSHAKE',
  /** A PROT P data connection did not resume the control connection's TLS session. */
  TLS_SESSION_NOT_REUSED: 'FTPKIT_ERR_TLS_SESSION_NOT_REUSED',
  /** A data transfer ended without a clean end-of-file (reset, destroy, abort, timeout). */
  TRANSFER_ABORTED: 'FTPKIT_ERR_TRANSFER_ABORTED',
  /** The object is not in a state that allows the call (e.g. writing after close). */
  INVALID_STATE: 'FTPKIT_ERR_INVALID_STATE',
  /** An option or argument handed to a transport API is invalid (a programming error). */
  INVALID_ARGUMENT: 'FTPKIT_ERR_INVALID_ARGUMENT',
} as const;

export type TransportErrorCode = (typeof TransportErrorCodes)[keyof typeof TransportErrorCodes];

export interface TransportErrorOptions extends FtpkitErrorOptions {
  /** The errno-style code of the underlying failure (`ECONNRESET`, `ERR_SSL_...`), when there is one. */
  readonly syscallCode?: string;
}

/** The only error type `@ftpkit/transport` rejects or emits with. */
export class TransportError extends FtpkitError {
  override name = 'TransportError';
  declare readonly code: TransportErrorCode;
  readonly syscallCode: string | undefined;

  constructor(code: TransportErrorCode, message: string, options: TransportErrorOptions = {}) {
    super(code, message, options);
    this.syscallCode = options.syscallCode ?? errnoOf(options.cause);
  }
}

/** A transfer that did not end with a clean EOF. Carries the bytes moved before it stopped. */
export class TransferAbortedError extends TransportError {
  override name = 'TransferAbortedError';
  readonly bytes: number;

  constructor(message: string, bytes: number, options: TransportErrorOptions = {}) {
    super(TransportErrorCodes.TRANSFER_ABORTED, message, options);
    this.bytes = bytes;
  }
}

/** True for a `TransportError` (including `TransferAbortedError`), from any installed copy. */
export function isTransportError(value: unknown): value is TransportError {
  return isFtpkitError(value) && (value.name === 'TransportError' || value.name === 'TransferAbortedError');
}

function errnoOf(cause: unknown): string | undefined {
  if (typeof cause === 'object' && cause !== null && 'code' in cause) {
    const code = (cause as { code: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** Turns any socket/TLS error into a TransportError; passes TransportErrors through. */
export function toTransportError(error: unknown, fallback: TransportErrorCode, what: string): TransportError {
  if (isTransportError(error)) return error;
  const errno = errnoOf(error);
  const tls = errno?.startsWith('ERR_SSL') || errno?.startsWith('ERR_TLS');
  const closed = errno === 'ECONNRESET' || errno === 'EPIPE' || errno === 'ECONNABORTED';
  const code = tls
    ? TransportErrorCodes.TLS_HANDSHAKE
    : closed
      ? TransportErrorCodes.CONNECTION_CLOSED
      : fallback;
  const detail = error instanceof Error ? error.message : String(error);
  return new TransportError(code, `${what}: ${detail}`, { cause: error });
}
