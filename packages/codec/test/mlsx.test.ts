import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodecErrorCodes } from '../src/errors.ts';
import type { EntryType, FileRecord } from '../src/listings/entry.ts';
import {
  createMlsxFormatter,
  formatMlstEntryLine,
  formatMlstFeature,
  formatMlsxFacts,
  MLSX_FACTS,
  parseFactNames,
  parseMlsxLine,
} from '../src/listings/mlsx.ts';
import { anyCodePoint, codecErrorOf, expectOnlyCodecErrors, fuzzRuns } from './helpers.ts';

const at = (iso: string) => new Date(iso);

const file: FileRecord = {
  name: 'name',
  type: 'file',
  size: 123,
  modified: at('2020-01-01T12:00:00Z'),
};

describe('formatMlsxFacts / formatMlstEntryLine', () => {
  it('RFC 3659 §7.2: facts, each fact=value;, then one SP, then the name', () => {
    expect(formatMlsxFacts(file)).toBe('type=file;size=123;modify=20200101120000;UNIX.mode=0644; name');
  });

  it('RFC 3659 §7.2: the MLST entry line starts with one more SP', () => {
    expect(formatMlstEntryLine(file)).toBe(' type=file;size=123;modify=20200101120000;UNIX.mode=0644; name');
  });

  it('writes every fact of a full record in canonical order and spelling', () => {
    const line = formatMlsxFacts({
      name: 'report 2020.pdf',
      type: 'file',
      size: 1830,
      modified: at('1994-09-16T05:56:48.250Z'),
      created: at('1994-09-15T00:00:00Z'),
      perm: 'adfrw',
      unique: 'keVO1+8G4',
      mode: 0o4755,
      owner: 'alice',
      group: 1000,
      extraFacts: { 'Media-Type': 'application/pdf', lang: 'en', charset: 'UTF-8', 'X.flags': 'hidden' },
    });
    expect(line).toBe(
      'type=file;size=1830;modify=19940916055648;create=19940915000000;perm=adfrw;unique=keVO1+8G4;' +
        'lang=en;media-type=application/pdf;charset=UTF-8;UNIX.mode=4755;UNIX.owner=alice;UNIX.group=1000;' +
        'X.flags=hidden; report 2020.pdf',
    );
  });

  it('RFC 3659 §7.9: writes only the selected facts, matched case-insensitively', () => {
    expect(formatMlsxFacts(file, { facts: ['TYPE', 'Modify', 'unix.MODE'] })).toBe(
      'type=file;modify=20200101120000;UNIX.mode=0644; name',
    );
    expect(formatMlsxFacts(file, { facts: [] })).toBe(' name');
    expect(codecErrorOf(() => formatMlsxFacts(file, { facts: 'type;size;' })).code).toBe(
      CodecErrorCodes.INVALID_ARGUMENT,
    );
  });

  it('RFC 3659 §2.3: writes milliseconds only when asked', () => {
    const record = { ...file, modified: at('2020-01-01T12:00:00.007Z') };
    expect(formatMlsxFacts(record, { facts: ['modify'] })).toBe('modify=20200101120000; name');
    expect(formatMlsxFacts(record, { facts: ['modify'], milliseconds: true })).toBe(
      'modify=20200101120000.007; name',
    );
  });

  it('RFC 3659 §7.5.7: no size fact for directories; cdir/pdir types as given', () => {
    for (const type of ['dir', 'cdir', 'pdir'] as const) {
      expect(formatMlsxFacts({ ...file, name: '.', type })).toBe(
        `type=${type};modify=20200101120000;UNIX.mode=0755; .`,
      );
    }
  });

  it('writes symlinks as OS.unix=slink:<target>, or OS.unix=symlink when the target cannot be written', () => {
    const link: FileRecord = { ...file, type: 'symlink', target: '/foo=bar', size: 8 };
    expect(formatMlsxFacts(link, { facts: ['type'] })).toBe('type=OS.unix=slink:/foo=bar; name');
    expect(formatMlsxFacts({ ...link, target: '/a b' }, { facts: ['type'] })).toBe(
      'type=OS.unix=symlink; name',
    );
    expect(formatMlsxFacts({ ...link, target: '/a;b' }, { facts: ['type'] })).toBe(
      'type=OS.unix=symlink; name',
    );
    const { target: _target, ...noTarget } = link;
    expect(formatMlsxFacts(noTarget, { facts: ['type', 'UNIX.mode'] })).toBe(
      'type=OS.unix=symlink;UNIX.mode=0777; name',
    );
  });

  it('names other entries by their st_mode type bits', () => {
    const other = (mode?: number) =>
      formatMlsxFacts(mode === undefined ? { ...file, type: 'other' } : { ...file, type: 'other', mode }, {
        facts: ['type', 'unix.mode'],
      });
    expect(other(0o020620)).toBe('type=OS.unix=chr;UNIX.mode=0620; name');
    expect(other(0o010644)).toBe('type=OS.unix=fifo;UNIX.mode=0644; name');
    expect(other()).toBe('type=OS.unix=other;UNIX.mode=0644; name');
  });

  it('keeps names with spaces, ";", "=", a leading space and UTF-8 as they are', () => {
    expect(formatMlsxFacts({ ...file, name: ' a;b=c d 日本 ü' }, { facts: [] })).toBe('  a;b=c d 日本 ü');
  });

  it('leaves out free-text facts that cannot be written (RFC 3659 §7.2 values have no SP or ";")', () => {
    const line = formatMlsxFacts({
      ...file,
      owner: 'Domain Users',
      group: 'a;b',
      unique: 'x\ty',
      extraFacts: { 'media-type': 'text/plain; charset=utf-8', 'X.ok': 'yes' },
    });
    expect(line).toBe('type=file;size=123;modify=20200101120000;UNIX.mode=0644;X.ok=yes; name');
  });

  it.each([
    ['CR', 'a\rb'],
    ['LF', 'a\nb'],
    ['NUL', 'a\0b'],
  ])('refuses a name with %s as CONTROL_CHARACTER (RFC 959 §4.1.3)', (_why, name) => {
    expect(codecErrorOf(() => formatMlsxFacts({ ...file, name })).code).toBe(
      CodecErrorCodes.CONTROL_CHARACTER,
    );
  });

  it.each([
    ['an empty name', { ...file, name: '' }],
    ['a negative size', { ...file, size: -1 }],
    ['a fractional size', { ...file, size: 1.5 }],
    ['an invalid modify date', { ...file, modified: new Date(Number.NaN) }],
    ['a create year past 9999', { ...file, created: at('+010000-01-01T00:00:00Z') }],
    ['a mode over 0o177777', { ...file, mode: 0o1000000 }],
    ['a negative mode', { ...file, mode: -1 }],
    ['perm letters outside RFC 3659 §7.5.5', { ...file, perm: 'rwx' }],
    ['an unknown type', { ...file, type: 'fifo' as EntryType }],
    ['an extra fact overriding a record field', { ...file, extraFacts: { Size: '1' } }],
    ['an extra fact named twice', { ...file, extraFacts: { lang: 'en', LANG: 'de' } }],
    ['an extra fact name with a space', { ...file, extraFacts: { 'X.a b': '1' } }],
    ['an extra fact name with "="', { ...file, extraFacts: { 'X.a=b': '1' } }],
  ])('refuses %s with INVALID_ARGUMENT', (_why, record) => {
    expect(codecErrorOf(() => formatMlsxFacts(record)).code).toBe(CodecErrorCodes.INVALID_ARGUMENT);
  });

  it('MLSX_FACTS lists the offered facts in canonical spelling, frozen', () => {
    expect(MLSX_FACTS).toEqual([
      'type',
      'size',
      'modify',
      'create',
      'perm',
      'unique',
      'lang',
      'media-type',
      'charset',
      'UNIX.mode',
      'UNIX.owner',
      'UNIX.group',
    ]);
    expect(Object.isFrozen(MLSX_FACTS)).toBe(true);
  });
});

describe('parseMlsxLine', () => {
  it('RFC 3659 §7.7.4 sample listing: every line, types, targets and names', () => {
    const listing: [string, string, EntryType, string?][] = [
      ['Type=cdir;Perm=el;Unique=keVO1+ZF4; test', 'test', 'cdir'],
      ['Type=pdir;Perm=e;Unique=keVO1+d?3; ..', '..', 'pdir'],
      ['Type=OS.unix=slink:/foobar;Perm=;Unique=keVO1+4G4; foobar', 'foobar', 'symlink', '/foobar'],
      ['Type=OS.unix=chr-13/29;Perm=;Unique=keVO1+5G4; device', 'device', 'other'],
      ['Type=OS.unix=blk-11/108;Perm=;Unique=keVO1+6G4; block', 'block', 'other'],
      ['Type=file;Perm=awr;Unique=keVO1+8G4; writable', 'writable', 'file'],
      ['Type=dir;Perm=cpmel;Unique=keVO1+7G4; promiscuous', 'promiscuous', 'dir'],
      ['Type=dir;Perm=;Unique=keVO1+1t2; no-exec', 'no-exec', 'dir'],
      ['Type=file;Perm=r;Unique=keVO1+EG4; two words', 'two words', 'file'],
      ['Type=file;Perm=r;Unique=keVO1+IH4;  leading space', ' leading space', 'file'],
      ['Type=file;Perm=r;Unique=keVO1+1G4; file1', 'file1', 'file'],
    ];
    for (const [line, name, type, target] of listing) {
      const entry = parseMlsxLine(line);
      expect(entry.name).toBe(name);
      expect(entry.type).toBe(type);
      expect(entry.target).toBe(target);
      expect(entry.raw).toBe(line);
    }
    expect(parseMlsxLine('Type=pdir;Perm=e;Unique=keVO1+d?3; ..').facts).toEqual({
      type: 'pdir',
      perm: 'e',
      unique: 'keVO1+d?3',
    });
    expect(parseMlsxLine('Type=dir;Perm=;Unique=keVO1+1t2; no-exec').facts?.perm).toBe('');
  });

  it('RFC 3659 §7.7 example: a cdir entry with a full pathname and a modify time', () => {
    expect(parseMlsxLine('Type=cdir;Modify=19990112033515; /iana/assignments/character-set-info')).toEqual({
      name: '/iana/assignments/character-set-info',
      type: 'cdir',
      modified: at('1999-01-12T03:35:15Z'),
      modifiedPrecision: 'second',
      facts: { type: 'cdir', modify: '19990112033515' },
      raw: 'Type=cdir;Modify=19990112033515; /iana/assignments/character-set-info',
    });
  });

  it('reads size, modify with a fraction, UNIX.mode, owner and group (UNIX.* as ProFTPD/Pure-FTPd write them)', () => {
    const entry = parseMlsxLine(
      'type=file;size=1830;modify=19940916055648.25;UNIX.mode=0644;UNIX.owner=alice;UNIX.group=staff; a.txt',
    );
    expect(entry).toMatchObject({
      name: 'a.txt',
      type: 'file',
      size: 1830,
      modified: at('1994-09-16T05:56:48.250Z'),
      modifiedPrecision: 'millisecond',
      mode: 0o644,
      owner: 'alice',
      group: 'staff',
    });
    expect(Object.isFrozen(entry)).toBe(true);
    expect(Object.isFrozen(entry.facts)).toBe(true);
  });

  it('RFC 3659 §7.1: fact names are case-insensitive; keys come back lower-cased, unknown facts kept', () => {
    const entry = parseMlsxLine('TYPE=File;SIZE=5;X.Custom=Hello;unix.MODE=755; f');
    expect(entry.type).toBe('file');
    expect(entry.size).toBe(5);
    expect(entry.mode).toBe(0o755);
    expect(entry.facts).toEqual({ type: 'File', size: '5', 'x.custom': 'Hello', 'unix.mode': '755' });
  });

  it('reads UNIX.uid / UNIX.gid and prefers UNIX.ownername / UNIX.groupname (seen in the wild)', () => {
    expect(parseMlsxLine('type=file;UNIX.uid=1000;UNIX.gid=100; f')).toMatchObject({
      owner: '1000',
      group: '100',
    });
    expect(
      parseMlsxLine('type=file;UNIX.owner=1000;UNIX.ownername=alice;UNIX.group=100;UNIX.groupname=users; f'),
    ).toMatchObject({ owner: 'alice', group: 'users' });
  });

  it('reads OS.unix=symlink and any OS name as a symlink, without a target', () => {
    const entry = parseMlsxLine('type=OS.unix=symlink; link');
    expect(entry.type).toBe('symlink');
    expect(entry).not.toHaveProperty('target');
    expect(parseMlsxLine('type=OS.Linux=SLINK:/x; link').target).toBe('/x');
  });

  it('reads a symlink target holding "=" and ":" (everything after the first ":")', () => {
    expect(parseMlsxLine('type=OS.unix=slink:/a=b:c; l').target).toBe('/a=b:c');
  });

  it('reads an unknown type, and a line without a type fact, as other', () => {
    expect(parseMlsxLine('type=weird; x').type).toBe('other');
    expect(parseMlsxLine('size=1; x').type).toBe('other');
  });

  it('reads sizd (directory size, ProFTPD/Pure-FTPd) as the size when there is no size fact', () => {
    expect(parseMlsxLine('type=dir;sizd=4096; d').size).toBe(4096);
    expect(parseMlsxLine('type=dir;sizd=4096;size=1; d').size).toBe(1);
  });

  it('RFC 3659 §7.2: a line starting with a space has no facts', () => {
    expect(parseMlsxLine(' just a name')).toEqual({
      name: 'just a name',
      type: 'other',
      facts: {},
      raw: ' just a name',
    });
  });

  it('RFC 3659 §7.2: the name is everything after the first space, with spaces, ";" and "=" kept', () => {
    expect(parseMlsxLine('type=file; a; b=c  d ').name).toBe('a; b=c  d ');
  });

  it('keeps a "__proto__" fact as data', () => {
    const entry = parseMlsxLine('__proto__=x;type=file; f');
    expect(Object.getPrototypeOf(entry.facts)).toBe(Object.prototype);
    expect(Object.hasOwn(entry.facts ?? {}, '__proto__')).toBe(true);
    expect(entry.type).toBe('file');
  });

  it.each([
    ['no space separator', 'type=file;size=1;name'],
    ['an empty name', 'type=file; '],
    ['facts not ending with ";"', 'type=file;size=1 name'],
    ['a fact without "="', 'type=file;junk; name'],
    ['a fact with an empty name', '=file; name'],
    ['an empty fact', 'type=file;;size=1; name'],
    ['a duplicate fact (case-insensitive)', 'type=file;Type=dir; name'],
    ['a non-numeric size', 'type=file;size=12a; name'],
    ['a negative size', 'type=file;size=-1; name'],
    ['an exponent size', 'type=file;size=1e3; name'],
    ['an empty size', 'type=file;size=; name'],
    ['a size past 2^53', 'type=file;size=9007199254740993; name'],
    ['a 21-digit size', `type=file;size=${'0'.repeat(21)}; name`],
    ['a malformed modify', 'type=file;modify=2020; name'],
    ['an impossible modify date', 'type=file;modify=20200230000000; name'],
    ['a malformed create', 'type=file;create=yesterday; name'],
    ['a non-octal UNIX.mode', 'type=file;UNIX.mode=0648; name'],
    ['a five-digit UNIX.mode', 'type=file;UNIX.mode=00644; name'],
    ['an empty line', ''],
  ])('refuses %s with LISTING', (_why, line) => {
    expect(codecErrorOf(() => parseMlsxLine(line)).code).toBe(CodecErrorCodes.LISTING);
  });
});

describe('parseFactNames / formatMlstFeature', () => {
  it('RFC 3659 §7.9: reads the OPTS MLST fact list', () => {
    expect(parseFactNames('type;size;')).toEqual(['type', 'size']);
    expect(parseFactNames('Type;Size;Modify;UNIX.MODE;X.local;')).toEqual([
      'type',
      'size',
      'modify',
      'UNIX.mode',
      'X.local',
    ]);
  });

  it('RFC 3659 §7.9: an empty list turns every fact off', () => {
    expect(parseFactNames('')).toEqual([]);
  });

  it('RFC 3659 §7.8: reads the FEAT MLST parameter, dropping the "*" marks', () => {
    expect(parseFactNames(' Type*;Size*;Modify*;Perm;Unique*;')).toEqual([
      'type',
      'size',
      'modify',
      'perm',
      'unique',
    ]);
  });

  it('tolerates a missing final ";" (clients send "OPTS MLST type;size")', () => {
    expect(parseFactNames('type;size')).toEqual(['type', 'size']);
  });

  it('returns each fact once', () => {
    expect(parseFactNames('type;TYPE;size;')).toEqual(['type', 'size']);
  });

  it.each([
    ['an empty fact', 'type;;size;'],
    ['a space inside', 'type; size;'],
    ['an "="', 'type=file;'],
    ['a lone "*"', '*;'],
    ['a control character', 'ty\tpe;'],
  ])('refuses %s with LISTING', (_why, text) => {
    expect(codecErrorOf(() => parseFactNames(text)).code).toBe(CodecErrorCodes.LISTING);
  });

  it('RFC 3659 §7.8: writes the FEAT MLST parameter with "*" on enabled facts', () => {
    expect(formatMlstFeature(['type', 'size', 'modify', 'perm'], ['type', 'SIZE', 'modify', 'unknown'])).toBe(
      'type*;size*;modify*;perm;',
    );
    expect(formatMlstFeature(MLSX_FACTS, [])).toBe(MLSX_FACTS.map((f) => `${f};`).join(''));
    expect(codecErrorOf(() => formatMlstFeature(['ty pe'], [])).code).toBe(CodecErrorCodes.INVALID_ARGUMENT);
  });

  it('round-trips the FEAT parameter', () => {
    const feature = formatMlstFeature(MLSX_FACTS, ['type', 'size']);
    expect(parseFactNames(feature)).toEqual(MLSX_FACTS);
  });
});

describe('MLSx round trips and fuzzing', () => {
  const safeText = fc.stringMatching(/^[A-Za-z0-9_.+-]{1,16}$/);
  const record = fc.record(
    {
      name: fc
        .string({ unit: 'grapheme', minLength: 1, maxLength: 40 })
        .filter((s) => s.length > 0 && !/[\r\n\0]/.test(s)),
      type: fc.constantFrom<EntryType>('file', 'dir', 'cdir', 'pdir', 'symlink', 'other'),
      size: fc.maxSafeNat(),
      modified: fc.date({
        min: at('0000-01-01T00:00:00Z'),
        max: at('9999-12-31T23:59:59.999Z'),
        noInvalidDate: true,
      }),
      mode: fc.integer({ min: 0, max: 0o7777 }),
      owner: safeText,
      group: safeText,
      target: fc.stringMatching(/^\/[^\s;]{0,20}$/),
    },
    { requiredKeys: ['name', 'type', 'size', 'modified'] },
  );

  it('parseMlsxLine(formatMlsxFacts(record)) gives the record back (names with spaces, ";", "=", UTF-8)', () => {
    fc.assert(
      fc.property(record, fc.boolean(), (r, mlst) => {
        const line = mlst
          ? formatMlstEntryLine(r, { milliseconds: true }).slice(1)
          : formatMlsxFacts(r, { milliseconds: true });
        const entry = parseMlsxLine(line);
        expect(entry.name).toBe(r.name);
        expect(entry.type).toBe(r.type === 'other' ? 'other' : r.type);
        expect(entry.modified?.getTime()).toBe(r.modified.getTime());
        expect(entry.size).toBe(
          r.type === 'dir' || r.type === 'cdir' || r.type === 'pdir' ? undefined : r.size,
        );
        if (r.mode !== undefined) expect(entry.mode).toBe(r.mode);
        expect(entry.owner).toBe(r.owner);
        expect(entry.group).toBe(r.group);
        if (r.type === 'symlink') expect(entry.target).toBe(r.target === '' ? undefined : r.target);
      }),
      { numRuns: fuzzRuns() },
    );
  });

  it('parseMlsxLine and parseFactNames on arbitrary input throw only CodecError', () => {
    const structured = fc
      .array(
        fc.constantFrom(
          'type=',
          'size=',
          'modify=',
          'UNIX.mode=',
          'file',
          ';',
          '=',
          ' ',
          '1',
          '0644',
          '20200101120000',
          '.',
          'OS.unix=slink:',
          '*',
        ),
        {
          maxLength: 20,
        },
      )
      .map((parts) => parts.join(''));
    const input = fc.oneof(fc.string(), fc.string({ unit: anyCodePoint }), structured);
    fc.assert(
      fc.property(input, (text) => {
        expectOnlyCodecErrors(() => parseMlsxLine(text));
        expectOnlyCodecErrors(() => parseFactNames(text));
      }),
      { numRuns: fuzzRuns() },
    );
  });

  it('stays linear on long lines', () => {
    const started = performance.now();
    const facts = Array.from({ length: 20_000 }, (_, i) => `x.f${i}=v;`).join('');
    expect(parseMlsxLine(`${facts} n`).name).toBe('n');
    expect(codecErrorOf(() => parseMlsxLine('a'.repeat(500_000))).code).toBe(CodecErrorCodes.LISTING);
    expect(parseFactNames(`${' '.repeat(100_000)}type${' '.repeat(100_000)}`)).toEqual(['type']);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('createMlsxFormatter', () => {
  const freeText = fc.oneof(
    fc.stringMatching(/^[A-Za-z0-9_.+-]{1,12}$/),
    fc.constantFrom('', 'Domain Users', 'a;b', 'x\ty', 'ü'),
  );
  const factName = fc.constantFrom(...MLSX_FACTS, 'TYPE', 'unix.MODE', 'X.custom', 'x.CUSTOM', 'nope');
  // Records both valid and not: every field the formatter checks can be wrong.
  const anyRecord = fc.record(
    {
      name: fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), fc.constantFrom('', 'a\rb', 'a\nb', 'a\0b')),
      type: fc.constantFrom<EntryType>(
        'file',
        'dir',
        'cdir',
        'pdir',
        'symlink',
        'other',
        'fifo' as EntryType,
      ),
      size: fc.oneof(fc.maxSafeNat(), fc.constantFrom(-1, 1.5, Number.NaN)),
      modified: fc.date({ min: at('-000100-01-01T00:00:00Z'), max: at('+010100-01-01T00:00:00Z') }),
      created: fc.date({ min: at('-000100-01-01T00:00:00Z'), max: at('+010100-01-01T00:00:00Z') }),
      mode: fc.oneof(fc.integer({ min: 0, max: 0o177777 }), fc.constantFrom(-1, 0o1000000, 1.5)),
      owner: fc.oneof(freeText, fc.nat()),
      group: fc.oneof(freeText, fc.nat()),
      unique: freeText,
      target: fc.oneof(freeText, fc.constant('/a b')),
      perm: fc.constantFrom('', 'adfrw', 'cdelfmp', 'rwx', 'r'),
      extraFacts: fc.dictionary(
        fc.constantFrom('lang', 'LANG', 'media-type', 'charset', 'X.custom', 'X.a b', 'size', 'x.other'),
        fc.oneof(freeText, fc.constant(7 as unknown as string)),
        { maxKeys: 3 },
      ),
    },
    { requiredKeys: ['name', 'type', 'size', 'modified'] },
  ) as fc.Arbitrary<FileRecord>;
  const options = fc.record(
    { facts: fc.uniqueArray(factName, { maxLength: 8 }), milliseconds: fc.boolean() },
    { requiredKeys: [] },
  );

  /** The outcome of one call: the line, or the error's code and message without the function name. */
  const outcome = (fn: () => string): string => {
    try {
      return `ok ${fn()}`;
    } catch (error) {
      const e = codecErrorOf(() => {
        throw error;
      });
      return `${e.code} ${e.message.replace(/^(formatMlsxFacts|createMlsxFormatter): /, '')}`;
    }
  };

  it('property: gives what formatMlsxFacts gives, line or error, for any record and options', () => {
    fc.assert(
      fc.property(anyRecord, options, fc.option(fc.constantFrom('adfrw', 'el', 'rwx')), (r, o, perm) => {
        const format = createMlsxFormatter(o);
        const expected = outcome(() => formatMlsxFacts(perm === null ? r : { ...r, perm }, o));
        expect(outcome(() => (perm === null ? format(r) : format(r, perm)))).toBe(expected);
      }),
      { numRuns: fuzzRuns() },
    );
  });

  it('property: one formatter over a whole directory gives each entry its one-shot line', () => {
    fc.assert(
      fc.property(fc.array(anyRecord, { maxLength: 20 }), options, (records, o) => {
        const format = createMlsxFormatter(o);
        for (const r of records) expect(outcome(() => format(r))).toBe(outcome(() => formatMlsxFacts(r, o)));
      }),
      { numRuns: fuzzRuns(100) },
    );
  });

  it('writes perm in place of record.perm, and checks it', () => {
    const format = createMlsxFormatter({ facts: ['type', 'perm'] });
    expect(format({ ...file, perm: 'r' }, 'adfrw')).toBe('type=file;perm=adfrw; name');
    expect(format(file)).toBe('type=file; name');
    expect(format({ ...file, perm: 'r' })).toBe('type=file;perm=r; name');
    expect(codecErrorOf(() => format(file, 'rwx')).code).toBe(CodecErrorCodes.INVALID_ARGUMENT);
    // A valid perm remembered from the previous entry does not let a bad one through.
    expect(format(file, 'adfrw')).toBe('type=file;perm=adfrw; name');
    expect(codecErrorOf(() => format(file, 'adfrwx')).code).toBe(CodecErrorCodes.INVALID_ARGUMENT);
  });

  it('refuses bad options when created', () => {
    expect(codecErrorOf(() => createMlsxFormatter({ facts: 'type;size' as unknown as string[] })).code).toBe(
      CodecErrorCodes.INVALID_ARGUMENT,
    );
    expect(codecErrorOf(() => createMlsxFormatter({ facts: [1 as unknown as string] })).code).toBe(
      CodecErrorCodes.INVALID_ARGUMENT,
    );
  });

  it('round-trips through parseMlsxLine across days and years', () => {
    const format = createMlsxFormatter({ milliseconds: true });
    for (const iso of [
      '1999-12-31T23:59:59.999Z',
      '2000-01-01T00:00:00.000Z',
      '2000-02-29T12:00:00.001Z',
      '0000-01-01T00:00:00Z',
      '9999-12-31T23:59:59.999Z',
      '1969-12-31T23:59:59.500Z',
    ]) {
      const entry = parseMlsxLine(format({ ...file, modified: at(iso) }));
      expect(entry.modified?.toISOString()).toBe(at(iso).toISOString());
    }
  });
});
