/**
 * The FEAT reply (RFC 2389 §3.2): formatting the feature list, and reading one back.
 *
 * Owns: the feature-listing layout and grammar, and the tolerant reading of what real servers
 * send. What each feature means (MLST facts, AUTH mechanisms) belongs to the modules that use it.
 *
 * RFC 2389 §3.2 grammar:
 *   no-features     = "211" SP *TCHAR CRLF
 *   feature-listing = "211-" *TCHAR CRLF 1*( SP feature CRLF ) "211 End" CRLF
 *   feature         = feature-label [ SP feature-parms ]
 *   feature-label   = 1*VCHAR
 *   feature-parms   = 1*TCHAR
 */

import { CodecError, CodecErrorCodes } from '../errors.js';
import type { TextInput } from '../text.js';
import { asReply, describeValue } from './guards.js';
import { parseReply, type Reply } from './reply-parser.js';

/**
 * The FEAT reply for `features`, each a feature line without its leading space (`'SIZE'`,
 * `'MLST type*;size*;modify*;'`). Every line is sent with the single leading space RFC 2389 §3.2
 * requires, which also keeps it from ending the reply. With no features, the single-line
 * `211 No features` form, because RFC 2389 §3.2 says the no-features reply "MUST NOT use the
 * multi-line response format" (500 or 502 are allowed too; that choice is the server's).
 *
 * Each feature must match the grammar: a label of printable ASCII, optionally one SP and
 * parameters of printable ASCII or SP that begin and end with a printable character (stricter
 * than TCHAR so that they read back exactly). Anything else is INVALID_ARGUMENT.
 */
export function formatFeatReply(features: Iterable<string>): string {
  if (typeof (features as Partial<Iterable<string>> | null)?.[Symbol.iterator] !== 'function') {
    throw new CodecError(CodecErrorCodes.INVALID_ARGUMENT, 'Features must be an iterable of strings');
  }
  let body = '';
  for (const feature of features) {
    if (typeof feature !== 'string' || !FEATURE.test(feature)) {
      throw new CodecError(
        CodecErrorCodes.INVALID_ARGUMENT,
        `Not a FEAT feature line (RFC 2389 §3.2): ${describeValue(feature)}`,
      );
    }
    body += ' ' + feature + '\r\n';
  }
  if (body === '') return '211 No features\r\n';
  return '211-Features:\r\n' + body + '211 End\r\n';
}

// feature-label = 1*VCHAR, then optionally SP feature-parms (1*TCHAR, TCHAR = VCHAR / SP), with
// parameters that begin and end with a VCHAR: readers trim them (ours does), so a space at either
// end would not survive the trip.
const FEATURE = /^[\x21-\x7e]+(?: [\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?)?$/;

/**
 * Reads a FEAT reply into a map from upper-case feature label to its parameters (`''` when
 * none): `MLST` → `type*;size*;modify*;`, `AUTH` → `TLS`, `REST` → `STREAM`, `UTF8` → `''`.
 * Labels are upper-cased because RFC 2389 §3.2 makes them case-insensitive; parameters are kept
 * as sent, without trailing white space.
 *
 * - 211 multi-line: each line between the first and the last is a feature.
 * - 211 single-line: the no-features reply (RFC 2389 §3.2), an empty map.
 * - 500 or 502: the server does not know FEAT, which RFC 2389 §3.2 says is indistinguishable from
 *   having no features: an empty map.
 * - Any other code: REPLY (the caller should not treat an error such as 421 as "no features").
 *
 * Tolerances, each seen in real servers: feature lines without the leading space, or with
 * several (IIS 6 indents by four); lower-case labels (`Rest Stream`); inner lines prefixed with
 * `211-` (servers that prefix every line of a multi-line reply); blank lines (skipped). A label
 * listed twice — vsftpd sends `AUTH SSL` and `AUTH TLS`, Serv-U `MDTM` twice — keeps all its
 * non-empty parameters, joined with `;` (`AUTH` → `SSL;TLS`), the separator RFC 4217 style
 * servers use inside one AUTH line.
 */
export function parseFeatReply(reply: Reply | TextInput): ReadonlyMap<string, string> {
  const parsed =
    typeof reply === 'string' || reply instanceof Uint8Array ? parseReply(reply) : asReply(reply);
  const features = new Map<string, string>();
  if (parsed.code === 500 || parsed.code === 502) return features;
  if (parsed.code !== 211) {
    throw new CodecError(
      CodecErrorCodes.REPLY,
      `Not a FEAT reply: code ${parsed.code} (RFC 2389 §3.2 wants 211)`,
    );
  }
  const lines = parsed.lines;
  for (let i = 1; i < lines.length - 1; i++) {
    let line = lines[i]!;
    if (line.startsWith('211-')) line = line.slice(4);
    let start = 0;
    let end = line.length;
    while (start < end && isBlank(line.charCodeAt(start))) start++;
    while (end > start && isBlank(line.charCodeAt(end - 1))) end--;
    if (start === end) continue;
    let labelEnd = start;
    while (labelEnd < end && !isBlank(line.charCodeAt(labelEnd))) labelEnd++;
    let paramsStart = labelEnd;
    while (paramsStart < end && isBlank(line.charCodeAt(paramsStart))) paramsStart++;
    const label = line.slice(start, labelEnd).toUpperCase();
    const params = line.slice(paramsStart, end);
    const previous = features.get(label);
    if (previous === undefined || previous === '') features.set(label, params);
    else if (params !== '') features.set(label, previous + ';' + params);
  }
  return features;
}

function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09;
}
