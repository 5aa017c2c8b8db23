/**
 * The errors of `@ftpkit/client`.
 *
 * Owns: `FtpReplyError` (the server answered, negatively or unexpectedly: carries the reply code
 * and text), `ClientError` (everything the client itself decides: bad options, aborts, timeouts of
 * its own waits, unsupported features, listing caps) and their stable codes. Socket faults stay
 * the transport's `TransportError` (with `TransferAbortedError` for a cut data connection), and
 * malformed server output stays the codec's `CodecError` (`FTPKIT_ERR_REPLY`): every one of them
 * is a `FtpkitError` with a string `code`, so callers branch on `code`, never on `message`.
 */
import { FtpkitError, type FtpkitErrorOptions, isFtpkitError, type Reply } from '@ftpkit/codec';

export const ClientErrorCodes = {
  /** The server answered with a negative (4yz/5yz) or unexpected reply; see `FtpReplyError`. */
  FTP_REPLY: 'FTPKIT_ERR_FTP_REPLY',
  /** An option or argument is invalid (a programming error): thrown before anything is sent. */
  INVALID_ARGUMENT: 'FTPKIT_ERR_INVALID_ARGUMENT',
  /** The caller's AbortSignal fired; the connection stays usable. */
  ABORTED: 'FTPKIT_ERR_ABORTED',
  /** A reply did not come within `replyTimeout` (the connection is closed: its state is unknown). */
  TIMEOUT: 'FTPKIT_ERR_TIMEOUT',
  /** The client was closed, or its connection is gone and `autoReconnect` is off. */
  CONNECTION_CLOSED: 'FTPKIT_ERR_CONNECTION_CLOSED',
  /** The server does not offer what the operation needs (e.g. HASH, MFMT). */
  NOT_SUPPORTED: 'FTPKIT_ERR_NOT_SUPPORTED',
  /** `stat` without MLST: the name is not in its parent's listing. */
  NOT_FOUND: 'FTPKIT_ERR_NOT_FOUND',
  /** A listing exceeded `maxListingBytes` (or a tree exceeded `maxTreeEntries`). */
  LISTING_TOO_LARGE: 'FTPKIT_ERR_LISTING_TOO_LARGE',
  /** The server's reply was well-formed but made no sense here (e.g. a 2yz before an upload). */
  PROTOCOL: 'FTPKIT_ERR_PROTOCOL',
} as const;

export type ClientErrorCode = (typeof ClientErrorCodes)[keyof typeof ClientErrorCodes];

/** An error the client decided on (not a server reply, not a socket fault). */
export class ClientError extends FtpkitError {
  override name = 'ClientError';
  declare readonly code: ClientErrorCode;

  constructor(code: ClientErrorCode, message: string, options: FtpkitErrorOptions = {}) {
    super(code, message, options);
  }
}

/**
 * The server answered negatively (or unexpectedly). `replyCode` is the numeric FTP code (550),
 * `replyText` the reply's text (all lines joined by `\n`), `command` the command that caused it
 * with any password redacted.
 */
export class FtpReplyError extends FtpkitError {
  override name = 'FtpReplyError';
  declare readonly code: typeof ClientErrorCodes.FTP_REPLY;
  readonly replyCode: number;
  readonly replyText: string;
  readonly command: string | undefined;

  constructor(reply: Reply, command: string | undefined, options: FtpkitErrorOptions = {}) {
    const what = command === undefined ? 'Server' : `${command}:`;
    super(ClientErrorCodes.FTP_REPLY, `${what} ${reply.code} ${reply.text}`, options);
    this.replyCode = reply.code;
    this.replyText = reply.text;
    this.command = command;
  }

  /** 4yz: the same request may succeed later (RFC 959 §4.2.1). */
  get transient(): boolean {
    return this.replyCode >= 400 && this.replyCode < 500;
  }
}

/** True for a `ClientError` from any installed copy of ftpkit. */
export function isClientError(value: unknown): value is ClientError {
  return isFtpkitError(value) && value.name === 'ClientError';
}

/** True for a `FtpReplyError` from any installed copy of ftpkit. */
export function isFtpReplyError(value: unknown): value is FtpReplyError {
  return isFtpkitError(value) && value.name === 'FtpReplyError';
}

export function invalidArgument(message: string): ClientError {
  return new ClientError(ClientErrorCodes.INVALID_ARGUMENT, message);
}

export function abortedError(signal: AbortSignal | undefined, what: string): ClientError {
  return new ClientError(ClientErrorCodes.ABORTED, `${what} was aborted`, { cause: signal?.reason });
}

/** `signal.aborted`, read through a call so that TypeScript does not narrow it across awaits. */
export function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}
