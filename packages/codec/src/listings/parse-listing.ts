/**
 * The client side of LIST/MLSD as a whole: a directory listing in, entries out, whatever the
 * server's format.
 *
 * Owns: `parseListing` and `detectListingFormat`. RFC 959 §4.1.3 leaves LIST output to the
 * server, so the format is detected from the lines themselves (as basic-ftp and Apache Commons
 * Net do): the first line that one of the parsers (MLSD facts, Unix `ls -l`, DOS/IIS) accepts
 * decides, and the whole listing is then read with that parser.
 *
 * Server input never makes these functions throw: a line that cannot be parsed is returned in
 * `unparsed`, so a caller can show it, log it or try its own parser; no non-blank line is lost.
 * Only a caller's mistake (a bad `now` or `format` option) throws `CodecError` INVALID_ARGUMENT.
 *
 * Never imports from `node:`.
 */

import { CodecError, CodecErrorCodes } from '../errors.js';
import { type TextInput, toText } from '../text.js';
import type { ListingEntry } from './entry.js';
import { parseMlsxLine } from './mlsx.js';
import { scanDosLine } from './parse-dos.js';
import { NO_ENTRY, referenceTime, scanUnixLine } from './parse-unix.js';

/** The listing formats the codec reads. */
export type ListingFormat = 'unix' | 'dos' | 'mlsd';

export interface ParseListingOptions {
  /** Which parser to use; `auto` (the default) detects it with `detectListingFormat`. */
  readonly format?: 'auto' | ListingFormat;
  /** The reference time for Unix dates printed without a year; default the current time. */
  readonly now?: Date;
}

export interface ParsedListing {
  /** The format the lines were read as; `unknown` when no line matched any parser. */
  readonly format: ListingFormat | 'unknown';
  /** One entry per parsed line, in listing order. `.` and `..` are kept (MLSD `cdir`/`pdir`, Unix `dir`). */
  readonly entries: readonly ListingEntry[];
  /** Non-blank lines the chosen parser could not read, as received (without the line terminator). */
  readonly unparsed: readonly string[];
  /** Lines that are valid but describe no entry: the Unix `total 123` block count. */
  readonly ignored: readonly string[];
}

/**
 * Parses a whole listing: text (CRLF or bare LF line ends; bytes are decoded as UTF-8 with a
 * Latin-1 fallback) or an array of lines. Blank lines are skipped; every other line ends up in
 * exactly one of `entries`, `unparsed` or `ignored`. Never throws on server input.
 */
export function parseListing(
  input: TextInput | readonly string[],
  options: ParseListingOptions = {},
): ParsedListing {
  const now = referenceTime(options.now);
  const requested = options.format ?? 'auto';
  if (requested !== 'auto' && requested !== 'unix' && requested !== 'dos' && requested !== 'mlsd') {
    throw new CodecError(
      CodecErrorCodes.INVALID_ARGUMENT,
      `unknown listing format ${typeof requested === 'string' ? JSON.stringify(requested) : typeof requested}`,
    );
  }
  const lines = toLines(input);
  const format = requested === 'auto' ? detectLines(lines) : requested;
  const entries: ListingEntry[] = [];
  const unparsed: string[] = [];
  const ignored: string[] = [];
  for (const line of lines) {
    if (isBlankLine(line)) continue;
    const result = format === 'unknown' ? undefined : parseOne(format, line, now);
    if (result === undefined) unparsed.push(line);
    else if (result === NO_ENTRY) ignored.push(line);
    else entries.push(result);
  }
  return { format, entries, unparsed, ignored };
}

/**
 * The format of a listing, from its first line that a parser accepts (MLSD facts are tried
 * first, then Unix, then DOS); `unknown` when none does. A listing holding only `total 0` (an
 * empty Unix directory) is `unix`. Never throws.
 */
export function detectListingFormat(input: TextInput | readonly string[]): ListingFormat | 'unknown' {
  return detectLines(toLines(input));
}

function detectLines(lines: readonly string[]): ListingFormat | 'unknown' {
  let sawTotal = false;
  for (const line of lines) {
    if (isBlankLine(line)) continue;
    if (looksLikeMlsx(line) && parseOne('mlsd', line, 0) !== undefined) return 'mlsd';
    // Detection needs no year inference: any reference time will do.
    const unix = scanUnixLine(line, 0);
    if (typeof unix === 'object') return 'unix';
    if (unix === NO_ENTRY) sawTotal = true;
    else if (typeof scanDosLine(line) === 'object') return 'dos';
  }
  return sawTotal ? 'unix' : 'unknown';
}

/** The entry, `NO_ENTRY`, or `undefined` when `format`'s parser cannot read the line. */
function parseOne(
  format: ListingFormat,
  line: string,
  now: number,
): ListingEntry | typeof NO_ENTRY | undefined {
  try {
    if (format === 'mlsd') {
      // Lines handed over as an array may keep the CR of their CRLF; the MLSx parser would read
      // it as part of the name. `raw` stays the line as received, like the other parsers' raw.
      const stripped = stripCr(line);
      const entry = parseMlsxLine(stripped);
      return stripped === line ? entry : Object.freeze({ ...entry, raw: line });
    }
    const result = format === 'unix' ? scanUnixLine(line, now) : scanDosLine(line);
    return typeof result === 'string' ? undefined : result;
  } catch {
    // parseMlsxLine reports a malformed line with a CodecError; any line a parser refuses,
    // for whatever reason, is the caller's to see in `unparsed`, never a throw.
    return undefined;
  }
}

/**
 * RFC 3659 §7.2: an MLSx entry is `facts SP pathname`, each fact `name=value;`. Requiring a
 * non-empty fact list keeps a LIST line from being tried as MLSD during detection.
 */
function looksLikeMlsx(line: string): boolean {
  const space = line.indexOf(' ');
  return space > 0 && line.charCodeAt(space - 1) === 0x3b && line.lastIndexOf('=', space) > 0;
}

function toLines(input: TextInput | readonly string[]): readonly string[] {
  if (typeof input !== 'string' && !(input instanceof Uint8Array)) {
    if (!Array.isArray(input)) {
      throw new CodecError(
        CodecErrorCodes.INVALID_ARGUMENT,
        'listing must be a string, bytes or an array of lines',
      );
    }
    return input;
  }
  // RFC 959 §3.1.1.1 ends ASCII lines with CRLF; bare LF from Unix servers is tolerated.
  return toText(input).split('\n').map(stripCr);
}

function stripCr(line: string): string {
  return line.charCodeAt(line.length - 1) === 0x0d ? line.slice(0, -1) : line;
}

function isBlankLine(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && !(c === 0x0d && i === line.length - 1)) return false;
  }
  return true;
}
