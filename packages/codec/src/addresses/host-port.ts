/**
 * IPv4 data-connection addresses in RFC 959 form: PORT's argument and the 227 reply to PASV.
 *
 * Owns: `h1,h2,h3,h4,p1,p2` in both directions (RFC 959 §4.1.2: host number then port number,
 * each byte in decimal, port = p1 × 256 + p2). Whether a given target is acceptable (bounce
 * attacks, privileged ports, the peer's own IP) is the server's policy, not decided here.
 *
 * Decisions, with the reason for each:
 * - Each field is 1–3 ASCII digits with a value 0–255. Zero padding to three digits (`010`) is
 *   read as decimal, because RFC 959 §4.1.2 defines the fields as decimal numbers and some clients
 *   pad them; four or more digits, signs, spaces, exponents and hex are refused, and 256 is
 *   refused rather than wrapped. The host comes out as canonical dotted decimal (`10`, never
 *   `010`), so callers never meet an octal-looking host.
 * - The port is 1–65535: port 0 cannot be connected to (it means "any" to bind()).
 * - PORT's argument is taken exactly: no surrounding spaces, no parentheses. A client writes it.
 * - The 227 text is read as RFC 1123 §4.1.2.6 tells clients to: "the format of the 227 reply to a
 *   PASV command is not well standardized … an FTP client cannot assume that the parentheses …
 *   will be present … must scan the reply for the first digit of the host and port numbers". We
 *   take the first run of exactly six comma-separated numbers; the numbers are still strict.
 */

import { parseIPv4Octets } from './ip.js';
import { addressError, invalidArgument, isPort, preview, readDecimal } from './numbers.js';

/** An IPv4 data-connection endpoint. */
export interface HostPort {
  /** Dotted-decimal IPv4, canonical (no leading zeros). */
  readonly host: string;
  readonly port: number;
}

/**
 * Reads the six fields of `text[start, end)`; throws ADDRESS unless it is exactly six
 * comma-separated decimal bytes forming a usable port.
 */
function readSixBytes(text: string, start: number, end: number, what: string, verb?: string): HostPort {
  const bytes: number[] = [];
  let fieldStart = start;
  for (let i = start; i <= end; i++) {
    if (i < end && text.charCodeAt(i) !== 0x2c) continue;
    const value = readDecimal(text, fieldStart, i, 3);
    if (value === undefined || value > 255) {
      throw addressError(
        `${what}: field ${bytes.length + 1} is not a number 0-255 in ${preview(text)}`,
        verb,
      );
    }
    bytes.push(value);
    if (bytes.length > 6) throw addressError(`${what}: more than six fields in ${preview(text)}`, verb);
    fieldStart = i + 1;
  }
  if (bytes.length !== 6) throw addressError(`${what}: expected six fields in ${preview(text)}`, verb);
  const port = bytes[4]! * 256 + bytes[5]!;
  if (port === 0) throw addressError(`${what}: port 0 cannot be connected to`, verb);
  return Object.freeze({ host: bytes.slice(0, 4).join('.'), port });
}

/** Reads PORT's argument `h1,h2,h3,h4,p1,p2` (RFC 959 §4.1.2). Throws `CodecError` ADDRESS (501). */
export function parseHostPort(text: string): HostPort {
  if (typeof text !== 'string') throw addressError('PORT argument must be a string', 'PORT');
  if (text.length > 23) throw addressError(`PORT argument too long: ${preview(text)}`, 'PORT');
  return readSixBytes(text, 0, text.length, 'PORT argument', 'PORT');
}

function checkHostPort(address: HostPort, what: string): number[] {
  const octets =
    typeof address === 'object' && address !== null && typeof address.host === 'string'
      ? parseIPv4Octets(address.host)
      : undefined;
  if (octets === undefined) {
    throw invalidArgument(`${what}: host must be dotted-decimal IPv4, got ${String(address?.host)}`);
  }
  if (!isPort(address.port)) throw invalidArgument(`${what}: port must be an integer 1-65535`);
  return [...octets, address.port >> 8, address.port & 0xff];
}

/** Writes PORT's argument: `{ host: '127.0.0.1', port: 1025 }` → `127,0,0,1,4,1`. */
export function formatHostPort(address: HostPort): string {
  return checkHostPort(address, 'formatHostPort').join(',');
}

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/**
 * Reads the address from the text of a 227 reply, with or without the leading `227 `:
 * `Entering Passive Mode (192,168,1,2,4,1).` and the unparenthesised, `=`-prefixed and
 * chatty variants servers really send (RFC 1123 §4.1.2.6). Throws `CodecError` ADDRESS.
 */
export function parsePasvReply(text: string): HostPort {
  if (typeof text !== 'string') throw addressError('227 reply text must be a string');
  // One pass over maximal runs of `digits(,digits)*`; each run is scanned once, so the cost is
  // linear whatever the text (a regex search here backtracks quadratically on long digit runs).
  let i = 0;
  const length = text.length;
  while (i < length) {
    if (!isDigit(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    let commas = 0;
    for (;;) {
      while (i < length && isDigit(text.charCodeAt(i))) i++;
      if (i + 1 < length && text.charCodeAt(i) === 0x2c && isDigit(text.charCodeAt(i + 1))) {
        commas++;
        i++;
        continue;
      }
      break;
    }
    if (commas === 5) return readSixBytes(text, start, i, '227 reply');
  }
  throw addressError(`227 reply carries no h1,h2,h3,h4,p1,p2 address: ${preview(text)}`);
}

/** The text of a 227 reply: `Entering Passive Mode (h1,h2,h3,h4,p1,p2).` (RFC 959 §4.2.2). */
export function formatPasvReplyText(address: HostPort): string {
  return `Entering Passive Mode (${checkHostPort(address, 'formatPasvReplyText').join(',')}).`;
}
