/**
 * The fast paths of the Unix listing parser, held equal to the slow ones: the common-line
 * shortcut against the general scan, and a whole listing read in place against the same lines
 * handed over one by one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ListingEntry, parseListing } from '../src/index.ts';
import { scanUnixLine, scanUnixLineGeneral } from '../src/listings/parse-unix.ts';
import { fuzzRuns, utf8 } from './helpers.ts';

const now = Date.UTC(2024, 5, 15, 12, 0);

/** Entries compared with their key order: the shortcut builds its entries in one literal. */
const shape = (result: ReturnType<typeof scanUnixLine>) =>
  typeof result === 'object' ? { keys: Object.keys(result), entry: result } : result;

const blanks = fc.constantFrom(' ', '  ', '    ', '\t', ' \t ');
const digits = (max: number) => fc.nat(max).map(String);
/** The fields of the common shape, each sometimes replaced by something the shortcut must refuse. */
const field = (usual: fc.Arbitrary<string>) =>
  fc.oneof(
    { arbitrary: usual, weight: 8 },
    {
      arbitrary: fc.constantFrom(
        ...[
          '',
          'x',
          '4,',
          '4,0',
          '01',
          '2020',
          '12:34',
          'Jan',
          '\u0001',
          '9'.repeat(17),
          `${'0'.repeat(16)}1`,
        ],
      ),
      weight: 1,
    },
  );
const commonLine = fc
  .tuple(
    fc.constantFrom('-', 'd', 'l', 'c', 'p', 'x'),
    fc.constantFrom('rw-r--r--', 'rwxr-xr-x', 'rwsr-sr-t', 'rw-r-lr--', 'rwxrwxrwz'),
    fc.constantFrom('', '', '+', '@', '.'),
    fc.array(fc.tuple(blanks, fc.string({ maxLength: 3 })), { maxLength: 1 }),
    fc.tuple(
      field(digits(40)),
      field(fc.constantFrom('root', '1000', 'jan', 'Mar', 'www-data')),
      field(fc.constantFrom('root', '1000', 'staff', '2', '4,', 'a b')),
      field(fc.oneof(digits(1e6), fc.constantFrom('9007199254740991', '9007199254740992', '4, 0'))),
      field(fc.constantFrom('Jan', 'Feb', 'Jun', 'Dec', 'JAN', 'feb', 'Foo')),
      field(fc.oneof(digits(32), fc.constantFrom('00', '002'))),
      field(
        fc.oneof(
          fc.tuple(fc.nat(25), fc.nat(61)).map(([h, m]) => `${h}:${String(m).padStart(2, '0')}`),
          fc.integer({ min: 0, max: 9999 }).map((y) => String(y).padStart(4, '0')),
          fc.constantFrom('12:34:56', '1:2', '123:45', '12345', '15:04 2006'),
        ),
      ),
    ),
    fc.array(blanks, { minLength: 7, maxLength: 7 }),
    fc.constantFrom(
      'name',
      'a b',
      ' lead',
      'trail ',
      'x -> y',
      'Feb  3 16:05 4 x',
      '',
      '\u2028é',
      'a\u0001b',
    ),
    fc.constantFrom('', '', '\r', ' \r'),
  )
  .map(
    ([type, perms, marker, junk, fields, seps, name, end]) =>
      `${type}${perms}${marker}${junk.map(([b, s]) => b + s).join('')}${fields.map((f, i) => seps[i] + f).join('')}${name === '' ? '' : ' '}${name}${end}`,
  );

describe('Unix listing shortcut', () => {
  it('property: the common-line shortcut gives what the general scan gives, entry or reason', () => {
    fc.assert(
      fc.property(
        commonLine,
        fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2040, 0, 1) }),
        (line, at) => {
          expect(shape(scanUnixLine(line, at))).toEqual(shape(scanUnixLineGeneral(line, at)));
        },
      ),
      { numRuns: fuzzRuns(2_000) },
    );
  });

  it('reads the lines vsftpd, ProFTPD and GNU ls print exactly as the general scan does', () => {
    for (const line of [
      '-rw-r--r--    1 994      993             0 Nov 21 19:37 entry-000000.txt',
      'drwxr-xr-x    2 ftp      ftp          4096 Jan 02 15:04 pub',
      '-rw-r--r--    1 1000     1000      1048576 Mar 14  2019 archive-2019.tar.gz',
      '-rw-r--r--+   1 alice    staff   123456789 May 30 23:59 Quarterly Report (final).pdf',
      '-rw-r--r--\t1\towner\tgroup\t12\tJan\t2\t9:04\tname',
      '-rw-r--r-- 1 o g 1 Feb 29 10:00 leap',
      '-rw-r--r-- 1 o g 1 Feb 29  2023 not a leap year',
      '-rw-r--r-- 1 o g 1 Jan  2 15:04 ',
      '-rw-r--r-- 1 o g 1 Jan  2 15:04  \r',
      'crw-rw----    1 root     tty        4,   0 Feb 29  2020 tty0',
      'brw-rw---- 1 root 8, 1 Jan  2 15:04 sda1',
      `-rw-r--r-- ${'0'.repeat(16)}1 o g 1 Jan  2 15:04 seventeen-digit nlink`,
      `-rw-r--r-- 1 o g ${'0'.repeat(16)}1 Jan  2 15:04 seventeen-digit size`,
      '-rw-r--r-- 1 o g 9007199254740992 Jan  2 15:04 unsafe size',
      '-rw-r--r-- 1 o g\u0001 1 Jan  2 15:04 control character',
      '-rw-r--r-- 1 o g 1 Jan 002 15:04 three-digit day',
      '-rw-r--r-- 1 o g 1 Jan  2 15:04:05 2006 BSD -T',
    ]) {
      expect(shape(scanUnixLine(line, now)), line).toEqual(shape(scanUnixLineGeneral(line, now)));
    }
  });
});

describe('parseListing reads a listing in place', () => {
  const plain = (entries: readonly ListingEntry[]) => entries.map((e) => ({ keys: Object.keys(e), ...e }));

  it('property: text and bytes give what the same lines as an array give', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            commonLine.filter((l) => !l.includes('\n')),
            fc.constantFrom('total 8', '', ' ', 'garbage'),
          ),
          { maxLength: 8 },
        ),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        (lines, eol, trailing) => {
          // An array keeps a line's own trailing CR; text loses one CR per line end to the CRLF,
          // or to a bare LF, and none at the very end: give the text a CR only where it keeps it.
          const own = lines.map((l) => (eol === '\r\n' ? l : l.replace(/\r$/, '')));
          const text = own.join(eol) + (trailing || eol === '\r\n' ? eol : '');
          const options = { now: new Date(now) };
          const fromLines = parseListing(own, options);
          for (const input of [text, utf8(text)]) {
            const fromText = parseListing(input, options);
            expect(fromText.format).toBe(fromLines.format);
            expect(plain(fromText.entries)).toEqual(plain(fromLines.entries));
            expect(fromText.unparsed).toEqual(fromLines.unparsed);
            expect(fromText.ignored).toEqual(fromLines.ignored);
          }
        },
      ),
      { numRuns: fuzzRuns(500) },
    );
  });

  it('each listing uses its own `now`: nothing of an earlier listing’s year inference is kept', () => {
    const text = '-rw-r--r-- 1 o g 1 Dec 31 23:59 a\r\n-rw-r--r-- 1 o g 1 Jun  1 10:00 b\r\n';
    const years = (at: number) =>
      parseListing(text, { now: new Date(at) }).entries.map((e) => e.modified?.getUTCFullYear());
    expect(years(now)).toEqual([2023, 2024]);
    expect(years(Date.UTC(2025, 0, 1))).toEqual([2024, 2024]);
    expect(years(now)).toEqual([2023, 2024]);
  });

  it('a 10,000-line listing: every entry is a distinct frozen object with its own Date', () => {
    const lines = Array.from(
      { length: 10_000 },
      (_, i) => `-rw-r--r--    1 994      993      ${String(i).padStart(8)} Nov 21 19:37 f${i}`,
    );
    const { entries } = parseListing(utf8(`${lines.join('\n')}\n`), {
      now: new Date(Date.UTC(2026, 10, 22)),
    });
    expect(entries).toHaveLength(10_000);
    expect(entries[9_999]).toMatchObject({
      name: 'f9999',
      size: 9_999,
      owner: '994',
      group: '993',
      nlink: 1,
    });
    expect(entries.every(Object.isFrozen)).toBe(true);
    expect(entries[0]!.modified).not.toBe(entries[1]!.modified);
    expect(entries[0]!.modified).toEqual(entries[1]!.modified);
  });
});
