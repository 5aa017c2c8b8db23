/**
 * `parseListing` and `detectListingFormat`: format detection, dispatch, and the promise that
 * server input never throws and never loses a line.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodecErrorCodes, detectListingFormat, parseListing } from '../src/index.ts';
import { fuzzRuns, utf8 } from './helpers.ts';

const now = new Date(Date.UTC(2024, 5, 15, 12, 0));
const UNIX = '-rw-r--r-- 1 ftp ftp 10 Jun 14 10:00 a.txt';
const DOS = '06-14-24  10:00AM                   10 a.txt';
const MLSD = 'type=file;size=10;modify=20240614100000; a.txt';

/** Blank as parseListing defines it: nothing but spaces and tabs (and the CR of a CRLF). */
const isBlank = (line: string) => /^[ \t]*\r?$/.test(line);

describe('detectListingFormat', () => {
  it('recognises each format from its first parseable line', () => {
    expect(detectListingFormat([UNIX])).toBe('unix');
    expect(detectListingFormat([DOS])).toBe('dos');
    expect(detectListingFormat([MLSD])).toBe('mlsd');
    expect(detectListingFormat(`${MLSD}\r\n${UNIX}\r\n`)).toBe('mlsd');
  });

  it('skips banners and blank lines before deciding (basic-ftp tests one line; a banner would fool it)', () => {
    expect(detectListingFormat(['', 'Welcome to the archive', '  ', DOS, UNIX])).toBe('dos');
  });

  it('a listing of only `total 0` is an empty Unix directory', () => {
    expect(detectListingFormat('total 0\r\n')).toBe('unix');
  });

  it('nothing recognisable is `unknown`', () => {
    expect(detectListingFormat('')).toBe('unknown');
    expect(detectListingFormat(['just text', 'x=y z'])).toBe('unknown');
  });

  it('a LIST line is never taken for MLSD: facts must end with `;` before the first space', () => {
    expect(detectListingFormat(['-rw-r--r-- 1 a=b c; 10 Jun 14 10:00 x=y; z'])).toBe('unix');
  });
});

describe('parseListing', () => {
  it('splits CRLF and bare LF text, drops blank lines, keeps listing order', () => {
    const result = parseListing(`total 2\r\n${UNIX}\r\n\r\n${UNIX.replace('a.txt', 'b c')}\n`, { now });
    expect(result.format).toBe('unix');
    expect(result.entries.map((e) => e.name)).toEqual(['a.txt', 'b c']);
    expect(result.ignored).toEqual(['total 2']);
    expect(result.unparsed).toEqual([]);
  });

  it("keeps `.` and `..` (Unix `dir`, MLSD `cdir`/`pdir`): filtering is the caller's decision", () => {
    const unix = parseListing(
      ['drwxr-xr-x 2 o g 4096 Jun 14 10:00 .', 'drwxr-xr-x 2 o g 4096 Jun 14 10:00 ..'],
      { now },
    );
    expect(unix.entries.map((e) => [e.name, e.type])).toEqual([
      ['.', 'dir'],
      ['..', 'dir'],
    ]);
    const mlsd = parseListing(
      'type=cdir;modify=20240614100000; .\r\ntype=pdir;modify=20240614100000; ..\r\n',
    );
    expect(mlsd.entries.map((e) => [e.name, e.type])).toEqual([
      ['.', 'cdir'],
      ['..', 'pdir'],
    ]);
  });

  it('lines the detected parser cannot read go to `unparsed`, never to another parser', () => {
    const result = parseListing([UNIX, DOS, MLSD, 'garbage'], { now });
    expect(result.format).toBe('unix');
    expect(result.entries).toHaveLength(1);
    expect(result.unparsed).toEqual([DOS, MLSD, 'garbage']);
  });

  it('a forced format skips detection', () => {
    expect(parseListing([UNIX, DOS], { format: 'dos' })).toMatchObject({ format: 'dos', unparsed: [UNIX] });
    expect(parseListing([UNIX], { format: 'mlsd' })).toMatchObject({
      format: 'mlsd',
      entries: [],
      unparsed: [UNIX],
    });
    // RFC 3659 §7.2: a line starting with a space has no facts; only a forced MLSD reads it.
    expect(parseListing([' bare name'], { format: 'mlsd' }).entries.map((e) => e.name)).toEqual([
      'bare name',
    ]);
    expect(parseListing([' bare name']).format).toBe('unknown');
  });

  it('array lines may keep the CR of their CRLF: never part of a name, kept in `raw`', () => {
    for (const line of [UNIX, DOS, MLSD]) {
      const [entry] = parseListing([`${line}\r`], { now }).entries;
      expect(entry?.name, line).toBe('a.txt');
      expect(entry?.raw).toBe(`${line}\r`);
    }
  });

  it('`unknown` format returns every non-blank line in `unparsed`', () => {
    expect(parseListing('hello\r\n\r\nworld')).toEqual({
      format: 'unknown',
      entries: [],
      unparsed: ['hello', 'world'],
      ignored: [],
    });
  });

  it('reads bytes as UTF-8 (RFC 2640), falling back to Latin-1 without losing a byte', () => {
    const utf = parseListing(utf8(`${UNIX.replace('a.txt', 'résumé.txt')}\r\n`), { now });
    expect(utf.entries[0]?.name).toBe('résumé.txt');
    const latin1 = Uint8Array.from([...utf8(UNIX.replace('a.txt', 'r')), 0xe9, 0x0d, 0x0a]);
    expect(parseListing(latin1, { now }).entries[0]?.name).toBe('r\u00e9');
  });

  it('passes `now` to the Unix year inference', () => {
    const dec = '-rw-r--r-- 1 o g 1 Dec 31 23:59 a';
    expect(parseListing([dec], { now }).entries[0]?.modified?.getUTCFullYear()).toBe(2023);
    expect(
      parseListing([dec], { now: new Date(Date.UTC(2025, 0, 1)) }).entries[0]?.modified?.getUTCFullYear(),
    ).toBe(2024);
  });

  it('rejects caller mistakes (bad `now`, unknown `format`, non-text input) with INVALID_ARGUMENT', () => {
    const invalid = expect.objectContaining({ code: CodecErrorCodes.INVALID_ARGUMENT });
    expect(() => parseListing(UNIX, { now: new Date(Number.NaN) })).toThrow(invalid);
    expect(() => parseListing(UNIX, { format: 'eplf' as 'unix' })).toThrow(invalid);
    expect(() => parseListing(42 as unknown as string)).toThrow(invalid);
  });

  it('hostile input: a 100 KB line and 20,000 short lines finish in one pass each', () => {
    const long = `-rw-r--r-- 1 o g 1 Jan  2 15:04 ${'x'.repeat(100_000)}`;
    expect(parseListing(`${long}\r\n${'y'.repeat(100_000)}\r\n`).entries[0]?.name).toHaveLength(100_000);
    const noNewline = 'Type=file;'.repeat(10_000);
    expect(parseListing(noNewline).unparsed).toEqual([noNewline]);
    const many = parseListing(`${'a\n'.repeat(20_000)}${UNIX}\n`, { now });
    expect(many).toMatchObject({ format: 'unix', entries: [{ name: 'a.txt' }] });
    expect(many.unparsed).toHaveLength(20_000);
  });

  it('property: never throws on arbitrary text and accounts for every non-blank line', () => {
    const lineArb = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.constantFrom(UNIX, DOS, MLSD, 'total 12', '', ' ', 'type=file; x', ' name'),
      fc.string({ unit: fc.constantFrom(...'-rwxdl 0123456789:,;=JanPM<DIR>\r\t'.split('')), maxLength: 60 }),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.array(lineArb, { maxLength: 10 }).map((lines) => lines.join('\r\n')),
          fc.array(lineArb, { maxLength: 10 }).map((lines) => lines.join('\n')),
        ),
        fc.constantFrom('auto', 'unix', 'dos', 'mlsd') as fc.Arbitrary<'auto' | 'unix' | 'dos' | 'mlsd'>,
        (text, format) => {
          const result = parseListing(text, { now, format });
          const nonBlank = text
            .split('\n')
            .map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l))
            .filter((l) => !isBlank(l));
          expect(result.entries.length + result.unparsed.length + result.ignored.length).toBe(
            nonBlank.length,
          );
          expect([...result.unparsed, ...result.ignored].every((l) => nonBlank.includes(l))).toBe(true);
          expect(result.entries.every((e) => nonBlank.includes(e.raw))).toBe(true);
        },
      ),
      { numRuns: fuzzRuns() },
    );
  });

  it('property: never throws on arbitrary arrays of lines and accounts for every non-blank one', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 80 }), { maxLength: 12 }), (lines) => {
        const result = parseListing(lines, { now });
        const nonBlank = lines.filter((l) => !isBlank(l));
        expect(result.entries.length + result.unparsed.length + result.ignored.length).toBe(nonBlank.length);
        // Order and identity are kept: every line lands exactly once.
        const landed = [...result.entries.map((e) => e.raw), ...result.unparsed, ...result.ignored].sort();
        expect(landed).toEqual([...nonBlank].sort());
      }),
      { numRuns: fuzzRuns() },
    );
  });

  it('property: never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const result = parseListing(bytes, { now });
        expect(Array.isArray(result.entries) && Array.isArray(result.unparsed)).toBe(true);
        expect(detectListingFormat(bytes)).toBe(result.format);
      }),
      { numRuns: fuzzRuns() },
    );
  });
});
