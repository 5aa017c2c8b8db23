/**
 * Decimal fields of host/port text, read strictly (internal to the addresses area).
 *
 * Owns: the one reading of "a decimal number" that PORT, 227, EPRT and 229 share, so that every
 * address parser refuses the same things. Never exported from the package: callers get numbers.
 *
 * No `Number()` / `parseInt()` on wire text: both accept forms FTP never sends (`1e2`, `0x10`,
 * ` 12`, `+1`, `12abc` for parseInt) and would turn a malformed argument into a plausible port.
 */

import { CodecError, CodecErrorCodes } from '../errors.js';

/** The highest TCP port (RFC 793 §3.1: 16-bit port fields). */
export const MAX_PORT = 65_535;

/**
 * Reads `text[start, end)` as ASCII decimal digits, at most `maxDigits` of them; `undefined` for
 * anything else (empty, a sign, a space, a non-ASCII digit, too long).
 */
export function readDecimal(text: string, start: number, end: number, maxDigits: number): number | undefined {
  const length = end - start;
  if (length < 1 || length > maxDigits) return undefined;
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return undefined;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * A decimal without leading zeros (`0` itself allowed), as written by every sane peer for ports
 * and EPRT protocol numbers: `06275` is not a port a peer means, it is a peer to distrust.
 */
export function readCanonicalDecimal(text: string, maxDigits: number): number | undefined {
  if (text.length > 1 && text.charCodeAt(0) === 0x30) return undefined;
  return readDecimal(text, 0, text.length, maxDigits);
}

/** A TCP port that can be connected to: 1–65535 (port 0 means "any" to bind(), never a target). */
export function isPort(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_PORT;
}

/** Wire text quoted in an error message, cut short so a hostile megabyte never lands in a log. */
export function preview(text: string): string {
  return JSON.stringify(text.length > 64 ? `${text.slice(0, 64)}…` : text);
}

export function addressError(message: string, verb?: string): CodecError {
  return new CodecError(CodecErrorCodes.ADDRESS, message, verb === undefined ? {} : { verb });
}

export function invalidArgument(message: string): CodecError {
  return new CodecError(CodecErrorCodes.INVALID_ARGUMENT, message);
}
