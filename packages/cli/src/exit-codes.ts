/**
 * Exit codes of the `ftpkit` command and the one function that maps an error to one of them.
 *
 * Owns: the exit-code table (README "Exit codes" repeats it; keep the two in step), `UsageError`
 * and `CliError`, and `describeFailure`, which reads errors by their stable `code` / FTP reply
 * code only (ARCHITECTURE "Errors": never by message). Like curl, scripts can tell a wrong
 * password from a missing file from a certificate problem without parsing stderr.
 */
import { isFtpkitError } from '@ftpkit/codec';

export const EXIT_CODES = Object.freeze({
  /** Everything worked. */
  OK: 0,
  /** Any other failure: a refusal the codes below do not name, a local I/O error, a protocol error. */
  FAILURE: 1,
  /** Bad command line or config: unknown flag, missing argument, malformed URL or value. */
  USAGE: 2,
  /** Could not connect, or the connection was lost (refused, unreachable, reset, 421). */
  CONNECTION: 3,
  /** The server refused the login (530 on USER/PASS). */
  LOGIN: 4,
  /** The remote (550/450) or local file or directory does not exist or is unavailable. */
  NOT_FOUND: 5,
  /** TLS failed: the certificate is not trusted, the handshake failed, or the server refused AUTH TLS. */
  TLS: 6,
  /** The server stopped answering (connect, reply or data timeout). */
  TIMEOUT: 7,
  /** `mirror`: some files were transferred, others failed (each failure is printed). */
  PARTIAL: 8,
  /** Interrupted by SIGINT (128 + 2, as shells report it). */
  INTERRUPTED: 130,
});

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** A mistake on the command line (exit code 2); the message says what is wrong and how to fix it. */
export class UsageError extends Error {
  override name = 'UsageError';
  readonly exitCode = EXIT_CODES.USAGE;
}

/** A failure the CLI itself decided on, with its exit code. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
  }
}

export interface FailureDescription {
  readonly exitCode: ExitCode;
  readonly message: string;
}

const LOGIN_VERBS = /^(USER|PASS|ACCT)\b/i;
const TLS_VERBS = /^(AUTH|PBSZ|PROT)\b/i;
const LOCAL_NOT_FOUND = new Set(['ENOENT', 'ENOTDIR']);

/** The exit code and a one-line message for any error a command can end with. */
export function describeFailure(error: unknown): FailureDescription {
  if (error instanceof UsageError || error instanceof CliError) {
    return { exitCode: error.exitCode, message: error.message };
  }
  if (isFtpkitError(error)) {
    const e = error as Error & { code: string; replyCode?: number; command?: string };
    const message = e.message;
    switch (e.code) {
      case 'FTPKIT_ERR_FTP_REPLY': {
        const command = e.command ?? '';
        const reply = e.replyCode ?? 0;
        if (LOGIN_VERBS.test(command) && reply >= 500) {
          return { exitCode: EXIT_CODES.LOGIN, message: `login failed: ${e.replyCode} ${firstLine(e)}` };
        }
        if (TLS_VERBS.test(command)) {
          return { exitCode: EXIT_CODES.TLS, message: `the server refused TLS: ${message}` };
        }
        if (reply === 550 || reply === 450) return { exitCode: EXIT_CODES.NOT_FOUND, message };
        if (reply === 421) return { exitCode: EXIT_CODES.CONNECTION, message };
        if (reply === 522 || reply === 534 || reply === 521) return { exitCode: EXIT_CODES.TLS, message };
        return { exitCode: EXIT_CODES.FAILURE, message };
      }
      case 'FTPKIT_ERR_INVALID_ARGUMENT':
        return { exitCode: EXIT_CODES.USAGE, message };
      case 'FTPKIT_ERR_NOT_FOUND':
        return { exitCode: EXIT_CODES.NOT_FOUND, message };
      case 'FTPKIT_ERR_TIMEOUT':
        return { exitCode: EXIT_CODES.TIMEOUT, message };
      case 'FTPKIT_ERR_TLS_HANDSHAKE':
      case 'FTPKIT_ERR_TLS_SESSION_NOT_REUSED':
        return { exitCode: EXIT_CODES.TLS, message: `TLS failed: ${message}${tlsHint(error)}` };
      case 'FTPKIT_ERR_SOCKET':
      case 'FTPKIT_ERR_CONNECTION_CLOSED':
      case 'FTPKIT_ERR_TRANSFER_ABORTED':
        return { exitCode: EXIT_CODES.CONNECTION, message };
      case 'FTPKIT_ERR_ABORTED':
        return { exitCode: EXIT_CODES.INTERRUPTED, message: 'interrupted' };
      default:
        return { exitCode: EXIT_CODES.FAILURE, message };
    }
  }
  const errno = (error as { code?: unknown } | null)?.code;
  if (typeof errno === 'string' && LOCAL_NOT_FOUND.has(errno)) {
    return { exitCode: EXIT_CODES.NOT_FOUND, message: (error as Error).message };
  }
  if (error instanceof Error) return { exitCode: EXIT_CODES.FAILURE, message: error.message };
  return { exitCode: EXIT_CODES.FAILURE, message: String(error) };
}

function firstLine(error: { replyText?: string; message: string }): string {
  return (error.replyText ?? error.message).split('\n')[0] ?? '';
}

/** A hint for the common case: a self-signed or private-CA certificate. */
function tlsHint(error: unknown): string {
  let cause: unknown = error;
  for (let depth = 0; depth < 5 && cause !== undefined && cause !== null; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (
      code === 'DEPTH_ZERO_SELF_SIGNED_CERT' ||
      code === 'SELF_SIGNED_CERT_IN_CHAIN' ||
      code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' ||
      code === 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' ||
      code === 'ERR_TLS_CERT_ALTNAME_INVALID'
    ) {
      return ' (trust the server with --ca FILE, or skip verification with --insecure)';
    }
    cause = (cause as { cause?: unknown }).cause;
  }
  return '';
}
