/**
 * The server package's own errors, apart from filesystem errors (see `fs/errors.ts`).
 *
 * Owns: `ServerErrorCodes`, `VirtualPathError` (a client path the jail refuses),
 * `AuthenticationError` (a refused login), `InvalidArgumentError` (bad options at construction)
 * and `InvalidStateError` (an API used out of order). Every class subclasses the codec's
 * `FtpkitError`, so `isFtpkitError` recognises them across installed copies.
 */

import { FtpkitError, type FtpkitErrorOptions, isFtpkitError } from '@ftpkit/codec';

/** Stable identifiers of the server's non-filesystem errors. Never renamed once published. */
export const ServerErrorCodes = {
  /** A client path with a NUL byte (RFC 959 §4.1.3 forbids it on the control channel). Reply 501. */
  PATH_INVALID: 'FTPKIT_ERR_PATH_INVALID',
  /** A resolved path or one of its segments over the configured limit. Reply 553 (name not allowed). */
  PATH_TOO_LONG: 'FTPKIT_ERR_PATH_TOO_LONG',
  /** Login refused. The same code for an unknown user, a wrong password or anonymous off. Reply 530. */
  AUTH_FAILED: 'FTPKIT_ERR_AUTH_FAILED',
  /** An option or argument a constructor or helper refuses (a programming or configuration error). */
  INVALID_ARGUMENT: 'FTPKIT_ERR_INVALID_ARGUMENT',
  /** An object used out of order, e.g. `commit()` on an upload whose stream was not ended. */
  INVALID_STATE: 'FTPKIT_ERR_INVALID_STATE',
  /** `ReplyError` / `TransferError`: a command handler's refusal, carrying the reply to send. */
  COMMAND_REPLY: 'FTPKIT_ERR_COMMAND_REPLY',
} as const;

export type ServerErrorCode = (typeof ServerErrorCodes)[keyof typeof ServerErrorCodes];

export interface VirtualPathErrorOptions extends FtpkitErrorOptions {
  /** The path as the client sent it (may be long; log with care). */
  readonly input?: string;
}

/** A client path refused by `resolveVirtualPath`. `replyCode` is what the session answers. */
export class VirtualPathError extends FtpkitError {
  override name = 'VirtualPathError';
  declare readonly code: typeof ServerErrorCodes.PATH_INVALID | typeof ServerErrorCodes.PATH_TOO_LONG;
  readonly replyCode: 501 | 553;
  readonly input: string | undefined;

  constructor(
    code: typeof ServerErrorCodes.PATH_INVALID | typeof ServerErrorCodes.PATH_TOO_LONG,
    message: string,
    options: VirtualPathErrorOptions = {},
  ) {
    super(code, message, options);
    this.replyCode = code === ServerErrorCodes.PATH_INVALID ? 501 : 553;
    this.input = options.input;
  }
}

/**
 * A refused login. Deliberately carries no reason a client could tell apart: an unknown user, a
 * wrong password and a disabled anonymous login all produce this same error (code, reply, text).
 * The optional `reason` is for server-side logs only and must never reach the wire.
 */
export class AuthenticationError extends FtpkitError {
  override name = 'AuthenticationError';
  declare readonly code: typeof ServerErrorCodes.AUTH_FAILED;
  /** RFC 959 §4.2.1: 530 Not logged in. */
  readonly replyCode = 530 as const;
  /** For logs and audits only; never send it to the client. */
  readonly reason: AuthenticationFailureReason;

  constructor(reason: AuthenticationFailureReason = 'invalid-credentials', options: FtpkitErrorOptions = {}) {
    super(ServerErrorCodes.AUTH_FAILED, 'Login incorrect.', options);
    this.reason = reason;
  }
}

/** Why a login failed, for logs. `invalid-credentials` covers unknown users and wrong passwords alike. */
export type AuthenticationFailureReason = 'invalid-credentials' | 'anonymous-disabled' | 'refused';

/** A bad option or argument; thrown at construction so misconfiguration fails early. */
export class InvalidArgumentError extends FtpkitError {
  override name = 'InvalidArgumentError';
  declare readonly code: typeof ServerErrorCodes.INVALID_ARGUMENT;

  constructor(message: string, options: FtpkitErrorOptions = {}) {
    super(ServerErrorCodes.INVALID_ARGUMENT, message, options);
  }
}

/** An API used out of order (a programming error in the caller). */
export class InvalidStateError extends FtpkitError {
  override name = 'InvalidStateError';
  declare readonly code: typeof ServerErrorCodes.INVALID_STATE;

  constructor(message: string, options: FtpkitErrorOptions = {}) {
    super(ServerErrorCodes.INVALID_STATE, message, options);
  }
}

/** True for an `AuthenticationError`, including one from another installed copy. */
export function isAuthenticationError(value: unknown): value is AuthenticationError {
  return isFtpkitError(value) && value.name === 'AuthenticationError';
}

/** True for a `VirtualPathError`, including one from another installed copy. */
export function isVirtualPathError(value: unknown): value is VirtualPathError {
  return isFtpkitError(value) && value.name === 'VirtualPathError';
}
