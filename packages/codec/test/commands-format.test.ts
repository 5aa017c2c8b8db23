import { describe, expect, it } from 'vitest';
import {
  type CanonicalVerb,
  COMMAND_ALIASES,
  COMMAND_SPECS,
  type Command,
  type ExtensionCommand,
  formatCommand,
  formatCommandLine,
  getCommandSpec,
  type KnownVerb,
  NOT_IMPLEMENTED_VERBS,
  parseCommand,
  redactCommandLine,
} from '../src/commands/index.ts';
import { type CodecErrorCode, CodecErrorCodes } from '../src/errors.ts';
import { codecErrorOf } from './helpers.ts';

const { CONTROL_CHARACTER, INVALID_ARGUMENT } = CodecErrorCodes;

/** Lets a test hand the formatter a value its types forbid, as a JavaScript caller could. */
const loose = (value: unknown) => value as Command;

describe('formatCommand', () => {
  it.each<[Command, string]>([
    [{ verb: 'TYPE', type: 'A', format: 'N' }, 'TYPE A N'],
    [{ verb: 'TYPE', type: 'A' }, 'TYPE A'],
    [{ verb: 'TYPE', type: 'E', format: 'C' }, 'TYPE E C'],
    [{ verb: 'TYPE', type: 'I' }, 'TYPE I'],
    [{ verb: 'TYPE', type: 'L', byteSize: 8 }, 'TYPE L 8'],
    [{ verb: 'PORT', address: { host: '127.0.0.1', port: 1025 } }, 'PORT 127,0,0,1,4,1'],
    [{ verb: 'EPRT', address: { protocol: 2, host: '::1', port: 1025 } }, 'EPRT |2|::1|1025|'],
    [
      { verb: 'EPRT', address: { protocol: 1, host: '132.235.1.2', port: 6275 } },
      'EPRT |1|132.235.1.2|6275|',
    ],
    [{ verb: 'EPSV' }, 'EPSV'],
    [{ verb: 'EPSV', argument: 2 }, 'EPSV 2'],
    [{ verb: 'EPSV', argument: 'ALL' }, 'EPSV ALL'],
    [{ verb: 'REST', offset: 100 }, 'REST 100'],
    [{ verb: 'OPTS', name: 'UTF8', value: 'ON' }, 'OPTS UTF8 ON'],
    [{ verb: 'OPTS', name: 'UTF8' }, 'OPTS UTF8'],
    [{ verb: 'ALLO', size: 10, recordSize: 2 }, 'ALLO 10 R 2'],
    [{ verb: 'PBSZ', size: 0 }, 'PBSZ 0'],
    [{ verb: 'PROT', level: 'P' }, 'PROT P'],
    [{ verb: 'MODE', mode: 'B' }, 'MODE B'],
    [{ verb: 'STRU', structure: 'R' }, 'STRU R'],
    [{ verb: 'STOR', path: ' a  b ' }, 'STOR  a  b '],
    [{ verb: 'PASS', password: '' }, 'PASS '],
    [{ verb: 'SITE', subcommand: 'CHMOD', argument: '755 f' }, 'SITE CHMOD 755 f'],
    [{ verb: 'HOST', hostname: '[::1]' }, 'HOST [::1]'],
    [{ verb: 'LANG' }, 'LANG'],
    [{ verb: 'MFMT', time: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)), path: 'f' }, 'MFMT 20240102030405 f'],
    [
      { verb: 'MFCT', time: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 7)), path: 'f' },
      'MFCT 20240102030405.007 f',
    ],
    [
      { verb: 'MFF', facts: [{ name: 'modify', value: '20240102030405' }], path: 'f' },
      'MFF modify=20240102030405; f',
    ],
    [{ verb: 'NOOP' }, 'NOOP'],
  ])('writes %j as %j', (command, line) => {
    expect(formatCommand(command)).toBe(line);
    expect(parseCommand(line)).toEqual(command);
  });

  it('RFC 1123 §4.1.3.1: writes the alias a command was received with', () => {
    expect(formatCommand({ verb: 'CWD', path: 'x', alias: 'XCWD' })).toBe('XCWD x');
    expect(formatCommand({ verb: 'PWD', alias: 'XPWD' })).toBe('XPWD');
    expect(codecErrorOf(() => formatCommand(loose({ verb: 'CWD', path: 'x', alias: 'XMKD' }))).code).toBe(
      INVALID_ARGUMENT,
    );
  });

  it('LIST/NLST: writes flags, and "--" before a path the parser would read as flags', () => {
    expect(formatCommand({ verb: 'LIST', flags: 'la' })).toBe('LIST -la');
    expect(formatCommand({ verb: 'LIST', flags: 'a', path: 'dir' })).toBe('LIST -a dir');
    expect(formatCommand({ verb: 'LIST', path: '-la' })).toBe('LIST -- -la');
    expect(formatCommand({ verb: 'NLST', path: '-- x' })).toBe('NLST -- -- x');
    expect(formatCommand({ verb: 'LIST', flags: 'l', path: '-a b' })).toBe('LIST -l -- -a b');
    expect(formatCommand({ verb: 'LIST', path: '-notes.txt' })).toBe('LIST -notes.txt');
    expect(codecErrorOf(() => formatCommand({ verb: 'LIST', flags: '-l' })).code).toBe(INVALID_ARGUMENT);
  });

  it('normalises case as the parser does', () => {
    expect(formatCommand({ verb: 'AUTH', mechanism: 'tls' })).toBe('AUTH TLS');
    expect(formatCommand({ verb: 'SITE', subcommand: 'chmod', argument: '7 f' })).toBe('SITE CHMOD 7 f');
    expect(formatCommand({ verb: 'OPTS', name: 'utf8', value: 'on' })).toBe('OPTS UTF8 on');
    expect(formatCommand({ verb: 'MFF', facts: [{ name: 'UNIX.mode', value: '0644' }], path: 'f' })).toBe(
      'MFF unix.mode=0644; f',
    );
  });

  it.each<[string, Command | ExtensionCommand]>([
    ['path', { verb: 'RETR', path: 'a\r\nDELE b' }],
    ['username', { verb: 'USER', username: 'x\nPASS y' }],
    ['password', { verb: 'PASS', password: 'p\0' }],
    ['account', { verb: 'ACCT', account: 'a\r' }],
    ['optional path', { verb: 'STAT', path: '\n' }],
    ['list path', { verb: 'LIST', path: 'a\nb' }],
    ['site argument', { verb: 'SITE', subcommand: 'X', argument: 'a\rb' }],
    ['opts value', { verb: 'OPTS', name: 'X', value: '\n' }],
    ['help topic', { verb: 'HELP', topic: 'a\0' }],
    ['client', { verb: 'CLNT', client: '\r' }],
    ['MFMT path', { verb: 'MFMT', time: new Date(0), path: 'a\nb' }],
    ['MFF path', { verb: 'MFF', facts: [{ name: 'modify', value: '1' }], path: '\r' }],
    ['extension argument', { verb: 'XCRC', extension: true, argument: 'a\r\nQUIT' }],
  ])(
    'STYLE habit 12 / RFC 959 §4.1.3: refuses CR, LF or NUL in the %s with CONTROL_CHARACTER',
    (_, command) => {
      const error = codecErrorOf(() => formatCommand(command));
      expect([error.code, error.verb]).toEqual([CONTROL_CHARACTER, command.verb]);
    },
  );

  it.each<[string, unknown]>([
    ['a negative REST', { verb: 'REST', offset: -1 }],
    ['a fractional REST', { verb: 'REST', offset: 1.5 }],
    ['an unsafe REST', { verb: 'REST', offset: 2 ** 53 }],
    ['a NaN REST', { verb: 'REST', offset: Number.NaN }],
    ['a string REST', { verb: 'REST', offset: '1' }],
    ['a PBSZ over 32 bits', { verb: 'PBSZ', size: 2 ** 32 }],
    ['ALLO with a bad record size', { verb: 'ALLO', size: 1, recordSize: -1 }],
    ['TYPE L 0', { verb: 'TYPE', type: 'L', byteSize: 0 }],
    ['TYPE L 256', { verb: 'TYPE', type: 'L', byteSize: 256 }],
    ['TYPE X', { verb: 'TYPE', type: 'X' }],
    ['TYPE A X', { verb: 'TYPE', type: 'A', format: 'X' }],
    ['MODE Z', { verb: 'MODE', mode: 'Z' }],
    ['STRU X', { verb: 'STRU', structure: 'X' }],
    ['PROT X', { verb: 'PROT', level: 'X' }],
    ['EPSV 3', { verb: 'EPSV', argument: 3 }],
    ['an empty path', { verb: 'CWD', path: '' }],
    ['an empty optional path', { verb: 'MLSD', path: '' }],
    ['a missing path', { verb: 'DELE' }],
    ['an empty username', { verb: 'USER', username: '' }],
    ['an empty SITE subcommand', { verb: 'SITE', subcommand: '' }],
    ['a SITE subcommand with a space', { verb: 'SITE', subcommand: 'A B' }],
    ['an empty SITE argument', { verb: 'SITE', subcommand: 'HELP', argument: '' }],
    ['an AUTH mechanism with a space', { verb: 'AUTH', mechanism: 'TLS C' }],
    ['ADAT data that is not base64', { verb: 'ADAT', data: 'abc' }],
    ['a bad LANG tag', { verb: 'LANG', tag: 'en_US' }],
    ['a bad HOST', { verb: 'HOST', hostname: 'a b' }],
    ['an invalid MFMT date', { verb: 'MFMT', time: new Date(Number.NaN), path: 'f' }],
    ['an MFMT time that is not a Date', { verb: 'MFMT', time: 0, path: 'f' }],
    ['an MFMT year past 9999', { verb: 'MFMT', time: new Date(Date.UTC(10000, 0)), path: 'f' }],
    ['MFF without facts', { verb: 'MFF', facts: [], path: 'f' }],
    ['an MFF fact name with "="', { verb: 'MFF', facts: [{ name: 'a=b', value: '1' }], path: 'f' }],
    ['an MFF fact value with ";"', { verb: 'MFF', facts: [{ name: 'a', value: '1;' }], path: 'f' }],
    ['a PORT host that is not IPv4', { verb: 'PORT', address: { host: '::1', port: 21 } }],
    ['a PORT port of 0', { verb: 'PORT', address: { host: '1.2.3.4', port: 0 } }],
    ['an EPRT host of the wrong family', { verb: 'EPRT', address: { protocol: 1, host: '::1', port: 21 } }],
    ['an unknown verb without extension: true', { verb: 'XCRC' }],
    ['an extension verb starting with a digit', { verb: '1XSHA', extension: true }],
    ['an empty extension argument', { verb: 'XCRC', extension: true, argument: '' }],
    ['null', null],
    ['a string', 'NOOP'],
  ])('refuses %s with INVALID_ARGUMENT', (_, command) => {
    const error = codecErrorOf(() => formatCommand(loose(command)));
    expect([error.code, error.replyCode]).toEqual([INVALID_ARGUMENT, 501]);
  });

  it('writes an extension command with or without its argument', () => {
    expect(formatCommand({ verb: 'xcrc', extension: true, argument: 'f 0 10' })).toBe('XCRC f 0 10');
    expect(formatCommand({ verb: 'FOO', extension: true })).toBe('FOO');
  });
});

describe('formatCommandLine', () => {
  it('joins an upper-cased verb and the argument with one space', () => {
    expect(formatCommandLine('stor', 'dir/my file ')).toBe('STOR dir/my file ');
    expect(formatCommandLine('NOOP')).toBe('NOOP');
    expect(formatCommandLine('PASS', '')).toBe('PASS ');
  });

  it('STYLE habit 12: refuses CR, LF and NUL in the argument (command injection)', () => {
    for (const argument of ['a\r\nDELE b', 'a\nb', 'a\rb', 'a\0b']) {
      const error = codecErrorOf(() => formatCommandLine('RETR', argument));
      expect([error.code, error.replyCode, error.verb]).toEqual([CONTROL_CHARACTER, 501, 'RETR']);
    }
  });

  it.each<[unknown, unknown, CodecErrorCode]>([
    ['', undefined, INVALID_ARGUMENT],
    ['1XSHA', 'f', INVALID_ARGUMENT],
    ['NO OP', undefined, INVALID_ARGUMENT],
    ['A'.repeat(17), undefined, INVALID_ARGUMENT],
    ['RETR\r\n', 'f', INVALID_ARGUMENT],
    [42, undefined, INVALID_ARGUMENT],
    ['RETR', 42, INVALID_ARGUMENT],
  ])('refuses verb %j with argument %j', (verb, argument, code) => {
    expect(codecErrorOf(() => formatCommandLine(verb as string, argument as string)).code).toBe(code);
  });
});

describe('redactCommandLine', () => {
  it.each([
    ['PASS hunter2', 'PASS ****'],
    ['pass hunter2 with spaces', 'pass ****'],
    ['PASS ', 'PASS ****'],
    ['ACCT secret', 'ACCT ****'],
    ['PASS\thunter2', 'PASS ****'],
    ['  PASS x', '  PASS ****'],
    ['PASS x\r\nUSER y', 'PASS ****'],
  ])('STYLE habit 12: %j → %j', (line, redacted) => {
    expect(redactCommandLine(line)).toBe(redacted);
  });

  it.each(['PASS', 'USER bob', 'PASSWORD x', 'PAS x', 'NOOP', '', 'RETR PASS x'])(
    'leaves %j unchanged',
    (line) => {
      expect(redactCommandLine(line)).toBe(line);
    },
  );

  it('never throws, even on a non-string', () => {
    expect(redactCommandLine(undefined as unknown as string)).toBe('');
  });
});

describe('COMMAND_SPECS', () => {
  it('types: the verbs of Command are exactly the table minus its aliases (checked by tsc)', () => {
    type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
    const same: Equal<Command['verb'], CanonicalVerb> = true;
    // @ts-expect-error FOO is not a known verb: KnownVerb must stay a union of literals, not string.
    const unknown: KnownVerb = 'FOO';
    expect([same, unknown]).toEqual([true, 'FOO']);
  });

  const RFC959 =
    'USER PASS ACCT CWD CDUP SMNT REIN QUIT PORT PASV TYPE STRU MODE RETR STOR STOU APPE ALLO REST RNFR RNTO ABOR DELE RMD MKD PWD LIST NLST SITE SYST STAT HELP NOOP';
  const EXTENSIONS =
    'AUTH ADAT PBSZ PROT CCC MIC CONF ENC FEAT OPTS EPRT EPSV LANG SIZE MDTM MLST MLSD HOST MFMT MFCT MFF HASH CLNT AVBL';

  it('lists every RFC 959 verb with its RFC 959 section (REST also with RFC 3659 §5)', () => {
    for (const verb of RFC959.split(' ')) {
      const spec = getCommandSpec(verb);
      expect(spec, verb).toBeDefined();
      expect(spec!.rfc).toMatch(/^RFC 959 §4\.1\.[123]/);
      // RFC 2389 §3.2: RFC 959 verbs are not FEAT lines; REST is the exception RFC 3659 §5 adds (REST STREAM).
      if (verb !== 'REST') expect(spec!.feature, `${verb} must not be in FEAT`).toBeUndefined();
    }
  });

  it('lists the RFC 2228, 2389, 2428, 2640, 3659 and 7151 verbs and the common extensions', () => {
    for (const verb of EXTENSIONS.split(' ')) expect(getCommandSpec(verb), verb).toBeDefined();
    expect(COMMAND_SPECS.EPSV.feature).toBe('EPSV');
    expect(COMMAND_SPECS.MLSD.feature).toBe('MLST');
    expect(COMMAND_SPECS.REST.feature).toBe('REST STREAM');
  });

  it('describes the aliases with aliasOf, matching COMMAND_ALIASES and the canonical verb rules', () => {
    for (const [alias, verb] of Object.entries(COMMAND_ALIASES)) {
      const spec = COMMAND_SPECS[alias as KnownVerb];
      expect(spec.aliasOf).toBe(verb);
      expect(spec.argument).toBe(COMMAND_SPECS[verb as KnownVerb].argument);
    }
  });

  it('RFC 959 §5.3.1: looks verbs up case-insensitively', () => {
    expect(getCommandSpec('cwd')).toBe(COMMAND_SPECS.CWD);
    expect(getCommandSpec('Xpwd')?.aliasOf).toBe('PWD');
  });

  it('finds nothing for Object.prototype names or unknown verbs', () => {
    expect(getCommandSpec('constructor')).toBeUndefined();
    expect(getCommandSpec('__proto__')).toBeUndefined();
    expect((COMMAND_SPECS as Record<string, unknown>).toString).toBeUndefined();
    expect(getCommandSpec('LPRT')).toBeUndefined();
  });

  it('is frozen, row by row', () => {
    expect(Object.isFrozen(COMMAND_SPECS)).toBe(true);
    expect(Object.values(COMMAND_SPECS).every((spec) => Object.isFrozen(spec))).toBe(true);
  });

  it('gives every row a syntax starting with its verb and a one-line summary', () => {
    for (const [verb, spec] of Object.entries(COMMAND_SPECS)) {
      expect(spec.verb).toBe(verb);
      expect(spec.syntax.startsWith(verb)).toBe(true);
      expect(spec.summary).toMatch(/^[^\r\n]+$/);
    }
  });

  it('keeps NOT_IMPLEMENTED_VERBS apart from the parsed verbs', () => {
    for (const verb of NOT_IMPLEMENTED_VERBS) expect(getCommandSpec(verb)).toBeUndefined();
  });
});
