/**
 * `parseDosListLine`: IIS "MS-DOS style" and Windows `dir`-shaped lines, one test per tolerance
 * rule (RFC 959 §4.1.3 leaves LIST output to the server).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodecErrorCodes, DOS_YEAR_PIVOT, parseDosListLine } from '../src/index.ts';
import { expectOnlyCodecErrors, fuzzRuns } from './helpers.ts';

const iso = (line: string) => parseDosListLine(line)?.modified?.toISOString();

describe('parseDosListLine', () => {
  it('reads the IIS directory line: date, 12-hour time, <DIR>, name', () => {
    expect(parseDosListLine('01-02-06  03:04PM       <DIR>          name')).toEqual({
      name: 'name',
      type: 'dir',
      modified: new Date(Date.UTC(2006, 0, 2, 15, 4)),
      modifiedPrecision: 'minute',
      raw: '01-02-06  03:04PM       <DIR>          name',
    });
  });

  it('reads the IIS file line with a four-digit year and the 24-hour clock', () => {
    expect(parseDosListLine('01-02-2006  15:04                 1234 name with spaces')).toMatchObject({
      name: 'name with spaces',
      type: 'file',
      size: 1234,
      modified: new Date(Date.UTC(2006, 0, 2, 15, 4)),
    });
  });

  it(`two-digit years pivot at ${DOS_YEAR_PIVOT}: below is 20xx, from it 19xx`, () => {
    expect(iso('01-01-69  10:00AM 1 a')).toBe('2069-01-01T10:00:00.000Z');
    expect(iso('01-01-70  10:00AM 1 a')).toBe('1970-01-01T10:00:00.000Z');
    expect(iso('01-01-00  10:00AM 1 a')).toBe('2000-01-01T10:00:00.000Z');
    expect(iso('12-31-99  10:00AM 1 a')).toBe('1999-12-31T10:00:00.000Z');
  });

  it('12-hour clock: 12:xxAM is after midnight, 12:xxPM after noon, AM/PM in any case or after a space', () => {
    expect(iso('01-02-06  12:30AM 1 a')).toBe('2006-01-02T00:30:00.000Z');
    expect(iso('01-02-06  12:30PM 1 a')).toBe('2006-01-02T12:30:00.000Z');
    expect(iso('01-02-06  01:30pm 1 a')).toBe('2006-01-02T13:30:00.000Z');
    expect(iso('01-02-06  01:30 PM 1 a')).toBe('2006-01-02T13:30:00.000Z');
  });

  it('seconds, when given, set second precision', () => {
    expect(parseDosListLine('01-02-2006  15:04:05  1 a')).toMatchObject({
      modified: new Date(Date.UTC(2006, 0, 2, 15, 4, 5)),
      modifiedPrecision: 'second',
    });
  });

  it('slash dates (MM/DD/YYYY) and ISO dates (YYYY-MM-DD) of Windows `dir`', () => {
    expect(iso('06/13/2024  05:45 PM  12 a')).toBe('2024-06-13T17:45:00.000Z');
    expect(iso('2024-06-13  17:45  12 a')).toBe('2024-06-13T17:45:00.000Z');
  });

  it('sizes beyond 2^32, and thousands separators as `dir` prints them', () => {
    expect(parseDosListLine('01-02-2006  15:04  4294967296 a')?.size).toBe(4294967296);
    expect(parseDosListLine('01-02-2006  15:04  1,234,567 a')?.size).toBe(1234567);
    for (const bad of ['1,23', '12345,678', ',123', '1,,234', '1,234,']) {
      expect(() => parseDosListLine(`01-02-2006  15:04  ${bad} a`), bad).toThrow(
        expect.objectContaining({ code: CodecErrorCodes.LISTING }),
      );
    }
    expect(() => parseDosListLine('01-02-2006  15:04  9007199254740992 a')).toThrow(
      expect.objectContaining({ code: CodecErrorCodes.LISTING }),
    );
  });

  it('junctions and symlinks from `dir`: `<JUNCTION>` with `name [target]`', () => {
    expect(
      parseDosListLine('2024-06-14  09:05    <JUNCTION>     My Docs [C:\\Users\\me\\Docs]'),
    ).toMatchObject({
      type: 'symlink',
      name: 'My Docs',
      target: 'C:\\Users\\me\\Docs',
    });
    expect(parseDosListLine('2024-06-14  09:05    <SYMLINKD>     plain')).toMatchObject({
      type: 'symlink',
      name: 'plain',
    });
  });

  it('leading blanks before a name are padding (IIS pads the <DIR> column); trailing blanks stay', () => {
    expect(parseDosListLine('01-02-06  03:04PM       <DIR>          a b ')?.name).toBe('a b ');
    expect(parseDosListLine('01-02-06  03:04PM                 1234    x')?.name).toBe('x');
  });

  it('returns undefined for blank lines and ignores a trailing CR', () => {
    expect(parseDosListLine('')).toBeUndefined();
    expect(parseDosListLine('  \r')).toBeUndefined();
    expect(parseDosListLine('01-02-06  03:04PM 1 a\r')?.name).toBe('a');
  });

  it('throws LISTING for lines that are not DOS lines and for impossible dates or times', () => {
    for (const line of [
      '-rw-r--r-- 1 o g 1 Jan  2 15:04 a',
      'Volume in drive C has no label.',
      '13-01-06  03:04PM 1 a',
      '02-30-06  03:04PM 1 a',
      '02-29-2023  03:04 1 a',
      '01-02-06  13:04PM 1 a',
      '01-02-06  00:04AM 1 a',
      '01-02-06  24:00 1 a',
      '01-02-06  23:60 1 a',
      '01-02-06  03:04PM <FILE> a',
      '01-02-06  03:04PM <DIR>',
      '01-02-06  03:04PM 12',
      '01-02-6  03:04PM 1 a',
      '01-02/06  03:04PM 1 a',
      '  01-02-06  03:04PM 1 a',
    ]) {
      expect(() => parseDosListLine(line), line).toThrow(
        expect.objectContaining({ code: CodecErrorCodes.LISTING }),
      );
    }
  });

  it('a 100 KB hostile line is handled in one linear pass', () => {
    expect(parseDosListLine(`01-02-06  03:04PM ${' '.repeat(100_000)}1 a`)?.name).toBe('a');
    expect(parseDosListLine(`01-02-06  03:04PM 1 ${'n'.repeat(100_000)}`)?.name).toHaveLength(100_000);
    expect(() => parseDosListLine(`01-02-06  03:04PM ${'1,'.repeat(50_000)} a`)).toThrow(
      expect.objectContaining({ code: CodecErrorCodes.LISTING }),
    );
    expect(() => parseDosListLine('1'.repeat(100_000))).toThrow(
      expect.objectContaining({ code: CodecErrorCodes.LISTING }),
    );
  });

  it('property: throws only CodecError on arbitrary and mutated lines', () => {
    const base = '01-02-06  03:04PM       <DIR>          name';
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 60 }),
          fc.string({ unit: fc.constantFrom(...'0123456789-/: APM<DIR>,'.split('')), maxLength: 60 }),
          fc
            .tuple(fc.nat(base.length), fc.nat(base.length), fc.string({ maxLength: 6 }))
            .map(([a, b, s]) => base.slice(0, Math.min(a, b)) + s + base.slice(Math.max(a, b))),
        ),
        (line) => {
          expectOnlyCodecErrors(() => parseDosListLine(line));
        },
      ),
      { numRuns: fuzzRuns() },
    );
  });
});
