/**
 * `parseUnixListLine`: one test per tolerance rule, each naming the server behaviour that needs
 * it (RFC 959 §4.1.3 leaves LIST output to the server, so the rules come from real `ls -l`s).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodecErrorCodes, parseUnixListLine } from '../src/index.ts';
import { expectOnlyCodecErrors, fuzzRuns } from './helpers.ts';

const now = new Date(Date.UTC(2024, 5, 15, 12, 0));
const parse = (line: string) => parseUnixListLine(line, { now });
const iso = (line: string) => parse(line)?.modified?.toISOString();

describe('parseUnixListLine', () => {
  it('reads the GNU ls -l line: mode, nlink, owner, group, size, recent date, name', () => {
    expect(parse('-rw-r--r-- 1 owner group 1234 Jan  2 15:04 name')).toEqual({
      name: 'name',
      type: 'file',
      mode: 0o644,
      nlink: 1,
      owner: 'owner',
      group: 'group',
      size: 1234,
      modified: new Date(Date.UTC(2024, 0, 2, 15, 4)),
      modifiedPrecision: 'minute',
      raw: '-rw-r--r-- 1 owner group 1234 Jan  2 15:04 name',
    });
  });

  it('returns undefined for blank lines and the `total N` block count (GNU, BSD, `ls -h`)', () => {
    expect(parse('')).toBeUndefined();
    expect(parse('   \t ')).toBeUndefined();
    expect(parse('total 123')).toBeUndefined();
    expect(parse('total 12K')).toBeUndefined();
    expect(parse('total 0\r')).toBeUndefined();
  });

  it('throws LISTING for lines that are not Unix lines (the caller asked for Unix)', () => {
    for (const line of [
      'hello world',
      '01-02-06  03:04PM       <DIR>          name',
      'type=file;size=1; name',
      '-rw-r--r-- 1 owner group 1234 Jan  2 15:04',
      '-rw-r--r-- 1 owner group notasize Jan  2 15:04 name',
      'xrw-r--r-- 1 owner group 1 Jan  2 15:04 name',
      '-rw-r--r--X 1 owner group 1 Jan  2 15:04 name',
      '-rwxrwxrwz 1 owner group 1 Jan  2 15:04 name',
      ' -rw-r--r-- 1 owner group 1 Jan  2 15:04 name',
      'totally 12',
    ]) {
      expect(() => parse(line), line).toThrow(expect.objectContaining({ code: CodecErrorCodes.LISTING }));
    }
  });

  it('old dates: `Jan  2  2006` gives day precision at 00:00 UTC', () => {
    const entry = parse('-rw-r--r-- 1 o g 1 Jan  2  2006 name');
    expect(entry?.modified).toEqual(new Date(Date.UTC(2006, 0, 2)));
    expect(entry?.modifiedPrecision).toBe('day');
  });

  it('year inference: a year-less date more than a day after `now` belongs to last year', () => {
    expect(iso('-rw-r--r-- 1 o g 1 Jun 16 11:59 a')).toBe('2024-06-16T11:59:00.000Z'); // within a day: clock skew
    expect(iso('-rw-r--r-- 1 o g 1 Jun 16 12:01 a')).toBe('2023-06-16T12:01:00.000Z');
    expect(iso('-rw-r--r-- 1 o g 1 Dec 31 23:59 a')).toBe('2023-12-31T23:59:00.000Z');
    expect(iso('-rw-r--r-- 1 o g 1 Jan  1 00:00 a')).toBe('2024-01-01T00:00:00.000Z');
  });

  it('year inference: February 29th goes back to the nearest leap year', () => {
    const march2025 = { now: new Date(Date.UTC(2025, 2, 10)) };
    expect(parseUnixListLine('-rw-r--r-- 1 o g 1 Feb 29 10:00 a', march2025)?.modified?.toISOString()).toBe(
      '2024-02-29T10:00:00.000Z',
    );
    expect(iso('-rw-r--r-- 1 o g 1 Feb 29 10:00 a')).toBe('2024-02-29T10:00:00.000Z');
  });

  it('refuses impossible dates instead of wrapping them (Feb 30, Feb 29 of a common year, 24:00)', () => {
    for (const date of [
      'Feb 30 10:00',
      'Feb 29  2023',
      'Jan  2 24:00',
      'Jan  2 12:60',
      'Jan 32  2020',
      'Jan  0 10:00',
    ]) {
      expect(() => parse(`-rw-r--r-- 1 o g 1 ${date} a`), date).toThrow(
        expect.objectContaining({ code: CodecErrorCodes.LISTING }),
      );
    }
  });

  it('symlinks: `name -> target` is split for `l` entries only', () => {
    expect(parse('lrwxrwxrwx 1 o g 7 Jan  2 15:04 my link -> ../some target')).toMatchObject({
      type: 'symlink',
      name: 'my link',
      target: '../some target',
    });
    // A regular file may contain " -> " in its name; it is not a link.
    expect(parse('-rw-r--r-- 1 o g 7 Jan  2 15:04 a -> b')).toMatchObject({ type: 'file', name: 'a -> b' });
    expect(parse('-rw-r--r-- 1 o g 7 Jan  2 15:04 a -> b')).not.toHaveProperty('target');
    // Only the first arrow splits: the target may contain one.
    expect(parse('lrwxrwxrwx 1 o g 7 Jan  2 15:04 a -> b -> c')).toMatchObject({
      name: 'a',
      target: 'b -> c',
    });
  });

  it('numeric uid/gid (vsftpd and Pure-FTPd print numbers when no name is known) stay strings', () => {
    expect(parse('-rw-r--r-- 1 1000 1000 5 Jan  2 15:04 a')).toMatchObject({
      owner: '1000',
      group: '1000',
      nlink: 1,
    });
  });

  it('a missing group column (embedded servers print `1 owner 1234`)', () => {
    const entry = parse('-rw-r--r-- 1 owner 1234 Jan 02 15:04 name');
    expect(entry).toMatchObject({ nlink: 1, owner: 'owner', size: 1234, name: 'name' });
    expect(entry).not.toHaveProperty('group');
  });

  it('a missing link count (`owner group size`, some Windows servers in Unix mode)', () => {
    const entry = parse('-rw-r--r--   owner group 99 Mar  3 03:03 x');
    expect(entry).toMatchObject({ owner: 'owner', group: 'group', size: 99 });
    expect(entry).not.toHaveProperty('nlink');
  });

  it('device files: `major, minor` (GNU, BSD) or `major,minor` replaces the size', () => {
    for (const line of [
      'crw-rw---- 1 root tty 4, 0 Jan  2 15:04 tty0',
      'crw-rw---- 1 root tty   4,   0 Jan  2 15:04 tty0',
      'crw-rw---- 1 root tty 4,0 Jan  2 15:04 tty0',
    ]) {
      const entry = parse(line);
      expect(entry, line).toMatchObject({
        type: 'other',
        name: 'tty0',
        owner: 'root',
        group: 'tty',
        mode: 0o660,
      });
      expect(entry).not.toHaveProperty('size');
    }
    expect(parse('brw-rw---- 1 root 8, 1 Jan  2 15:04 sda1')).toMatchObject({ owner: 'root', name: 'sda1' });
  });

  it('names with spaces: inner, leading and trailing spaces survive (the date anchors the split)', () => {
    expect(parse('-rw-r--r-- 1 o g 1 Jan  2 15:04 a  b ')?.name).toBe('a  b ');
    expect(parse('-rw-r--r-- 1 o g 1 Jan  2 15:04   two leading')?.name).toBe('  two leading');
    expect(parse('-rw-r--r-- 1 o g 1 Jan  2  2006  old leading')?.name).toBe(' old leading');
  });

  it('names that look like columns: a date or size inside the name is not taken for one', () => {
    expect(parse('-rw-r--r-- 1 o g 1 Jan  2 15:04 Feb  3 16:05 4 x')).toMatchObject({
      size: 1,
      name: 'Feb  3 16:05 4 x',
      modified: new Date(Date.UTC(2024, 0, 2, 15, 4)),
    });
  });

  it('an owner or group that looks like a month or a day is not taken for the date', () => {
    expect(parse('-rw-r--r-- 1 jan 2 1234 Jan  2 15:04 x')).toMatchObject({
      owner: 'jan',
      group: '2',
      size: 1234,
      name: 'x',
    });
    expect(parse('-rw-r--r-- 1 Mar 3 2020 Jan  2  2006 x')).toMatchObject({
      owner: 'Mar',
      group: '3',
      size: 2020,
      name: 'x',
    });
  });

  it('ACL `+`, macOS extended-attribute `@` and SELinux `.` markers after the permissions', () => {
    for (const marker of ['+', '@', '.']) {
      expect(parse(`drwxr-x---${marker} 2 o g 1 Jan  2 15:04 d`), marker).toMatchObject({
        type: 'dir',
        mode: 0o750,
      });
    }
  });

  it('mode bits: setuid/setgid `s`/`S`, sticky `t`/`T`, Solaris mandatory locking `l`', () => {
    const mode = (perms: string) => parse(`-${perms} 1 o g 1 Jan  2 15:04 a`)?.mode;
    expect(mode('rwsr-xr-x')).toBe(0o4755);
    expect(mode('rwSr--r--')).toBe(0o4644);
    expect(mode('rwxr-sr-x')).toBe(0o2755);
    expect(mode('rw-r-Sr--')).toBe(0o2644);
    expect(mode('rwxrwxrwt')).toBe(0o1777);
    expect(mode('rwxrwxrwT')).toBe(0o1776);
    expect(mode('rw-r-lr--')).toBe(0o2644);
    expect(mode('rwsrwsrwt')).toBe(0o7777);
    expect(mode('---------')).toBe(0);
  });

  it('type letters: d, l, -, and b c p s D P w n ? as `other`', () => {
    expect(parse('d--------- 1 o g 1 Jan  2 15:04 a')?.type).toBe('dir');
    expect(parse('l--------- 1 o g 1 Jan  2 15:04 a')?.type).toBe('symlink');
    for (const letter of 'bcpsDPwn?') {
      expect(parse(`${letter}--------- 1 o g 1 Jan  2 15:04 a`)?.type, letter).toBe('other');
    }
  });

  it('ISO dates from `ls --time-style=long-iso` and `full-iso` (zone applied)', () => {
    expect(parse('-rw-r--r-- 1 o g 1 2024-01-02 15:04 a')).toMatchObject({
      modified: new Date(Date.UTC(2024, 0, 2, 15, 4)),
      modifiedPrecision: 'minute',
      name: 'a',
    });
    expect(parse('-rw-r--r-- 1 o g 1 2024-01-02 15:04:05.987654321 -0100 a')).toMatchObject({
      modified: new Date(Date.UTC(2024, 0, 2, 16, 4, 5, 987)),
      modifiedPrecision: 'millisecond',
      name: 'a',
    });
    // long-iso has no zone: a name that starts like one stays in the name.
    expect(parse('-rw-r--r-- 1 o g 1 2024-01-02 15:04 +0100 a')?.name).toBe('+0100 a');
  });

  it('BSD `ls -lT` (`Jan  2 15:04:05 2006`): seconds and year', () => {
    expect(parse('-rw-r--r-- 1 o g 1 Jan  2 15:04:05 2006 a')).toMatchObject({
      modified: new Date(Date.UTC(2006, 0, 2, 15, 4, 5)),
      modifiedPrecision: 'second',
      name: 'a',
    });
  });

  it('day before month (`2 Jan 15:04`, servers configured for European dates) and upper-case months', () => {
    expect(iso('-rw-r--r-- 1 o g 1 2 Jan 15:04 a')).toBe('2024-01-02T15:04:00.000Z');
    expect(iso('-rw-r--r-- 1 o g 1 JAN  2  2006 a')).toBe('2006-01-02T00:00:00.000Z');
    expect(iso('-rw-r--r-- 1 o g 1 Jan  2 9:04 a')).toBe('2024-01-02T09:04:00.000Z');
  });

  it('sizes beyond 2^32 up to MAX_SAFE_INTEGER; larger sizes are refused, never rounded', () => {
    expect(parse('-rw-r--r-- 1 o g 5368709120 Jan  2 15:04 a')?.size).toBe(5368709120);
    expect(parse(`-rw-r--r-- 1 o g ${Number.MAX_SAFE_INTEGER} Jan  2 15:04 a`)?.size).toBe(
      Number.MAX_SAFE_INTEGER,
    );
    expect(() => parse('-rw-r--r-- 1 o g 9007199254740992 Jan  2 15:04 a')).toThrow(
      expect.objectContaining({ code: CodecErrorCodes.LISTING }),
    );
  });

  it('a trailing CR (CRLF text split on LF) is not part of the name; `raw` keeps the line', () => {
    const entry = parse('-rw-r--r-- 1 o g 1 Jan  2 15:04 a\r');
    expect(entry?.name).toBe('a');
    expect(entry?.raw).toBe('-rw-r--r-- 1 o g 1 Jan  2 15:04 a\r');
  });

  it('tab separators between columns (some servers align with tabs)', () => {
    expect(parse('-rw-r--r--\t1\towner\tgroup\t12\tJan\t2\t15:04\tname')).toMatchObject({
      owner: 'owner',
      size: 12,
      name: 'name',
    });
  });

  it('defaults `now` to the current time', () => {
    const entry = parseUnixListLine('-rw-r--r-- 1 o g 1 Jan  1 00:00 a');
    expect(entry?.modified?.getUTCFullYear()).toBe(new Date().getUTCFullYear());
  });

  it('rejects an invalid `now` with INVALID_ARGUMENT (a caller mistake, not server input)', () => {
    expect(() => parseUnixListLine('total 1', { now: new Date(Number.NaN) })).toThrow(
      expect.objectContaining({ code: CodecErrorCodes.INVALID_ARGUMENT }),
    );
  });

  it('a 100 KB hostile line is refused in one linear pass', () => {
    const hostile = [
      `-rw-r--r-- ${'1 '.repeat(50_000)}`,
      `-rw-r--r-- 1 o g 1 Jan  2 15:04 ${'x'.repeat(100_000)}`,
      `-rw-r--r-- ${'Jan 1 '.repeat(17_000)}`,
      `-rw-r--r-- 1 o g 1${' '.repeat(100_000)}Jan 2 15:04 a`,
      `-rw-r--r-- ${'4, '.repeat(33_000)}`,
    ];
    expect(() => parse(hostile[0]!)).toThrow(expect.objectContaining({ code: CodecErrorCodes.LISTING }));
    expect(parse(hostile[1]!)?.name).toHaveLength(100_000);
    expect(() => parse(hostile[2]!)).toThrow(expect.objectContaining({ code: CodecErrorCodes.LISTING }));
    expect(parse(hostile[3]!)?.name).toBe('a');
    expect(() => parse(hostile[4]!)).toThrow(expect.objectContaining({ code: CodecErrorCodes.LISTING }));
  });

  it('property: throws only CodecError on arbitrary text and on mutated listing lines', () => {
    const base = '-rw-r--r-- 1 owner group 1234 Jan  2 15:04 name';
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 80 }),
          fc.string({
            unit: fc.constantFrom(...'-rwxdlsStT0123456789 ,:JanFeb+@.>'.split('')),
            maxLength: 80,
          }),
          fc
            .tuple(fc.nat(base.length), fc.nat(base.length), fc.string({ maxLength: 6 }))
            .map(([a, b, s]) => base.slice(0, Math.min(a, b)) + s + base.slice(Math.max(a, b))),
        ),
        (line) => {
          expectOnlyCodecErrors(() => parse(line));
        },
      ),
      { numRuns: fuzzRuns() },
    );
  });
});
