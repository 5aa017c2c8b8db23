/**
 * Formats FTP replies for the wire (RFC 959 §4.2), server side.
 *
 * Owns: turning a code and a text into reply lines, the multi-line layout, and the padding that
 * keeps an inner line from ending a multi-line reply early. Never touches a socket.
 *
 * The rules, exactly:
 * - `code` must pass `isReplyCode` (100..599, or RFC 2228's 631..633), else INVALID_ARGUMENT.
 * - A string `text` is split into lines at LF; a CR right before an LF goes with it, so `\n` and
 *   `\r\n` both make a line break (a message with newlines becomes a multi-line reply). An array
 *   is taken as the lines themselves and its items must not contain CR or LF. An empty array
 *   has no line to send: INVALID_ARGUMENT.
 * - A CR not followed by LF, or a NUL, anywhere: INVALID_ARGUMENT. A lone CR cannot be framed
 *   the same way by every client, and NUL is a Telnet no-op that receivers may drop or treat as
 *   end of string (RFC 959 §4.1.3 puts replies on a Telnet NVT).
 * - One line: `CODE SP text CRLF`. Several: `CODE-first CRLF`, the inner lines, `CODE SP last
 *   CRLF` (RFC 959 §4.2).
 * - Padding: an inner line that begins with three ASCII digits is sent with one leading space.
 *   RFC 959 §4.2 asks for it ("If an intermediary line begins with a 3-digit number, the Server
 *   must pad the front to avoid confusion"); it covers the dangerous cases — the same code
 *   followed by SP, a bare code (which lenient parsers, ours included, take as the last line),
 *   and any `NNN ` that a naive client matches without checking the code. vsftpd and pyftpdlib
 *   pad the same way. The first and last lines carry the code prefix and need no padding.
 *
 * Invariant (property-tested): `ReplyParser` reads the output back as the same code and the same
 * lines, except that a padded inner line comes back with its leading space. Line length is not
 * capped here; a server that sends huge lines must expect clients to refuse them.
 */

import { escapeIac } from '../control/telnet.js';
import { CodecError, CodecErrorCodes } from '../errors.js';
import { encodeUtf8 } from '../text.js';
import { describeValue } from './guards.js';
import { assertReplyCode } from './reply-codes.js';

/** A reply's text: one string (newlines make line breaks) or its lines. */
export type ReplyText = string | readonly string[];

// Any of these sends a string down the slow path; the common one-line reply never leaves the fast one.
const SPECIAL = /[\r\n\0]/;
const LINE_BREAK = /\r?\n/;

/** The wire text of one reply, CRLF-terminated. See the module comment for the exact rules. */
export function formatReply(code: number, text: ReplyText): string {
  assertReplyCode(code);
  if (typeof text === 'string') {
    if (!SPECIAL.test(text)) return code + ' ' + text + '\r\n';
    return formatLines(code, splitText(text));
  }
  if (!Array.isArray(text)) {
    throw new CodecError(
      CodecErrorCodes.INVALID_ARGUMENT,
      'A reply text must be a string or an array of lines',
    );
  }
  if (text.length === 0) {
    throw new CodecError(CodecErrorCodes.INVALID_ARGUMENT, 'A reply needs at least one line');
  }
  for (const line of text) {
    if (typeof line !== 'string' || SPECIAL.test(line)) {
      throw new CodecError(
        CodecErrorCodes.INVALID_ARGUMENT,
        'A reply line must be a string without CR, LF or NUL (pass a string to have newlines split)',
      );
    }
  }
  return formatLines(code, text);
}

/** Options of `formatReplyBytes`. */
export interface FormatReplyBytesOptions {
  /**
   * How text becomes bytes. Default `'utf8'` (RFC 2640): UTF-8 never produces a 0xFF byte, so no
   * Telnet escaping is needed. `'latin1'` writes one byte per character for peers that expect
   * it; a character above U+00FF is INVALID_ARGUMENT, and 0xFF is doubled (IAC IAC, RFC 854).
   */
  readonly encoding?: 'utf8' | 'latin1';
}

/** `formatReply` as the bytes to write on the control connection. */
export function formatReplyBytes(
  code: number,
  text: ReplyText,
  options: FormatReplyBytesOptions = {},
): Uint8Array {
  const wire = formatReply(code, text);
  // `?.`: JavaScript callers may pass null.
  const encoding = options?.encoding ?? 'utf8';
  if (encoding === 'utf8') return encodeUtf8(wire);
  if (encoding !== 'latin1') {
    throw new CodecError(CodecErrorCodes.INVALID_ARGUMENT, `Unknown encoding: ${describeValue(encoding)}`);
  }
  const bytes = new Uint8Array(wire.length);
  for (let i = 0; i < wire.length; i++) {
    const c = wire.charCodeAt(i);
    if (c > 0xff) {
      throw new CodecError(
        CodecErrorCodes.INVALID_ARGUMENT,
        `Character U+${c.toString(16).toUpperCase().padStart(4, '0')} cannot be sent as Latin-1`,
      );
    }
    bytes[i] = c;
  }
  return escapeIac(bytes);
}

/** True when an inner line must be padded: it begins with three ASCII digits (RFC 959 §4.2). */
export function needsReplyPadding(line: string): boolean {
  return isDigit(line.charCodeAt(0)) && isDigit(line.charCodeAt(1)) && isDigit(line.charCodeAt(2));
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function splitText(text: string): string[] {
  if (text.includes('\0')) {
    throw new CodecError(CodecErrorCodes.INVALID_ARGUMENT, 'Reply text must not contain NUL');
  }
  const lines = text.split(LINE_BREAK);
  for (const line of lines) {
    if (line.includes('\r')) {
      throw new CodecError(
        CodecErrorCodes.INVALID_ARGUMENT,
        'Reply text must not contain a CR that is not followed by LF',
      );
    }
  }
  return lines;
}

function formatLines(code: number, lines: readonly string[]): string {
  const last = lines.length - 1;
  if (last === 0) return code + ' ' + lines[0]! + '\r\n';
  let out = code + '-' + lines[0]! + '\r\n';
  for (let i = 1; i < last; i++) {
    const line = lines[i]!;
    out += needsReplyPadding(line) ? ' ' + line + '\r\n' : line + '\r\n';
  }
  return out + code + ' ' + lines[last]! + '\r\n';
}
