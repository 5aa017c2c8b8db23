/**
 * RFC 2428 data-connection addresses: EPRT's argument and the 229 reply to EPSV.
 *
 * Owns: `<d><net-prt><d><net-addr><d><tcp-port><d>` (RFC 2428 §2) and `(<d><d><d><tcp-port><d>)`
 * (RFC 2428 §3) in both directions, for IPv4 (net-prt 1) and IPv6 (net-prt 2).
 *
 * Decisions, with the reason for each:
 * - The delimiter is the first character and may be any ASCII 33–126, as RFC 2428 §2 says ("|" is
 *   only recommended). The RFC forbids nothing else, so digits are allowed too: the fields must not
 *   contain the delimiter, and splitting on it must give exactly the four fields, which makes every
 *   delimiter unambiguous.
 * - The fields are taken exactly: no spaces, numbers without leading zeros (`06275` is refused),
 *   ports 1–65535, hosts by the strict rules of `./ip.ts` (no IPv4 leading zeros, no IPv6 zone id).
 * - A malformed argument is ADDRESS (reply 501). A well-formed net-prt other than 1 or 2 (a
 *   decimal 0–65535: IANA address-family numbers are 16-bit) is PARAMETER_NOT_IMPLEMENTED, a
 *   distinct, stable outcome: RFC 2428 §2 wants reply 522 listing the supported protocols there,
 *   and 522 is not a code the codec's error model carries, so the server's EPRT handler maps this
 *   error code to `NETWORK_PROTOCOL_NOT_SUPPORTED` with `formatNetworkProtocolNotSupportedText()`.
 * - The host is returned as sent (validated, not rewritten): it is where the client asked us to
 *   connect. Compare hosts with `normalizeIp`, never as strings.
 * - The 229 text is scanned for the first `(<d><d><d><port><d>)`, with or without `229 ` and with
 *   any text around it: RFC 2428 §3 fixes only the parenthesised part.
 */

import { CodecError, CodecErrorCodes } from '../errors.js';
import { isIPv4, isIPv6 } from './ip.js';
import { addressError, invalidArgument, isPort, MAX_PORT, preview, readCanonicalDecimal } from './numbers.js';

/** A data-connection endpoint of EPRT (RFC 2428 §2). */
export interface ExtendedAddress {
  /** RFC 2428 §2 net-prt, an IANA address family: 1 = IPv4, 2 = IPv6. */
  readonly protocol: 1 | 2;
  /** Dotted-decimal IPv4 (protocol 1) or IPv6 text (protocol 2), as sent. */
  readonly host: string;
  readonly port: number;
}

/** RFC 2428 §2: the reply to EPRT/EPSV naming a network protocol the server does not support. */
export const NETWORK_PROTOCOL_NOT_SUPPORTED = 522;

const isDelimiter = (c: number) => c >= 33 && c <= 126;

/**
 * Reads EPRT's argument, e.g. `|1|132.235.1.2|6275|` or `|2|1080::8:800:200C:417A|5282|`.
 * Throws `CodecError` ADDRESS (501) when malformed, PARAMETER_NOT_IMPLEMENTED for a well-formed
 * but unknown net-prt (answer 522, see `formatNetworkProtocolNotSupportedText`).
 */
export function parseEprtArgument(text: string): ExtendedAddress {
  if (typeof text !== 'string') throw addressError('EPRT argument must be a string', 'EPRT');
  if (text.length === 0 || !isDelimiter(text.charCodeAt(0))) {
    throw addressError(`EPRT argument must start with a delimiter in ASCII 33-126: ${preview(text)}`, 'EPRT');
  }
  const parts = text.split(text[0]!);
  if (parts.length !== 5 || parts[0] !== '' || parts[4] !== '') {
    throw addressError(`EPRT argument is not <d>net-prt<d>net-addr<d>tcp-port<d>: ${preview(text)}`, 'EPRT');
  }
  const protocolText = parts[1]!;
  const host = parts[2]!;
  const protocol = readCanonicalDecimal(protocolText, 5);
  if (protocol === undefined || protocol > 65_535) {
    throw addressError(`EPRT net-prt is not a number: ${preview(protocolText)}`, 'EPRT');
  }
  if (protocol !== 1 && protocol !== 2) {
    throw new CodecError(
      CodecErrorCodes.PARAMETER_NOT_IMPLEMENTED,
      `EPRT network protocol ${protocol} is not supported (RFC 2428 §2: reply 522)`,
      { verb: 'EPRT', replyCode: 522 },
    );
  }
  if (protocol === 1 ? !isIPv4(host) : !isIPv6(host)) {
    throw addressError(
      `EPRT net-addr is not an IPv${protocol === 1 ? 4 : 6} address: ${preview(host)}`,
      'EPRT',
    );
  }
  const port = readCanonicalDecimal(parts[3]!, 5);
  if (!isPort(port)) throw addressError(`EPRT tcp-port is not 1-${MAX_PORT}: ${preview(parts[3]!)}`, 'EPRT');
  return Object.freeze({ protocol, host, port });
}

/** Writes EPRT's argument: `|1|132.235.1.2|6275|`. The delimiter must not occur in the fields. */
export function formatEprtArgument(address: ExtendedAddress, delimiter = '|'): string {
  if (typeof delimiter !== 'string' || delimiter.length !== 1 || !isDelimiter(delimiter.charCodeAt(0))) {
    throw invalidArgument('formatEprtArgument: the delimiter must be one ASCII character 33-126');
  }
  const { protocol, host, port } = address;
  if (protocol !== 1 && protocol !== 2) throw invalidArgument('formatEprtArgument: protocol must be 1 or 2');
  if (typeof host !== 'string' || (protocol === 1 ? !isIPv4(host) : !isIPv6(host))) {
    throw invalidArgument(`formatEprtArgument: host is not an IPv${protocol === 1 ? 4 : 6} address`);
  }
  if (!isPort(port)) throw invalidArgument(`formatEprtArgument: port must be an integer 1-${MAX_PORT}`);
  const fields = [String(protocol), host, String(port)];
  if (fields.some((field) => field.includes(delimiter))) {
    throw invalidArgument(`formatEprtArgument: the delimiter ${preview(delimiter)} occurs in a field`);
  }
  return `${delimiter}${fields.join(delimiter)}${delimiter}`;
}

/**
 * Reads the port from the text of a 229 reply, with or without the leading `229 `:
 * `Entering Extended Passive Mode (|||6446|)` (RFC 2428 §3, any delimiter). Throws ADDRESS.
 */
export function parseEpsvReply(text: string): number {
  if (typeof text !== 'string') throw addressError('229 reply text must be a string');
  const length = text.length;
  for (let open = text.indexOf('('); open !== -1; open = text.indexOf('(', open + 1)) {
    const d = text.charCodeAt(open + 1);
    if (!isDelimiter(d) || text.charCodeAt(open + 2) !== d || text.charCodeAt(open + 3) !== d) continue;
    // Digits up to the closing delimiter. Each candidate scans only the digit run right after its
    // own `(ddd`, and a digit run holds no `(`, so the whole search stays linear.
    const start = open + 4;
    let end = start;
    while (end < length) {
      const c = text.charCodeAt(end);
      if (c === d || c < 0x30 || c > 0x39) break;
      end++;
    }
    if (text.charCodeAt(end) !== d || text.charCodeAt(end + 1) !== 0x29) continue;
    const portText = text.slice(start, end);
    const port = readCanonicalDecimal(portText, 5);
    if (!isPort(port)) throw addressError(`229 reply port is not 1-${MAX_PORT}: ${preview(portText)}`);
    return port;
  }
  throw addressError(`229 reply carries no (<d><d><d>port<d>): ${preview(text)}`);
}

/** The text of a 229 reply: `Entering Extended Passive Mode (|||6446|)` (RFC 2428 §3). */
export function formatEpsvReplyText(port: number): string {
  if (!isPort(port)) throw invalidArgument(`formatEpsvReplyText: port must be an integer 1-${MAX_PORT}`);
  return `Entering Extended Passive Mode (|||${port}|)`;
}

/**
 * The text of the 522 reply to an EPRT/EPSV naming an unsupported network protocol, listing the
 * supported ones as RFC 2428 §2 asks: `Network protocol not supported, use (1,2)`.
 */
export function formatNetworkProtocolNotSupportedText(supported: Iterable<1 | 2> = [1, 2]): string {
  const list = [...new Set(supported)];
  if (list.length === 0 || list.some((p) => p !== 1 && p !== 2)) {
    throw invalidArgument('formatNetworkProtocolNotSupportedText: supported protocols are 1 and/or 2');
  }
  return `Network protocol not supported, use (${list.join(',')})`;
}
