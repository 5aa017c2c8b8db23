/**
 * `formatListLine` / `formatListLines`: GNU `ls -l` lines in the C locale and UTC, and the round
 * trip through `parseUnixListLine` that every client depends on.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CodecErrorCodes,
  createListFormatter,
  type FileRecord,
  formatListLine,
  formatListLines,
  type ListingEntry,
  parseListing,
  parseUnixListLine,
} from '../src/index.ts';
import { codecErrorOf, expectOnlyCodecErrors, fuzzRuns } from './helpers.ts';

const now = new Date(Date.UTC(2024, 5, 15, 12, 0, 30));
const SIX_MONTHS = 15_778_476_000; // GNU ls: half of 365.2425 days
const at = (iso: string) => new Date(iso);
const file = (over: Partial<FileRecord> = {}): FileRecord => ({
  name: 'name',
  type: 'file',
  size: 1234,
  modified: at('2024-01-02T15:04:59Z'),
  ...over,
});
const line = (over: Partial<FileRecord> = {}) => formatListLine(file(over), { now });

describe('formatListLine', () => {
  it('prints a recent file as GNU ls does: `%b %e %H:%M`, defaults ftp/ftp, 1 link, 0644', () => {
    expect(line()).toBe('-rw-r--r-- 1 ftp ftp 1234 Jan  2 15:04 name');
  });

  it('prints an old file with the year right-aligned in the time column: `%b %e  %Y`', () => {
    expect(line({ modified: at('2006-01-02T15:04:05Z') })).toBe(
      '-rw-r--r-- 1 ftp ftp 1234 Jan  2  2006 name',
    );
    expect(line({ modified: at('2006-11-22T15:04:05Z') })).toBe(
      '-rw-r--r-- 1 ftp ftp 1234 Nov 22  2006 name',
    );
  });

  it('recent means within six months (GNU: 31556952 s / 2) before now and not in the future', () => {
    const t = now.getTime();
    expect(line({ modified: new Date(t) })).toContain('Jun 15 12:00 name');
    expect(line({ modified: new Date(t + 1000) })).toContain('Jun 15  2024 name');
    expect(line({ modified: new Date(t - SIX_MONTHS + 1000) })).toMatch(/ Dec 15 \d\d:\d\d name$/);
    expect(line({ modified: new Date(t - SIX_MONTHS) })).toMatch(/ Dec 15 {2}2023 name$/);
  });

  it('months are English whatever the locale, in UTC whatever the zone', () => {
    const months = Array.from(
      { length: 12 },
      (_, m) =>
        formatListLine(file({ modified: new Date(Date.UTC(2001, m, 9, 23, 30)) }), { now }).split(' ')[5],
    );
    expect(months).toEqual([
      'Jan',
      'Feb',
      'Mar',
      'Apr',
      'May',
      'Jun',
      'Jul',
      'Aug',
      'Sep',
      'Oct',
      'Nov',
      'Dec',
    ]);
    expect(line({ modified: at('2024-06-14T23:59:00Z') })).toContain('Jun 14 23:59');
  });

  it('type letters and default modes: d 0755, l 0777 with `-> target`, cdir/pdir as d', () => {
    expect(line({ type: 'dir', name: 'pub', size: 4096 })).toBe('drwxr-xr-x 1 ftp ftp 4096 Jan  2 15:04 pub');
    expect(line({ type: 'symlink', name: 'latest', size: 5, target: 'v1.2 final' })).toBe(
      'lrwxrwxrwx 1 ftp ftp 5 Jan  2 15:04 latest -> v1.2 final',
    );
    expect(line({ type: 'symlink', name: 'dangling' })).toMatch(/^lrwxrwxrwx .* dangling$/);
    expect(line({ type: 'cdir', name: '.' })).toMatch(/^drwxr-xr-x .* \.$/);
    expect(line({ type: 'pdir', name: '..' })).toMatch(/^drwxr-xr-x .* \.\.$/);
  });

  it('setuid/setgid `s`/`S` and sticky `t`/`T` in the execute slots', () => {
    const perms = (mode: number) => line({ mode }).slice(0, 10);
    expect(perms(0o4755)).toBe('-rwsr-xr-x');
    expect(perms(0o4644)).toBe('-rwSr--r--');
    expect(perms(0o2755)).toBe('-rwxr-sr-x');
    expect(perms(0o2644)).toBe('-rw-r-Sr--');
    expect(perms(0o1777)).toBe('-rwxrwxrwt');
    expect(perms(0o1776)).toBe('-rwxrwxrwT');
    expect(perms(0o7000)).toBe('---S--S--T');
    expect(perms(0)).toBe('----------');
  });

  it('accepts a whole fs.Stats.mode: type bits name p/c/b/s for `other`, and are dropped otherwise', () => {
    expect(line({ mode: 0o100644 }).slice(0, 10)).toBe('-rw-r--r--');
    expect(line({ type: 'dir', mode: 0o040755 }).slice(0, 10)).toBe('drwxr-xr-x');
    expect(line({ type: 'other', mode: 0o010644 }).slice(0, 10)).toBe('prw-r--r--');
    expect(line({ type: 'other', mode: 0o020620 }).slice(0, 10)).toBe('crw--w----');
    expect(line({ type: 'other', mode: 0o060660 }).slice(0, 10)).toBe('brw-rw----');
    expect(line({ type: 'other', mode: 0o140777 }).slice(0, 10)).toBe('srwxrwxrwx');
    // Without type bits `other` is listed as a file: curl rejects a whole listing on GNU's `?`.
    expect(line({ type: 'other' }).slice(0, 10)).toBe('-rw-r--r--');
  });

  it('numeric owner and group, nlink, sizes up to MAX_SAFE_INTEGER', () => {
    expect(line({ owner: 1000, group: 0, nlink: 12, size: Number.MAX_SAFE_INTEGER })).toBe(
      '-rw-r--r-- 12 1000 0 9007199254740991 Jan  2 15:04 name',
    );
  });

  it('names keep spaces and UTF-8 as is', () => {
    expect(line({ name: '  my résumé 履歴書.pdf ' })).toMatch(/15:04 {3}my résumé 履歴書\.pdf $/);
  });

  it('rejects CR, LF or NUL in a name or target with CONTROL_CHARACTER (RFC 959 §4.1.3)', () => {
    for (const name of ['a\r\nb', 'a\nb', 'a\rb', 'a\0b']) {
      expect(() => line({ name }), JSON.stringify(name)).toThrow(
        expect.objectContaining({ code: CodecErrorCodes.CONTROL_CHARACTER }),
      );
    }
    expect(() => line({ type: 'symlink', target: 'x\ny' })).toThrow(
      expect.objectContaining({ code: CodecErrorCodes.CONTROL_CHARACTER }),
    );
  });

  it('rejects malformed records with INVALID_ARGUMENT', () => {
    const bad: Partial<FileRecord>[] = [
      { name: '' },
      { size: -1 },
      { size: 1.5 },
      { size: Number.MAX_SAFE_INTEGER + 1 },
      { size: Number.NaN },
      { modified: new Date(Number.NaN) },
      { modified: new Date(Date.UTC(999, 11, 31)) },
      { modified: new Date(Date.UTC(10_000, 0, 1)) },
      { mode: -1 },
      { mode: 0o200000 },
      { mode: 0.5 },
      { nlink: -1 },
      { owner: 'two words' },
      { owner: '' },
      { group: 'tab\tbed' },
      { group: -5 },
      { type: 'weird' as FileRecord['type'] },
      { type: 'toString' as FileRecord['type'] },
    ];
    for (const over of bad) {
      expect(() => line(over), JSON.stringify(over)).toThrow(
        expect.objectContaining({ code: CodecErrorCodes.INVALID_ARGUMENT }),
      );
    }
    expect(() => formatListLine(file(), { now: new Date(Number.NaN) })).toThrow(
      expect.objectContaining({ code: CodecErrorCodes.INVALID_ARGUMENT }),
    );
  });

  it('defaults `now` to the current time', () => {
    expect(formatListLine(file({ modified: new Date(Date.now() - 60_000) }))).toMatch(/ \d\d:\d\d name$/);
    expect(formatListLine(file({ modified: new Date(Date.now() + 86_400_000 * 3) }))).toMatch(
      / {2}\d{4} name$/,
    );
  });

  it('property: throws only CodecError on arbitrary records', () => {
    fc.assert(
      fc.property(
        fc.record({
          name: fc.oneof(fc.string(), fc.anything()),
          type: fc.oneof(fc.constantFrom('file', 'dir', 'symlink', 'other', 'cdir', 'pdir'), fc.anything()),
          size: fc.oneof(fc.integer(), fc.double(), fc.anything()),
          modified: fc.oneof(fc.date(), fc.anything()),
          mode: fc.option(fc.oneof(fc.integer(), fc.anything()), { nil: undefined }),
          owner: fc.option(fc.oneof(fc.string(), fc.integer(), fc.anything()), { nil: undefined }),
          target: fc.option(fc.oneof(fc.string(), fc.anything()), { nil: undefined }),
        }),
        (record) => {
          expectOnlyCodecErrors(() => formatListLine(record as unknown as FileRecord, { now }));
        },
      ),
      { numRuns: fuzzRuns() },
    );
  });
});

describe('formatListLines', () => {
  const records: FileRecord[] = [
    { name: '.', type: 'cdir', size: 4096, modified: at('2024-06-15T11:00:00Z'), nlink: 12, owner: 'ftp' },
    {
      name: 'a file',
      type: 'file',
      size: 5,
      modified: at('2019-03-04T00:00:00Z'),
      owner: 'alice',
      group: 1000,
    },
    {
      name: 'big',
      type: 'file',
      size: 5368709120,
      modified: at('2024-06-01T08:09:00Z'),
      owner: 0,
      group: 'wheel',
    },
  ];

  it('aligns nlink and size right, owner and group left, like `ls -l`', () => {
    expect(formatListLines(records, { now })).toEqual([
      'drwxr-xr-x 12 ftp   ftp         4096 Jun 15 11:00 .',
      '-rw-r--r--  1 alice 1000           5 Mar  4  2019 a file',
      '-rw-r--r--  1 0     wheel 5368709120 Jun  1 08:09 big',
    ]);
  });

  it('every padded line parses like its unpadded form', () => {
    const padded = formatListLines(records, { now });
    records.forEach((record, i) => {
      const { raw: _a, ...fromPadded } = parseUnixListLine(padded[i]!, { now })!;
      const { raw: _b, ...fromSingle } = parseUnixListLine(formatListLine(record, { now }), { now })!;
      expect(fromPadded).toEqual(fromSingle);
    });
  });

  it('an empty directory is no lines', () => {
    expect(formatListLines([], { now })).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// The round trip: what a client reads back from what the server printed.

const NOW_MS = now.getTime();
const DAY = 86_400_000;

const nameChars = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...'abcxyz019._-'.split('')) },
  { weight: 2, arbitrary: fc.constant(' ') },
  { weight: 1, arbitrary: fc.constantFrom('é', '履', '🙂', '>', '-', '\t', ';', 'Jan', '15:04', '2006') },
);
const nameArb = fc.array(nameChars, { minLength: 1, maxLength: 12 }).map((parts) => parts.join(''));
const idArb = fc.oneof(
  fc.stringMatching(/^[a-zA-Z0-9._-]{1,12}$/),
  fc.constantFrom('Jan', 'jan', '2', '15:04', '2006', 'Domäne'),
  fc.nat({ max: 2 ** 32 }),
);
const dateArb = fc.oneof(
  // Recent: up to six months back, a little beyond, and a little into the future.
  fc.integer({ min: -200 * DAY, max: 3 * DAY }).map((offset) => new Date(NOW_MS + offset)),
  fc.date({
    min: new Date(Date.UTC(1000, 0, 1)),
    max: new Date(Date.UTC(9999, 11, 31, 23, 59)),
    noInvalidDate: true,
  }),
);
const recordArb: fc.Arbitrary<FileRecord> = fc
  .record({
    type: fc.constantFrom('file', 'dir', 'symlink', 'other', 'cdir', 'pdir') as fc.Arbitrary<
      FileRecord['type']
    >,
    name: nameArb,
    size: fc.oneof(fc.nat(), fc.maxSafeNat()),
    modified: dateArb,
    mode: fc.option(
      fc.oneof(fc.integer({ min: 0, max: 0o7777 }), fc.constantFrom(0o010644, 0o020620, 0o060660, 0o140777)),
      { nil: undefined },
    ),
    nlink: fc.option(fc.nat(), { nil: undefined }),
    owner: fc.option(idArb, { nil: undefined }),
    group: fc.option(idArb, { nil: undefined }),
    target: fc.option(nameArb, { nil: undefined }),
  })
  .map(({ mode, nlink, owner, group, target, ...rest }) => ({
    ...rest,
    ...(mode === undefined ? {} : { mode }),
    ...(nlink === undefined ? {} : { nlink }),
    ...(owner === undefined ? {} : { owner }),
    ...(group === undefined ? {} : { group }),
    ...(target === undefined ? {} : { target }),
  }))
  // A symlink's line is `name -> target`: the parser splits at the first arrow, so a link name
  // holding `->` cannot come back (the same is true of every ls-based client).
  .filter((r) => r.type !== 'symlink' || !r.name.includes('->'));

const OTHER_LETTERS = new Set([0o010000, 0o020000, 0o060000, 0o140000]);

/**
 * What the parser must return for `record`: recent dates to the minute (that is all `HH:MM`
 * says), older and future ones to the UTC day; `other` only when st_mode type bits name a
 * letter; cdir/pdir as plain directories; ids as strings.
 */
function expectedEntry(record: FileRecord): Omit<ListingEntry, 'raw'> {
  const t = record.modified.getTime();
  const recent = t > NOW_MS - SIX_MONTHS && t <= NOW_MS;
  const modified = recent ? t - (((t % 60_000) + 60_000) % 60_000) : t - (((t % DAY) + DAY) % DAY);
  const typeBits = (record.mode ?? 0) & 0o170000;
  const type =
    record.type === 'cdir' || record.type === 'pdir'
      ? 'dir'
      : record.type === 'other'
        ? OTHER_LETTERS.has(typeBits)
          ? 'other'
          : 'file'
        : record.type;
  const defaultMode =
    record.type === 'file' || record.type === 'other' ? 0o644 : record.type === 'symlink' ? 0o777 : 0o755;
  return {
    name: record.name,
    type,
    size: record.size,
    modified: new Date(modified),
    modifiedPrecision: recent ? 'minute' : 'day',
    mode: (record.mode ?? defaultMode) & 0o7777,
    nlink: record.nlink ?? 1,
    owner: String(record.owner ?? 'ftp'),
    group: String(record.group ?? 'ftp'),
    ...(record.type === 'symlink' && record.target !== undefined ? { target: record.target } : {}),
  };
}

describe('round trip: parseUnixListLine(formatListLine(record))', () => {
  it('property: every field comes back, dates at minute (recent) or day (old) precision', () => {
    fc.assert(
      fc.property(recordArb, (record) => {
        const text = formatListLine(record, { now });
        const { raw, ...entry } = parseUnixListLine(text, { now })!;
        expect(raw).toBe(text);
        expect(entry).toEqual(expectedEntry(record));
      }),
      { numRuns: fuzzRuns() },
    );
  });

  it('property: a formatted directory parses back through parseListing, in order, nothing unparsed', () => {
    fc.assert(
      fc.property(fc.array(recordArb, { maxLength: 12 }), (records) => {
        const text = formatListLines(records, { now })
          .map((l) => `${l}\r\n`)
          .join('');
        const result = parseListing(text, { now });
        expect(result.unparsed).toEqual([]);
        expect(result.format).toBe(records.length === 0 ? 'unknown' : 'unix');
        expect(result.entries.map(({ raw: _raw, ...e }) => e)).toEqual(records.map(expectedEntry));
      }),
      { numRuns: fuzzRuns(100) },
    );
  });
});

/**
 * The padding rule, written out independently of the formatter: the unpadded line's nlink and
 * size columns right-aligned and owner/group left-aligned to the widest over `records`.
 */
function padded(records: readonly FileRecord[]): Map<FileRecord, string> {
  const fields = records.map((r) => {
    const text = formatListLine(r, { now });
    const parts = text.split(' ');
    return { r, head: parts.slice(0, 5), rest: parts.slice(5).join(' ') };
  });
  const width = (i: number) => Math.max(0, ...fields.map((f) => f.head[i]!.length));
  const [nl, ow, gr, sz] = [width(1), width(2), width(3), width(4)];
  return new Map(
    fields.map(({ r, head, rest }) => [
      r,
      `${head[0]} ${head[1]!.padStart(nl)} ${head[2]!.padEnd(ow)} ${head[3]!.padEnd(gr)} ${head[4]!.padStart(sz)} ${rest}`,
    ]),
  );
}

describe('createListFormatter', () => {
  it('property: formatListLines pads every column as ls -l does (checked against formatListLine)', () => {
    fc.assert(
      fc.property(fc.array(recordArb, { maxLength: 12 }), (records) => {
        const expected = padded(records);
        expect(formatListLines(records, { now })).toEqual(records.map((r) => expected.get(r)));
        const format = createListFormatter(records, { now });
        expect(records.map((r) => format(r))).toEqual(records.map((r) => expected.get(r)));
      }),
      { numRuns: fuzzRuns() },
    );
  });

  const badRecordArb: fc.Arbitrary<FileRecord> = fc.oneof(
    recordArb.map((r) => ({ ...r, name: `${r.name}\r\n` })),
    recordArb.map((r) => ({ ...r, size: -1, nlink: 123_456_789 })),
    recordArb.map((r) => ({ ...r, owner: 'a very long owner name', group: 'x y' })),
    recordArb.map((r) => ({ ...r, nlink: 2.5 })),
    recordArb.map((r) => ({ ...r, target: 'x\0y', type: 'symlink' as const, size: 10 ** 15 })),
    // Refused for a field that has no width: these may widen the columns, so keep them narrow.
    recordArb.map((r) => ({
      ...r,
      modified: new Date(Number.NaN),
      size: 0,
      nlink: 1,
      owner: 'a',
      group: 'a',
    })),
    recordArb.map((r) => ({
      ...r,
      type: 'fifo' as FileRecord['type'],
      size: 0,
      nlink: 1,
      owner: 'a',
      group: 'a',
    })),
  );

  it('property: a bad entry throws what formatListLine throws, alone, and does not widen the columns', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(recordArb, badRecordArb), { maxLength: 12 }), (records) => {
        const good = records.filter((r) => {
          try {
            formatListLine(r, { now });
            return true;
          } catch {
            return false;
          }
        });
        const expected = padded(good);
        const format = createListFormatter(records, { now });
        for (const r of records) {
          const line = expected.get(r);
          if (line === undefined) {
            const want = codecErrorOf(() => formatListLine(r, { now }));
            const got = codecErrorOf(() => format(r));
            expect([got.code, got.message]).toEqual([want.code, want.message]);
          } else {
            expect(format(r)).toBe(line);
          }
        }
      }),
      { numRuns: fuzzRuns() },
    );
  });

  it('formats a large directory in slices that align as one listing', () => {
    const records = Array.from({ length: 2000 }, (_, i) =>
      file({ name: `f${i}`, size: i * 997, nlink: (i % 13) + 1, owner: i % 7 === 0 ? 'someone' : 1000 }),
    );
    const format = createListFormatter(records, { now });
    const lines = records.map((r) => format(r));
    expect(lines).toEqual(formatListLines(records, { now }));
    expect(new Set(lines.map((l) => l.indexOf(' Jan'))).size).toBe(1);
  });

  it('refuses a bad now when created', () => {
    expect(codecErrorOf(() => createListFormatter([], { now: new Date(Number.NaN) })).code).toBe(
      CodecErrorCodes.INVALID_ARGUMENT,
    );
  });
});
