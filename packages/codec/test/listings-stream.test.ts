/**
 * `ListingParser`: a listing parsed chunk by chunk as the data connection delivers it must give
 * `parseListing`'s result for the whole, wherever the chunks are cut.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodecErrorCodes, ListingParser, parseListing } from '../src/index.ts';
import { codecErrorOf, fuzzRuns, utf8 } from './helpers.ts';

const now = new Date(Date.UTC(2024, 5, 15, 12, 0));
const UNIX = '-rw-r--r-- 1 ftp ftp 10 Jun 14 10:00 a.txt';
const DOS = '06-14-24  10:00AM                   10 a.txt';
const MLSD = 'type=file;size=10;modify=20240614100000; a.txt';

/** `bytes` cut at the given offsets (sorted, deduplicated, within range). */
function cut<T extends Uint8Array | string>(input: T, offsets: readonly number[]): T[] {
  const points = [...new Set(offsets.map((o) => o % (input.length + 1)))].sort((a, b) => a - b);
  const pieces: T[] = [];
  let from = 0;
  for (const at of points) {
    pieces.push(input.slice(from, at) as T);
    from = at;
  }
  pieces.push(input.slice(from) as T);
  return pieces;
}

function streamed(pieces: readonly (Uint8Array | string)[], format?: 'auto' | 'unix' | 'dos' | 'mlsd') {
  const parser = new ListingParser({ now, ...(format === undefined ? {} : { format }) });
  for (const piece of pieces) parser.push(piece);
  return parser.end();
}

describe('ListingParser', () => {
  it('gives the whole listing for chunks cut inside lines, inside CRLF and inside UTF-8 sequences', () => {
    const text = `total 3\r\n${UNIX}\r\n${UNIX.replace('a.txt', 'été ✓.txt')}\r\n\r\n${UNIX.replace('a.txt', 'b c')}\n`;
    const bytes = utf8(text);
    const whole = parseListing(bytes, { now });
    expect(whole.entries.map((e) => e.name)).toEqual(['a.txt', 'été ✓.txt', 'b c']);
    // Every single cut point, and one byte at a time.
    for (let at = 0; at <= bytes.length; at++) expect(streamed(cut(bytes, [at]))).toEqual(whole);
    expect(streamed([...bytes].map((b) => Uint8Array.of(b)))).toEqual(whole);
  });

  it('holds the lines before the one that decides the format, and reads them with it', () => {
    const result = streamed(['Welcome\r\n', 'total 0\r\n', '\r\n', `${DOS}\r\n${DOS}`]);
    expect(result.format).toBe('dos');
    expect(result.unparsed).toEqual(['Welcome', 'total 0']);
    expect(result.entries).toHaveLength(2);
    expect(streamed(['total 0\r', '\n'])).toEqual(parseListing('total 0\r\n', { now }));
    expect(streamed([])).toEqual(parseListing('', { now }));
    expect(streamed(['garbage\r\n', 'more'])).toEqual(parseListing('garbage\r\nmore', { now }));
  });

  it('copies an unfinished line: the caller may read the next chunk into the same buffer', () => {
    const parser = new ListingParser({ now });
    const buffer = utf8(`${MLSD}\r\ntype=dir;modify=20240614100000; d`);
    parser.push(buffer);
    buffer.fill(0x20);
    parser.push(utf8('ir\r\n'));
    expect(parser.end().entries.map((e) => e.name)).toEqual(['a.txt', 'dir']);
  });

  it('decodes line by line: UTF-8 names survive a Latin-1 one, wherever the chunks are cut', () => {
    const latin1 = Uint8Array.from(
      [...UNIX.replace('a.txt', 'caf')].map((c) => c.charCodeAt(0)).concat(0xe9),
    );
    const utfLine = utf8(`${UNIX.replace('a.txt', 'été')}\r\n`);
    const bytes = Uint8Array.from([...utfLine, ...latin1]);
    const whole = parseListing(bytes, { now });
    expect(whole.entries.map((e) => e.name)).toEqual(['été', 'café']);
    for (let at = 0; at <= bytes.length; at++) expect(streamed(cut(bytes, [at]))).toEqual(whole);
  });

  it('rejects a bad option in the constructor and a push after end, with INVALID_ARGUMENT', () => {
    expect(codecErrorOf(() => new ListingParser({ format: 'vms' as never })).code).toBe(
      CodecErrorCodes.INVALID_ARGUMENT,
    );
    const parser = new ListingParser();
    parser.end();
    expect(codecErrorOf(() => parser.push('x')).code).toBe(CodecErrorCodes.INVALID_ARGUMENT);
    // end() again returns the same result.
    expect(parser.end().format).toBe('unknown');
  });

  it('property: any cut of any valid-UTF-8 listing gives parseListing of the whole', () => {
    const lineArb = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.constantFrom(
        UNIX,
        DOS,
        MLSD,
        'total 12',
        '',
        ' ',
        'type=file; x',
        ' name',
        UNIX.replace('a.txt', 'é ✓'),
      ),
      fc.string({
        unit: fc.constantFrom(...'-rwxdl 0123456789:,;=JanPM<DIR>\r\té'.split('')),
        maxLength: 60,
      }),
    );
    fc.assert(
      fc.property(
        fc.array(lineArb, { maxLength: 12 }),
        fc.constantFrom('\r\n', '\n'),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.constantFrom('auto', 'unix', 'dos', 'mlsd') as fc.Arbitrary<'auto' | 'unix' | 'dos' | 'mlsd'>,
        fc.boolean(),
        (lines, eol, offsets, format, asBytes) => {
          const text = lines.join(eol);
          const whole = parseListing(text, { now, format });
          const input = asBytes ? utf8(text) : text;
          expect(streamed(cut(input, offsets), format)).toEqual(whole);
        },
      ),
      { numRuns: fuzzRuns() },
    );
  });

  it('property: arbitrary bytes in arbitrary chunks never throw and give parseListing of the whole', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.constantFrom('auto', 'unix', 'dos', 'mlsd') as fc.Arbitrary<'auto' | 'unix' | 'dos' | 'mlsd'>,
        (bytes, offsets, format) => {
          expect(streamed(cut(bytes, offsets), format)).toEqual(parseListing(bytes, { now, format }));
        },
      ),
      { numRuns: fuzzRuns() },
    );
  });
});
