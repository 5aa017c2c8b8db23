/**
 * The small grammars command arguments are built from: decimals, single-letter codes, tokens,
 * base64, language tags, host names, `ls` flags, and the control-character rule.
 *
 * Owns: character-level checks shared by the parser and the formatter, so that both accept
 * exactly the same values (the round-trip property rests on it). Each check is a single linear
 * charCode scan: no regex with backtracking, no allocation on the success path where avoidable.
 * Internal to the commands area; not exported from the package.
 */

import { CodecError, type CodecErrorCode, CodecErrorCodes, type CodecReplyCode } from '../errors.js';

const NUL = 0x00;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;

/**
 * Index of the first CR, LF or NUL in `text` from `start`, or -1. RFC 959 §5.3.2 excludes CR and
 * LF from `<char>` (they would end the Telnet line, §4.1.3); NUL is refused too because no
 * filesystem accepts it in a name and C-based peers would truncate the argument there.
 */
export function indexOfControl(text: string, start = 0): number {
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= CR && (c === CR || c === LF || c === NUL)) return i;
  }
  return -1;
}

/** A short, quoted, control-safe excerpt of wire text for error messages. */
export function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

export function commandError(
  code: CodecErrorCode,
  verb: string,
  message: string,
  replyCode?: CodecReplyCode,
): CodecError {
  return new CodecError(
    code,
    `${verb}: ${message}`,
    replyCode === undefined ? { verb } : { verb, replyCode },
  );
}

export function argumentError(verb: string, message: string): CodecError {
  return commandError(CodecErrorCodes.ARGUMENT, verb, message);
}

/** For the formatter: a caller's value that cannot be written (a programming error, not wire input). */
export function invalidValue(verb: string, message: string): CodecError {
  return new CodecError(CodecErrorCodes.INVALID_ARGUMENT, `formatCommand ${verb}: ${message}`, { verb });
}

/**
 * Runs `read` and attaches `verb` to a `CodecError` it throws without one (from the address and
 * time-value modules), keeping its code and reply code.
 */
export function withVerb<T>(verb: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof CodecError && error.verb === undefined) {
      throw new CodecError(error.code, `${verb}: ${error.message}`, {
        verb,
        replyCode: error.replyCode,
        cause: error,
      });
    }
    throw error;
  }
}

/** Largest PBSZ value: RFC 2228 §3 makes the buffer size a 32-bit unsigned integer. */
export const MAX_PBSZ = 0xffff_ffff;

/**
 * Reads a non-empty run of ASCII digits as a decimal no larger than `max`; anything else (sign,
 * space, `0x`, exponent, empty, too large) gives `undefined` rather than a wrapped or truncated
 * value. Leading zeros are accepted: RFC 959 §5.3.2's `<decimal-integer>` does not forbid them.
 */
export function parseDecimal(text: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const length = text.length;
  if (length === 0) return undefined;
  let value = 0;
  for (let i = 0; i < length; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return undefined;
    // value <= max <= 2^53 - 1 here, so `value * 10 + digit` exceeds max exactly when it should:
    // any true result >= 2^53 rounds to a double >= 2^53.
    value = value * 10 + digit;
    if (value > max) return undefined;
  }
  return value;
}

/** True for an integer the decimal grammar can carry: 0..max. */
export function isDecimalValue(value: unknown, max = Number.MAX_SAFE_INTEGER): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= max;
}

/** ASCII-only upper-casing: never changes length (`'ß'.toUpperCase()` is `'SS'`). */
export function asciiUpper(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x61 && c <= 0x7a) return text.replace(/[a-z]+/g, (run) => run.toUpperCase());
  }
  return text;
}

/**
 * The upper-cased letter when `text` is exactly one ASCII letter, else `undefined`. The codes of
 * TYPE, MODE, STRU and PROT are single letters; lower case is accepted for the reason given in
 * `parse-command.ts`.
 */
export function singleLetter(text: string): string | undefined {
  if (text.length !== 1) return undefined;
  const c = text.charCodeAt(0) & ~0x20;
  return c >= 0x41 && c <= 0x5a ? String.fromCharCode(c) : undefined;
}

/** One or more printable ASCII characters (33–126), no space: mechanism, option and SITE names. */
export function isToken(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= SPACE || c > 0x7e) return false;
  }
  return true;
}

const isAlpha = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isAlphaNum = (c: number) => isAlpha(c) || isDigit(c);

function isBase64Char(c: number): boolean {
  return isAlphaNum(c) || c === 0x2b || c === 0x2f;
}

/**
 * RFC 2228 §3 `<base64data>` (RFC 4648 §4 alphabet): a non-empty multiple of four characters,
 * with at most two `=` and only at the end. RFC 2228 §3 answers an argument that does not decode
 * with 501, which is why this is checked here.
 */
export function isBase64(text: string): boolean {
  const length = text.length;
  if (length === 0 || length % 4 !== 0) return false;
  let end = length;
  if (text.charCodeAt(end - 1) === 0x3d) end--;
  if (text.charCodeAt(end - 1) === 0x3d) end--;
  for (let i = 0; i < end; i++) if (!isBase64Char(text.charCodeAt(i))) return false;
  return true;
}

/**
 * RFC 2640 §4.1 `<language-tag>` (RFC 1766 syntax, RFC 5646 widened subtags to digits):
 * `1*8ALPHA *("-" 1*8alphanum)`, e.g. `en`, `fr-CA`, `zh-Hant-TW`, `es-419`.
 */
export function isLanguageTag(text: string): boolean {
  let subtagLength = 0;
  let first = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2d) {
      if (subtagLength === 0) return false;
      subtagLength = 0;
      first = false;
      continue;
    }
    if (first ? !isAlpha(c) : !isAlphaNum(c)) return false;
    if (++subtagLength > 8) return false;
  }
  return subtagLength > 0;
}

/**
 * RFC 7151 §3 `hostname = domain / IP-literal`, with domain per RFC 1123 §2.1 (labels of letters,
 * digits and inner hyphens, 1–63 characters, 253 in all; one trailing dot allowed, the DNS root)
 * and IP-literal an IPv4 or IPv6 address in brackets, checked by `isIp`. Internationalised names
 * must arrive as A-labels (`xn--...`), RFC 7151 §3.
 */
export function isHostname(text: string, isIp: (address: string) => boolean): boolean {
  const length = text.length;
  if (length === 0) return false;
  if (text.charCodeAt(0) === 0x5b) {
    return length > 2 && text.charCodeAt(length - 1) === 0x5d && isIp(text.slice(1, length - 1));
  }
  const end = text.charCodeAt(length - 1) === 0x2e ? length - 1 : length;
  if (end === 0 || end > 253) return false;
  let labelStart = 0;
  for (let i = 0; i <= end; i++) {
    const c = i === end ? 0x2e : text.charCodeAt(i);
    if (c === 0x2e) {
      const labelLength = i - labelStart;
      if (labelLength < 1 || labelLength > 63) return false;
      if (text.charCodeAt(labelStart) === 0x2d || text.charCodeAt(i - 1) === 0x2d) return false;
      labelStart = i + 1;
    } else if (!isAlphaNum(c) && c !== 0x2d) {
      return false;
    }
  }
  return true;
}

/**
 * True for a word the LIST/NLST rule reads as `ls` flags: `-` then one or more ASCII letters or
 * digits (`-l`, `-la`, `-1`, `-aL`). The rule itself is documented in `parse-command.ts`.
 */
export function isFlagWord(text: string, start: number, end: number): boolean {
  if (end - start < 2 || text.charCodeAt(start) !== 0x2d) return false;
  for (let i = start + 1; i < end; i++) if (!isAlphaNum(text.charCodeAt(i))) return false;
  return true;
}

/** True for the letters of `ListCommand.flags`: one or more ASCII letters or digits. */
export function isFlagLetters(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) if (!isAlphaNum(text.charCodeAt(i))) return false;
  return true;
}

/**
 * RFC 3659 §7.1 fact name for MFF: printable ASCII except space, `=` and `;` (the separators of
 * `fact=value;`).
 */
export function isFactName(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= SPACE || c > 0x7e || c === 0x3d || c === 0x3b) return false;
  }
  return true;
}

/** RFC 3659 §7.1 fact value for MFF: one or more printable ASCII characters except space and `;`. */
export function isFactValue(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= SPACE || c > 0x7e || c === 0x3b) return false;
  }
  return true;
}

/** RFC 959 §5.3.1: command codes are ASCII letters (case-insensitive); we cap them at 16. */
export const MAX_VERB_LENGTH = 16;

/** True for 1–16 ASCII characters: a letter, then letters or digits (XMD5, XSHA256). */
export function isVerb(text: string): boolean {
  if (text.length === 0 || text.length > MAX_VERB_LENGTH) return false;
  if (!isAlpha(text.charCodeAt(0))) return false;
  for (let i = 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!isAlpha(c) && !(c >= 0x30 && c <= 0x39)) return false;
  }
  return true;
}
