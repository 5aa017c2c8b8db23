/**
 * The lowest layer of command parsing: one framed line into its verb and its raw argument.
 *
 * Owns: the verb grammar and the argument boundary shared by every command, known or custom
 * (`parse-command.ts` builds on it; servers call it directly for verbs of their own). Never
 * imports from `node:`.
 *
 * Rules, with the reason for each:
 * - The verb is 1–16 ASCII characters, a letter then letters or digits,, compared case-insensitively and returned upper-case
 *   (RFC 959 §5.3.1: "upper and lower case alphabetic characters are to be treated identically").
 *   16 is far above any verb in use (4) and keeps a junk line from being scanned as a verb.
 *   Anything else (digits, a leading space, a tab, an empty line) is SYNTAX, reply 500.
 * - The argument is everything after the first space, byte for byte: RFC 959 §5.3.2 `<pathname>
 *   ::= <string>` may hold spaces, inside and at the end.
 * - A line ending in one space after the verb (`PASV `) has no argument: pyftpdlib and vsftpd read
 *   it so, and clients that join verb and argument with a space send it for empty arguments.
 * - CR, LF or NUL anywhere in the argument is CONTROL_CHARACTER (501, RFC 959 §4.1.3), checked
 *   here once so that no command can carry one into a filesystem call or a log line.
 */

import { CodecError, CodecErrorCodes } from '../errors.js';
import { indexOfControl, MAX_VERB_LENGTH, quote } from './arguments.js';

export interface CommandLineParts {
  /** The verb, upper-case ASCII letters. */
  readonly verb: string;
  /** Everything after the first space; `undefined` when there was none or nothing after it. */
  readonly argument: string | undefined;
}

const SPACE = 0x20;

/**
 * Splits a framed line (no CRLF) into its upper-cased verb and its argument, validating only the
 * verb's characters and the control-character rule. Throws `CodecError` SYNTAX (500) or
 * CONTROL_CHARACTER (501).
 */
export function splitCommandLine(line: string): CommandLineParts {
  if (typeof line !== 'string') {
    throw new CodecError(CodecErrorCodes.SYNTAX, 'A command line must be a string');
  }
  const length = line.length;
  let end = 0;
  let lowerCase = false;
  for (; end < length; end++) {
    const c = line.charCodeAt(end);
    if (c === SPACE) break;
    if (c >= 0x61 && c <= 0x7a) lowerCase = true;
    // Digits after the first letter: RFC 959 verbs are letters, but the checksum extensions
    // clients really send (XMD5, XSHA1, XSHA256) are not, and servers must be able to add them.
    else if ((c < 0x41 || c > 0x5a) && !(end > 0 && c >= 0x30 && c <= 0x39)) {
      throw new CodecError(
        CodecErrorCodes.SYNTAX,
        `Syntax error, command unrecognized: the verb must be an ASCII letter followed by letters or digits (RFC 959 §5.3.1), got ${quote(line)}`,
      );
    }
    if (end === MAX_VERB_LENGTH) {
      throw new CodecError(
        CodecErrorCodes.SYNTAX,
        `Syntax error, command unrecognized: verb longer than ${MAX_VERB_LENGTH} letters in ${quote(line)}`,
      );
    }
  }
  if (end === 0) {
    throw new CodecError(
      CodecErrorCodes.SYNTAX,
      length === 0
        ? 'Syntax error: empty command line'
        : `Syntax error: line starts with a space: ${quote(line)}`,
    );
  }
  const raw = end === length ? line : line.slice(0, end);
  const verb = lowerCase ? raw.toUpperCase() : raw;
  if (end + 1 >= length) return { verb, argument: undefined };
  const control = indexOfControl(line, end + 1);
  if (control !== -1) {
    throw new CodecError(
      CodecErrorCodes.CONTROL_CHARACTER,
      `${verb}: CR, LF or NUL in the argument at offset ${control - end - 1} (RFC 959 §4.1.3)`,
      { verb },
    );
  }
  return { verb, argument: line.slice(end + 1) };
}
