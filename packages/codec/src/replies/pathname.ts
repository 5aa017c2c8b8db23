/**
 * Pathnames in 257 replies (RFC 959 Appendix II): quoting them for MKD/PWD replies, and reading
 * them back on the client.
 *
 * Owns: the quote-doubling convention and the tolerant extraction of a path from a 257 text.
 * Resolving or normalising the path is not the codec's business.
 *
 * RFC 959 Appendix II: the reply is `257<SP>"<directory-name>"<SP><commentary>`, and an embedded
 * double quote is sent as two double quotes.
 */

import { CodecError, CodecErrorCodes } from '../errors.js';
import { asReply } from './guards.js';
import type { Reply } from './reply-parser.js';

const QUOTE = 0x22;
const CONTROL = /[\r\n\0]/;

/**
 * `path` in double quotes with every embedded quote doubled: `a "q" dir` → `"a ""q"" dir"`.
 * A path with CR, LF or NUL cannot be sent on the control connection (RFC 959 §4.1.3):
 * CONTROL_CHARACTER. An empty path is INVALID_ARGUMENT: no directory is named `""`.
 */
export function quotePathname(path: string): string {
  if (typeof path !== 'string' || path === '') {
    throw new CodecError(CodecErrorCodes.INVALID_ARGUMENT, 'A pathname must be a non-empty string');
  }
  if (CONTROL.test(path)) {
    throw new CodecError(
      CodecErrorCodes.CONTROL_CHARACTER,
      'A pathname with CR, LF or NUL cannot be sent in a reply (RFC 959 §4.1.3)',
    );
  }
  return '"' + path.replaceAll('"', '""') + '"';
}

/**
 * The text of a 257 reply: the quoted path, then SP and `comment` when one is given
 * (`"/home/x" is the current directory`). Pass it to `formatReply(257, ...)`. The comment follows
 * the same CR/LF/NUL rule as the path.
 */
export function formatPathnameReplyText(path: string, comment?: string): string {
  const quoted = quotePathname(path);
  if (comment === undefined || comment === '') return quoted;
  if (typeof comment !== 'string') {
    throw new CodecError(CodecErrorCodes.INVALID_ARGUMENT, 'A 257 comment must be a string');
  }
  if (CONTROL.test(comment)) {
    throw new CodecError(
      CodecErrorCodes.CONTROL_CHARACTER,
      'A 257 comment with CR, LF or NUL cannot be sent in a reply (RFC 959 §4.1.3)',
    );
  }
  return quoted + ' ' + comment;
}

/**
 * The path in a 257 reply (a `Reply`, whose code must be 257, or its text). Only the first line
 * is read. Rules, in order:
 * 1. Text that starts (after white space) with `"`: the quoted name, `""` read as one quote,
 *    ending at the first lone quote; what follows is commentary (RFC 959 Appendix II). No
 *    closing quote is REPLY.
 * 2. Tolerance: a quoted name later in the line (`Current directory is "/x"`), read the same way.
 * 3. Tolerance: no quotes at all (`257 /home/x`, sent by some embedded servers): the first word.
 *    A path with spaces cannot be recovered from such a reply.
 * An empty result (empty text, `""`) is REPLY: the reply names no directory.
 */
export function parsePathnameReply(reply: Reply | string): string {
  let text: string;
  if (typeof reply === 'string') {
    text = reply;
  } else {
    asReply(reply);
    if (reply.code !== 257) {
      throw new CodecError(
        CodecErrorCodes.REPLY,
        `Not a pathname reply: code ${reply.code} (RFC 959 wants 257)`,
      );
    }
    text = reply.lines[0] ?? '';
  }
  const newline = text.indexOf('\n');
  const line = newline === -1 ? text : text.slice(0, newline);
  let start = 0;
  while (start < line.length && isBlank(line.charCodeAt(start))) start++;
  if (start === line.length) throw new CodecError(CodecErrorCodes.REPLY, 'The 257 reply names no pathname');

  if (line.charCodeAt(start) === QUOTE) {
    const path = readQuoted(line, start);
    if (path === undefined) {
      throw new CodecError(CodecErrorCodes.REPLY, 'Unterminated quoted pathname (RFC 959 Appendix II)');
    }
    return nonEmpty(path);
  }
  const quote = line.indexOf('"', start);
  if (quote !== -1) {
    const path = readQuoted(line, quote);
    if (path !== undefined && path !== '') return path;
  }
  let end = start;
  while (end < line.length && !isBlank(line.charCodeAt(end))) end++;
  return line.slice(start, end);
}

/** The name quoted from `open` (the index of a `"`), with `""` undoubled; undefined if unterminated. */
function readQuoted(line: string, open: number): string | undefined {
  let out = '';
  let from = open + 1;
  for (;;) {
    const close = line.indexOf('"', from);
    if (close === -1) return undefined;
    out += line.slice(from, close);
    if (line.charCodeAt(close + 1) !== QUOTE) return out;
    out += '"';
    from = close + 2;
  }
}

function nonEmpty(path: string): string {
  if (path === '') throw new CodecError(CodecErrorCodes.REPLY, 'The 257 reply names an empty pathname');
  return path;
}

function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09;
}
