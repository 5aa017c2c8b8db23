/**
 * The error model of every ftpkit package.
 *
 * Owns: the base class `FtpkitError` with its brand, and the codec's own `CodecError`.
 * Other packages subclass `FtpkitError`; they never throw bare `Error`s across their public API.
 *
 * Why a brand: a user's app may end up with two installed copies of ftpkit (a direct dependency
 * and a transitive one). `instanceof` across copies fails, so `isFtpkitError` checks a
 * `Symbol.for` brand that both copies share (the same trick undici uses).
 */

const BRAND = Symbol.for('ftpkit.error');

/** Stable, documented identifiers. Never renamed once published; see docs/errors.md. */
export type FtpkitErrorCode = `FTPKIT_ERR_${string}`;

export interface FtpkitErrorOptions {
  readonly cause?: unknown;
}

/** Base class of every error ftpkit throws. `code` is a stable string; never match on `message`. */
export class FtpkitError extends Error {
  override name = 'FtpkitError';
  readonly code: FtpkitErrorCode;

  constructor(code: FtpkitErrorCode, message: string, options: FtpkitErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/** True for any ftpkit error, including one thrown by another installed copy of ftpkit. */
export function isFtpkitError(value: unknown): value is FtpkitError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

/**
 * Every reason the codec can refuse input. Each maps to the reply a server should send when the
 * refused input came from a client (RFC 959 §4.2.1 codes 500, 501, 502, 504); for input that
 * came from a server (replies, listings, 227 text) the client reports it and there is no reply.
 */
export const CodecErrorCodes = {
  /** The line is not a command at all: empty, non-printable verb, unknown verb. Reply 500. */
  SYNTAX: 'FTPKIT_ERR_SYNTAX',
  /** A known command with a missing, extra or malformed argument. Reply 501. */
  ARGUMENT: 'FTPKIT_ERR_ARGUMENT',
  /** A known verb this codec recognises but marks as not implemented. Reply 502. */
  NOT_IMPLEMENTED: 'FTPKIT_ERR_NOT_IMPLEMENTED',
  /** A well-formed argument naming something not supported (e.g. `MODE Z`). Reply 504. */
  PARAMETER_NOT_IMPLEMENTED: 'FTPKIT_ERR_PARAMETER_NOT_IMPLEMENTED',
  /** A line or reply longer than the configured limit. Reply 500. */
  LINE_TOO_LONG: 'FTPKIT_ERR_LINE_TOO_LONG',
  /** CR, LF or NUL inside a command argument or an outgoing value (RFC 959 §4.1.3 Telnet rules). Reply 501. */
  CONTROL_CHARACTER: 'FTPKIT_ERR_CONTROL_CHARACTER',
  /** Bytes that are not valid UTF-8 where UTF-8 is required (RFC 2640). Reply 501. */
  ENCODING: 'FTPKIT_ERR_ENCODING',
  /** A malformed reply from a server (bad code, unterminated multi-line, over the size cap). */
  REPLY: 'FTPKIT_ERR_REPLY',
  /** A malformed host/port: PORT, EPRT, 227, 229 (RFC 959 §4.1.2, RFC 2428). Reply 501 when from a client. */
  ADDRESS: 'FTPKIT_ERR_ADDRESS',
  /** A malformed listing line, MLSx fact line or time value (RFC 3659). Reply 501 when from a client. */
  LISTING: 'FTPKIT_ERR_LISTING',
  /** An invalid value handed to a formatter by the caller (a programming error, not wire input). */
  INVALID_ARGUMENT: 'FTPKIT_ERR_INVALID_ARGUMENT',
} as const;

export type CodecErrorCode = (typeof CodecErrorCodes)[keyof typeof CodecErrorCodes];

/**
 * The FTP reply code a server answers with when a client's input caused the error. 522 is
 * RFC 2428 §2's "network protocol not supported" for EPRT/EPSV with an unknown protocol number.
 */
export type CodecReplyCode = 500 | 501 | 502 | 504 | 522;

const DEFAULT_REPLY_CODE: Record<CodecErrorCode, CodecReplyCode> = {
  FTPKIT_ERR_SYNTAX: 500,
  FTPKIT_ERR_ARGUMENT: 501,
  FTPKIT_ERR_NOT_IMPLEMENTED: 502,
  FTPKIT_ERR_PARAMETER_NOT_IMPLEMENTED: 504,
  FTPKIT_ERR_LINE_TOO_LONG: 500,
  FTPKIT_ERR_CONTROL_CHARACTER: 501,
  FTPKIT_ERR_ENCODING: 501,
  FTPKIT_ERR_REPLY: 500,
  FTPKIT_ERR_ADDRESS: 501,
  FTPKIT_ERR_LISTING: 501,
  FTPKIT_ERR_INVALID_ARGUMENT: 501,
};

export interface CodecErrorOptions extends FtpkitErrorOptions {
  /** Overrides the reply code derived from `code`. */
  readonly replyCode?: CodecReplyCode;
  /** The verb of the command being parsed, when known (upper-case). */
  readonly verb?: string;
}

/** The only error type any codec function throws. */
export class CodecError extends FtpkitError {
  override name = 'CodecError';
  declare readonly code: CodecErrorCode;
  /** What a server should reply when this input came from a client. */
  readonly replyCode: CodecReplyCode;
  /** The verb being parsed, when the error is about a command. */
  readonly verb: string | undefined;

  constructor(code: CodecErrorCode, message: string, options: CodecErrorOptions = {}) {
    super(code, message, options);
    this.replyCode = options.replyCode ?? DEFAULT_REPLY_CODE[code];
    this.verb = options.verb;
  }
}

/** True for a `CodecError`, including one from another installed copy of the codec. */
export function isCodecError(value: unknown): value is CodecError {
  return isFtpkitError(value) && value.name === 'CodecError';
}
