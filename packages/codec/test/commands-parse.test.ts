import { describe, expect, it } from 'vitest';
import {
  COMMAND_SPECS,
  type Command,
  isExtensionCommand,
  type KnownVerb,
  parseCommand,
  splitCommandLine,
} from '../src/commands/index.ts';
import { CodecError, type CodecErrorCode, CodecErrorCodes } from '../src/errors.ts';
import { codecErrorOf } from './helpers.ts';

function expectError(line: string, code: CodecErrorCode, replyCode: number, verb?: string): void {
  const error = codecErrorOf(() => parseCommand(line));
  expect({ line, code: error.code, replyCode: error.replyCode }).toEqual({ line, code, replyCode });
  if (verb !== undefined) expect(error.verb).toBe(verb);
}

const { ARGUMENT, SYNTAX, CONTROL_CHARACTER, PARAMETER_NOT_IMPLEMENTED, NOT_IMPLEMENTED, ADDRESS, LISTING } =
  CodecErrorCodes;

describe('splitCommandLine', () => {
  it('RFC 959 §5.3.1: splits at the first space and upper-cases the verb', () => {
    expect(splitCommandLine('retr a b')).toEqual({ verb: 'RETR', argument: 'a b' });
    expect(splitCommandLine('NOOP')).toEqual({ verb: 'NOOP', argument: undefined });
  });

  it('RFC 959 §5.3.2: keeps spaces inside and at the end of the argument', () => {
    expect(splitCommandLine('STOR  two  spaces  ')).toEqual({ verb: 'STOR', argument: ' two  spaces  ' });
  });

  it('reads "VERB " (one trailing space) as no argument (interop: pyftpdlib, vsftpd)', () => {
    expect(splitCommandLine('PASV ')).toEqual({ verb: 'PASV', argument: undefined });
  });

  it('accepts custom verbs of 1-16 letters and refuses longer ones', () => {
    expect(splitCommandLine('x').verb).toBe('X');
    expect(splitCommandLine(`${'a'.repeat(16)} y`)).toEqual({ verb: 'A'.repeat(16), argument: 'y' });
    expect(codecErrorOf(() => splitCommandLine('a'.repeat(17))).code).toBe(SYNTAX);
  });

  it.each([
    ['', 'empty line'],
    [' NOOP', 'leading space'],
    ['\tNOOP', 'leading tab'],
    ['1ABC file', 'a verb that starts with a digit'],
    ['NO-OP', 'punctuation in the verb'],
    ['CWD\tdir', 'tab instead of space'],
    ['NOOP\r', 'CR after the verb'],
    ['ÜBER x', 'non-ASCII letter'],
  ])('refuses %j with SYNTAX 500 (%s)', (line) => {
    const error = codecErrorOf(() => splitCommandLine(line));
    expect([error.code, error.replyCode]).toEqual([SYNTAX, 500]);
  });

  it.each([
    ['CWD a\rb', 'CR'],
    ['CWD a\nb', 'LF'],
    ['RETR a\0b', 'NUL'],
    ['STOR file\r', 'a trailing CR the framer left'],
  ])('RFC 959 §4.1.3: refuses %j with CONTROL_CHARACTER 501 (%s)', (line) => {
    const error = codecErrorOf(() => splitCommandLine(line));
    expect([error.code, error.replyCode, error.verb]).toEqual([
      CONTROL_CHARACTER,
      501,
      line.slice(0, 4).trim(),
    ]);
  });

  it('refuses a non-string with SYNTAX rather than a TypeError', () => {
    expect(codecErrorOf(() => splitCommandLine(42 as unknown as string)).code).toBe(SYNTAX);
  });
});

describe('parseCommand: examples from the RFCs', () => {
  it.each(['RETR', 'Retr', 'retr', 'ReTr', 'rETr'])(
    'RFC 959 §5.3.1: %s is the retrieve command (case-insensitive verbs)',
    (verb) => {
      expect(parseCommand(`${verb} file`)).toEqual({ verb: 'RETR', path: 'file' });
    },
  );

  it('RFC 959 §7: the typical scenario of one login and one retrieval', () => {
    const session = [
      'USER doe',
      'PASS mumble',
      'CWD /usr/doe',
      'TYPE I',
      'PORT 132,235,1,2,24,131',
      'RETR this',
      'QUIT',
    ];
    expect(session.map((line) => parseCommand(line))).toEqual([
      { verb: 'USER', username: 'doe' },
      { verb: 'PASS', password: 'mumble' },
      { verb: 'CWD', path: '/usr/doe' },
      { verb: 'TYPE', type: 'I' },
      { verb: 'PORT', address: { host: '132.235.1.2', port: 6275 } },
      { verb: 'RETR', path: 'this' },
      { verb: 'QUIT' },
    ]);
  });

  it('RFC 959 §4.1.1: access control commands', () => {
    expect(parseCommand('ACCT project-42')).toEqual({ verb: 'ACCT', account: 'project-42' });
    expect(parseCommand('CDUP')).toEqual({ verb: 'CDUP' });
    expect(parseCommand('SMNT /mnt/disk')).toEqual({ verb: 'SMNT', path: '/mnt/disk' });
    expect(parseCommand('REIN')).toEqual({ verb: 'REIN' });
  });

  it('RFC 959 §4.1.2, §5.3.2: every <type-code> form', () => {
    expect(parseCommand('TYPE A')).toEqual({ verb: 'TYPE', type: 'A' });
    expect(parseCommand('TYPE A N')).toEqual({ verb: 'TYPE', type: 'A', format: 'N' });
    expect(parseCommand('TYPE A T')).toEqual({ verb: 'TYPE', type: 'A', format: 'T' });
    expect(parseCommand('TYPE A C')).toEqual({ verb: 'TYPE', type: 'A', format: 'C' });
    expect(parseCommand('TYPE E')).toEqual({ verb: 'TYPE', type: 'E' });
    expect(parseCommand('TYPE E N')).toEqual({ verb: 'TYPE', type: 'E', format: 'N' });
    expect(parseCommand('TYPE E T')).toEqual({ verb: 'TYPE', type: 'E', format: 'T' });
    expect(parseCommand('TYPE E C')).toEqual({ verb: 'TYPE', type: 'E', format: 'C' });
    expect(parseCommand('TYPE I')).toEqual({ verb: 'TYPE', type: 'I' });
    expect(parseCommand('TYPE L 8')).toEqual({ verb: 'TYPE', type: 'L', byteSize: 8 });
    expect(parseCommand('TYPE L 1')).toEqual({ verb: 'TYPE', type: 'L', byteSize: 1 });
    expect(parseCommand('TYPE L 255')).toEqual({ verb: 'TYPE', type: 'L', byteSize: 255 });
    expect(parseCommand('TYPE L 36')).toEqual({ verb: 'TYPE', type: 'L', byteSize: 36 });
  });

  it('RFC 959 §4.1.2: MODE S|B|C and STRU F|R|P', () => {
    expect(['S', 'B', 'C'].map((m) => parseCommand(`MODE ${m}`))).toEqual([
      { verb: 'MODE', mode: 'S' },
      { verb: 'MODE', mode: 'B' },
      { verb: 'MODE', mode: 'C' },
    ]);
    expect(['F', 'R', 'P'].map((s) => parseCommand(`STRU ${s}`))).toEqual([
      { verb: 'STRU', structure: 'F' },
      { verb: 'STRU', structure: 'R' },
      { verb: 'STRU', structure: 'P' },
    ]);
  });

  it('RFC 959 §4.1.3: service commands with pathnames', () => {
    for (const verb of ['RETR', 'STOR', 'APPE', 'RNFR', 'RNTO', 'DELE', 'RMD', 'MKD'] as const) {
      expect(parseCommand(`${verb} dir/file name.txt`)).toEqual({ verb, path: 'dir/file name.txt' });
    }
    expect(parseCommand('STOU')).toEqual({ verb: 'STOU' });
    expect(parseCommand('STOU suggested.txt')).toEqual({ verb: 'STOU', path: 'suggested.txt' });
    expect(parseCommand('STAT')).toEqual({ verb: 'STAT' });
    expect(parseCommand('STAT /pub')).toEqual({ verb: 'STAT', path: '/pub' });
    expect(parseCommand('HELP')).toEqual({ verb: 'HELP' });
    expect(parseCommand('HELP RETR')).toEqual({ verb: 'HELP', topic: 'RETR' });
    for (const verb of ['ABOR', 'PWD', 'SYST', 'NOOP', 'PASV', 'QUIT'] as const) {
      expect(parseCommand(verb)).toEqual({ verb });
    }
  });

  it('RFC 959 §4.1.3: ALLO with and without the record size', () => {
    expect(parseCommand('ALLO 1024')).toEqual({ verb: 'ALLO', size: 1024 });
    expect(parseCommand('ALLO 1024 R 128')).toEqual({ verb: 'ALLO', size: 1024, recordSize: 128 });
  });

  it('RFC 959 §4.1.3 SITE: subcommand upper-cased, the rest kept as sent', () => {
    expect(parseCommand('SITE chmod 755 my file')).toEqual({
      verb: 'SITE',
      subcommand: 'CHMOD',
      argument: '755 my file',
    });
    expect(parseCommand('SITE HELP')).toEqual({ verb: 'SITE', subcommand: 'HELP' });
    expect(parseCommand('SITE UMASK 022')).toEqual({ verb: 'SITE', subcommand: 'UMASK', argument: '022' });
  });

  it('RFC 3659 §5: REST with a decimal offset, up to Number.MAX_SAFE_INTEGER', () => {
    expect(parseCommand('REST 0')).toEqual({ verb: 'REST', offset: 0 });
    expect(parseCommand('REST 1048576')).toEqual({ verb: 'REST', offset: 1048576 });
    expect(parseCommand('REST 9007199254740991')).toEqual({ verb: 'REST', offset: Number.MAX_SAFE_INTEGER });
    expect(parseCommand('REST 007')).toEqual({ verb: 'REST', offset: 7 });
  });

  it('RFC 3659 §3, §4, §7: MDTM, SIZE, MLST, MLSD', () => {
    expect(parseCommand('MDTM TEST.html')).toEqual({ verb: 'MDTM', path: 'TEST.html' });
    expect(parseCommand('SIZE /tmp/file')).toEqual({ verb: 'SIZE', path: '/tmp/file' });
    expect(parseCommand('MLST tmp')).toEqual({ verb: 'MLST', path: 'tmp' });
    expect(parseCommand('MLST')).toEqual({ verb: 'MLST' });
    expect(parseCommand('MLSD')).toEqual({ verb: 'MLSD' });
    expect(parseCommand('MLSD /pub/dir with spaces')).toEqual({ verb: 'MLSD', path: '/pub/dir with spaces' });
  });

  it('RFC 3659 §3.1: MDTM keeps a time-then-path argument as a pathname (no "MDTM set" form)', () => {
    expect(parseCommand('MDTM 20200101000000 file')).toEqual({ verb: 'MDTM', path: '20200101000000 file' });
  });

  it('RFC 2228 §3, RFC 4217 §4, §8: AUTH, PBSZ, PROT, CCC and the base64 commands', () => {
    expect(parseCommand('AUTH TLS')).toEqual({ verb: 'AUTH', mechanism: 'TLS' });
    expect(parseCommand('AUTH GSSAPI')).toEqual({ verb: 'AUTH', mechanism: 'GSSAPI' });
    expect(parseCommand('AUTH tls-c')).toEqual({ verb: 'AUTH', mechanism: 'TLS-C' });
    expect(parseCommand('AUTH SSL')).toEqual({ verb: 'AUTH', mechanism: 'SSL' });
    expect(parseCommand('PBSZ 0')).toEqual({ verb: 'PBSZ', size: 0 });
    expect(parseCommand('PBSZ 4294967295')).toEqual({ verb: 'PBSZ', size: 4294967295 });
    expect(['C', 'S', 'E', 'P'].map((p) => parseCommand(`PROT ${p}`))).toEqual([
      { verb: 'PROT', level: 'C' },
      { verb: 'PROT', level: 'S' },
      { verb: 'PROT', level: 'E' },
      { verb: 'PROT', level: 'P' },
    ]);
    expect(parseCommand('CCC')).toEqual({ verb: 'CCC' });
    for (const verb of ['ADAT', 'MIC', 'CONF', 'ENC'] as const) {
      expect(parseCommand(`${verb} YWJjZA==`)).toEqual({ verb, data: 'YWJjZA==' });
    }
  });

  it('RFC 2389 §3, §4: FEAT and OPTS', () => {
    expect(parseCommand('FEAT')).toEqual({ verb: 'FEAT' });
    expect(parseCommand('OPTS MLST type;size;')).toEqual({ verb: 'OPTS', name: 'MLST', value: 'type;size;' });
    expect(parseCommand('OPTS HASH SHA-256')).toEqual({ verb: 'OPTS', name: 'HASH', value: 'SHA-256' });
    expect(parseCommand('OPTS MODE Z LEVEL 5')).toEqual({ verb: 'OPTS', name: 'MODE', value: 'Z LEVEL 5' });
    expect(parseCommand('OPTS UTF8')).toEqual({ verb: 'OPTS', name: 'UTF8' });
  });

  it('RFC 2428 §2: the EPRT examples', () => {
    expect(parseCommand('EPRT |1|132.235.1.2|6275|')).toEqual({
      verb: 'EPRT',
      address: { protocol: 1, host: '132.235.1.2', port: 6275 },
    });
    expect(parseCommand('EPRT |2|1080::8:800:200C:417A|5282|')).toEqual({
      verb: 'EPRT',
      address: { protocol: 2, host: '1080::8:800:200C:417A', port: 5282 },
    });
  });

  it('RFC 2428 §3: EPSV, EPSV 1, EPSV 2, EPSV ALL', () => {
    expect(parseCommand('EPSV')).toEqual({ verb: 'EPSV' });
    expect(parseCommand('EPSV 1')).toEqual({ verb: 'EPSV', argument: 1 });
    expect(parseCommand('EPSV 2')).toEqual({ verb: 'EPSV', argument: 2 });
    expect(parseCommand('EPSV ALL')).toEqual({ verb: 'EPSV', argument: 'ALL' });
  });

  it('RFC 2640 §4.1 LANG and the UTF8 option; §2.2 UTF-8 pathnames', () => {
    expect(parseCommand('LANG')).toEqual({ verb: 'LANG' });
    expect(parseCommand('LANG fr')).toEqual({ verb: 'LANG', tag: 'fr' });
    expect(parseCommand('LANG en-US')).toEqual({ verb: 'LANG', tag: 'en-US' });
    expect(parseCommand('LANG es-419')).toEqual({ verb: 'LANG', tag: 'es-419' });
    expect(parseCommand('OPTS UTF8 ON')).toEqual({ verb: 'OPTS', name: 'UTF8', value: 'ON' });
    expect(parseCommand('CWD 디렉터리 ü')).toEqual({ verb: 'CWD', path: '디렉터리 ü' });
    expect(parseCommand('RETR 📁/ファイル.txt')).toEqual({ verb: 'RETR', path: '📁/ファイル.txt' });
  });

  it('RFC 7151 §3: HOST with a domain name or an IP literal', () => {
    expect(parseCommand('HOST ftp.example.com')).toEqual({ verb: 'HOST', hostname: 'ftp.example.com' });
    expect(parseCommand('HOST localhost')).toEqual({ verb: 'HOST', hostname: 'localhost' });
    expect(parseCommand('HOST [192.0.2.1]')).toEqual({ verb: 'HOST', hostname: '[192.0.2.1]' });
    expect(parseCommand('HOST [2001:db8::1]')).toEqual({ verb: 'HOST', hostname: '[2001:db8::1]' });
    expect(parseCommand('HOST xn--bcher-kva.example.')).toEqual({
      verb: 'HOST',
      hostname: 'xn--bcher-kva.example.',
    });
  });

  it('draft-somers-ftp-mfxx: MFMT, MFCT with a time-val, MFF with facts', () => {
    expect(parseCommand('MFMT 20240102030405 my file.txt')).toEqual({
      verb: 'MFMT',
      time: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)),
      path: 'my file.txt',
    });
    expect(parseCommand('MFCT 20240102030405.250 f')).toEqual({
      verb: 'MFCT',
      time: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 250)),
      path: 'f',
    });
    expect(parseCommand('MFF Modify=20240102030405;UNIX.mode=0644; a b')).toEqual({
      verb: 'MFF',
      facts: [
        { name: 'modify', value: '20240102030405' },
        { name: 'unix.mode', value: '0644' },
      ],
      path: 'a b',
    });
  });

  it('HASH, CLNT and AVBL extensions', () => {
    expect(parseCommand('HASH big file.iso')).toEqual({ verb: 'HASH', path: 'big file.iso' });
    expect(parseCommand('CLNT FileZilla 3.66.0')).toEqual({ verb: 'CLNT', client: 'FileZilla 3.66.0' });
    expect(parseCommand('AVBL')).toEqual({ verb: 'AVBL' });
    expect(parseCommand('AVBL /upload')).toEqual({ verb: 'AVBL', path: '/upload' });
  });

  it('RFC 1123 §4.1.3.1: X verbs parse as their RFC 959 verb and keep the alias used', () => {
    expect(parseCommand('XCUP')).toEqual({ verb: 'CDUP', alias: 'XCUP' });
    expect(parseCommand('XCWD /tmp')).toEqual({ verb: 'CWD', path: '/tmp', alias: 'XCWD' });
    expect(parseCommand('XMKD new')).toEqual({ verb: 'MKD', path: 'new', alias: 'XMKD' });
    expect(parseCommand('xpwd')).toEqual({ verb: 'PWD', alias: 'XPWD' });
    expect(parseCommand('XRMD old')).toEqual({ verb: 'RMD', path: 'old', alias: 'XRMD' });
    expect(parseCommand('CWD /tmp')).not.toHaveProperty('alias');
  });
});

describe('parseCommand: LIST/NLST flags', () => {
  it.each<[string, Command]>([
    ['LIST', { verb: 'LIST' }],
    ['LIST -la', { verb: 'LIST', flags: 'la' }],
    ['LIST -a dir', { verb: 'LIST', flags: 'a', path: 'dir' }],
    ['LIST -l -a dir name', { verb: 'LIST', flags: 'la', path: 'dir name' }],
    ['NLST -1', { verb: 'NLST', flags: '1' }],
    ['LIST -aL /pub', { verb: 'LIST', flags: 'aL', path: '/pub' }],
    ['LIST -la ', { verb: 'LIST', flags: 'la' }],
    ['LIST /pub/dir with spaces ', { verb: 'LIST', path: '/pub/dir with spaces ' }],
  ])('interop (vsftpd, pyftpdlib): %j → leading -flags apart from the path', (line, expected) => {
    expect(parseCommand(line)).toEqual(expected);
  });

  it.each<[string, Command]>([
    ['LIST -- -la', { verb: 'LIST', path: '-la' }],
    ['LIST -l -- -a', { verb: 'LIST', flags: 'l', path: '-a' }],
    ['LIST ./-la', { verb: 'LIST', path: './-la' }],
    ['NLST -notes.txt', { verb: 'NLST', path: '-notes.txt' }],
    ['LIST -', { verb: 'LIST', path: '-' }],
    ['LIST --color', { verb: 'LIST', path: '--color' }],
    ['LIST --', { verb: 'LIST' }],
  ])('a path starting with "-" stays reachable: %j', (line, expected) => {
    expect(parseCommand(line)).toEqual(expected);
  });
});

describe('parseCommand: tolerance rules', () => {
  it('RFC 959 §5.3.1: lower- and mixed-case verbs', () => {
    expect(parseCommand('noop')).toEqual({ verb: 'NOOP' });
    expect(parseCommand('Stor x')).toEqual({ verb: 'STOR', path: 'x' });
  });

  it('interop (vsftpd, ProFTPD, pyftpdlib accept "type i"): lower-case codes and keywords', () => {
    expect(parseCommand('type i')).toEqual({ verb: 'TYPE', type: 'I' });
    expect(parseCommand('type a n')).toEqual({ verb: 'TYPE', type: 'A', format: 'N' });
    expect(parseCommand('mode b')).toEqual({ verb: 'MODE', mode: 'B' });
    expect(parseCommand('stru r')).toEqual({ verb: 'STRU', structure: 'R' });
    expect(parseCommand('prot p')).toEqual({ verb: 'PROT', level: 'P' });
    expect(parseCommand('epsv all')).toEqual({ verb: 'EPSV', argument: 'ALL' });
    expect(parseCommand('allo 10 r 2')).toEqual({ verb: 'ALLO', size: 10, recordSize: 2 });
    expect(parseCommand('opts utf8 on')).toEqual({ verb: 'OPTS', name: 'UTF8', value: 'on' });
  });

  it('interop (vsftpd, pyftpdlib): TYPE L8 without the space', () => {
    expect(parseCommand('TYPE L8')).toEqual({ verb: 'TYPE', type: 'L', byteSize: 8 });
  });

  it('interop: no-argument verbs ignore trailing spaces', () => {
    expect(parseCommand('PASV ')).toEqual({ verb: 'PASV' });
    expect(parseCommand('NOOP   ')).toEqual({ verb: 'NOOP' });
    expect(parseCommand('XPWD  ')).toEqual({ verb: 'PWD', alias: 'XPWD' });
  });

  it('interop (vsftpd, pyftpdlib, curl): PASS without a password is an empty password', () => {
    expect(parseCommand('PASS')).toEqual({ verb: 'PASS', password: '' });
    expect(parseCommand('PASS ')).toEqual({ verb: 'PASS', password: '' });
    expect(parseCommand('PASS  two  ')).toEqual({ verb: 'PASS', password: ' two  ' });
  });

  it('RFC 959 §5.3.2: a pathname of spaces only is a pathname', () => {
    expect(parseCommand('CWD  ')).toEqual({ verb: 'CWD', path: ' ' });
  });

  it('RFC 959 §5.3.2: an empty argument ("CWD ") is a missing one', () => {
    expectError('CWD ', ARGUMENT, 501, 'CWD');
  });
});

describe('parseCommand: errors', () => {
  it('RFC 959 §5.4: an unknown verb is SYNTAX 500, with the verb on the error', () => {
    expectError('FOO bar', SYNTAX, 500, 'FOO');
    expectError('XSHA', SYNTAX, 500, 'XSHA');
  });

  it.each(['MAIL', 'MLFL', 'MSND', 'MSOM', 'MSAM', 'MRSQ', 'MRCP', 'LPRT', 'LPSV'])(
    'RFC 959 §4.2.1: obsolete %s is NOT_IMPLEMENTED 502',
    (verb) => expectError(`${verb} x`, NOT_IMPLEMENTED, 502, verb),
  );

  it('a line of the wrong type throws SYNTAX, not a TypeError', () => {
    expect(codecErrorOf(() => parseCommand(undefined as unknown as string)).code).toBe(SYNTAX);
  });

  it.each(['ABOR', 'CCC', 'CDUP', 'FEAT', 'NOOP', 'PASV', 'PWD', 'QUIT', 'REIN', 'SYST', 'XCUP', 'XPWD'])(
    '%s refuses an argument with ARGUMENT 501',
    (verb) => expectError(`${verb} x`, ARGUMENT, 501, verb),
  );

  it.each([
    'USER',
    'ACCT',
    'CWD',
    'XCWD',
    'SMNT',
    'RETR',
    'STOR',
    'APPE',
    'RNFR',
    'RNTO',
    'DELE',
    'RMD',
    'XRMD',
    'MKD',
    'XMKD',
    'SITE',
    'TYPE',
    'MODE',
    'STRU',
    'PORT',
    'EPRT',
    'REST',
    'ALLO',
    'AUTH',
    'ADAT',
    'PBSZ',
    'PROT',
    'MIC',
    'CONF',
    'ENC',
    'OPTS',
    'SIZE',
    'MDTM',
    'HOST',
    'MFMT',
    'MFCT',
    'MFF',
    'HASH',
    'CLNT',
  ])('%s without its required argument is ARGUMENT 501', (verb) => {
    expectError(verb, ARGUMENT, 501, verb);
    expectError(`${verb} `, ARGUMENT, 501, verb);
  });

  it.each<[string, CodecErrorCode, number]>([
    ['TYPE X', PARAMETER_NOT_IMPLEMENTED, 504],
    ['TYPE A X', PARAMETER_NOT_IMPLEMENTED, 504],
    ['TYPE E Q', PARAMETER_NOT_IMPLEMENTED, 504],
    ['TYPE ASCII', ARGUMENT, 501],
    ['TYPE AN', ARGUMENT, 501],
    ['TYPE A ', ARGUMENT, 501],
    ['TYPE A  N', ARGUMENT, 501],
    ['TYPE A N X', ARGUMENT, 501],
    ['TYPE I ', ARGUMENT, 501],
    ['TYPE I N', ARGUMENT, 501],
    ['TYPE L', ARGUMENT, 501],
    ['TYPE L 0', ARGUMENT, 501],
    ['TYPE L 256', ARGUMENT, 501],
    ['TYPE L -8', ARGUMENT, 501],
    ['TYPE L  8', ARGUMENT, 501],
    ['TYPE L 8 ', ARGUMENT, 501],
    ['TYPE 1', ARGUMENT, 501],
  ])('TYPE: %j is %s %i (RFC 959 §5.3.2 <type-code>)', (line, code, reply) =>
    expectError(line, code, reply, 'TYPE'),
  );

  it.each<[string, CodecErrorCode, number]>([
    ['MODE Z', PARAMETER_NOT_IMPLEMENTED, 504],
    ['MODE SB', ARGUMENT, 501],
    ['MODE S ', ARGUMENT, 501],
    ['MODE 1', ARGUMENT, 501],
    ['STRU X', PARAMETER_NOT_IMPLEMENTED, 504],
    ['STRU FILE', ARGUMENT, 501],
    ['PROT Q', PARAMETER_NOT_IMPLEMENTED, 504],
    ['PROT PRIVATE', ARGUMENT, 501],
  ])('MODE/STRU/PROT: %j is %s %i (RFC 959 §4.2.1 504 for unknown codes)', (line, code, reply) =>
    expectError(line, code, reply, line.slice(0, 4)),
  );

  it.each([
    'REST -1',
    'REST +1',
    'REST 1 ',
    'REST  1',
    'REST 1 2',
    'REST 0x10',
    'REST 1e3',
    'REST 1.5',
    'REST 9007199254740992',
    'REST 99999999999999999999999',
    'REST ١٢',
    'REST abc',
  ])('RFC 3659 §5: %j is ARGUMENT 501 (no sign, space, hex, or unsafe integer)', (line) =>
    expectError(line, ARGUMENT, 501, 'REST'),
  );

  it.each(['PBSZ -1', 'PBSZ 4294967296', 'PBSZ 0x0', 'PBSZ 1 ', 'PBSZ big'])(
    'RFC 2228 §3: %j is ARGUMENT 501 (PBSZ is 0-4294967295)',
    (line) => expectError(line, ARGUMENT, 501, 'PBSZ'),
  );

  it.each([
    'ALLO -1',
    'ALLO 1 R',
    'ALLO 1 R ',
    'ALLO 1 X 2',
    'ALLO 1 R -2',
    'ALLO 1  R 2',
    'ALLO 1 R 2 3',
    'ALLO 1 ',
  ])('RFC 959 §4.1.3: %j is ARGUMENT 501', (line) => expectError(line, ARGUMENT, 501, 'ALLO'));

  it.each([
    ['PORT 1,2,3,4,5', ADDRESS],
    ['PORT 256,0,0,1,4,1', ADDRESS],
    ['PORT 127,0,0,1,0,0', ADDRESS],
    ['PORT  127,0,0,1,4,1', ADDRESS],
    ['EPRT |1|::1|21|', ADDRESS],
    ['EPRT |1|1.2.3.4|0|', ADDRESS],
    ['EPRT 1|1.2.3.4|21', ADDRESS],
  ])('RFC 959 §4.1.2 / RFC 2428 §2: %j is %s 501 with the verb set', (line, code) =>
    expectError(line, code, 501, line.slice(0, 4)),
  );

  it('RFC 2428 §2: EPRT with an unknown protocol is PARAMETER_NOT_IMPLEMENTED (the server answers 522)', () => {
    expectError('EPRT |3|1.2.3.4|21|', PARAMETER_NOT_IMPLEMENTED, 522, 'EPRT');
  });

  it.each<[string, CodecErrorCode, number]>([
    ['EPSV 3', PARAMETER_NOT_IMPLEMENTED, 522],
    ['EPSV 65535', PARAMETER_NOT_IMPLEMENTED, 522],
    ['EPSV 0', ARGUMENT, 501],
    ['EPSV 01', ARGUMENT, 501],
    ['EPSV 65536', ARGUMENT, 501],
    ['EPSV ALL ', ARGUMENT, 501],
    ['EPSV ANY', ARGUMENT, 501],
    ['EPSV -1', ARGUMENT, 501],
  ])('RFC 2428 §3: %j is %s %i', (line, code, reply) => expectError(line, code, reply, 'EPSV'));

  it.each(['AUTH TLS C', 'AUTH  TLS', 'AUTH TLS ', 'AUTH TLSé'])('RFC 2228 §3: %j is ARGUMENT 501', (line) =>
    expectError(line, ARGUMENT, 501, 'AUTH'),
  );

  it.each(['ADAT abc', 'ADAT ab=c', 'MIC YWJj ZA==', 'CONF ====', 'ENC YW=j'])(
    'RFC 2228 §3 (501 when the argument does not base64-decode): %j',
    (line) => expectError(line, ARGUMENT, 501, line.split(' ')[0]!),
  );

  it.each(['OPTS  UTF8 ON', 'OPTS é ON'])('RFC 2389 §4: %j is ARGUMENT 501', (line) =>
    expectError(line, ARGUMENT, 501, 'OPTS'),
  );

  it.each([
    'LANG  fr',
    'LANG fr ',
    'LANG fr_FR',
    'LANG 12',
    'LANG abcdefghi',
    'LANG en-',
    'LANG -en',
    'LANG en--US',
  ])('RFC 2640 §4.1: %j is ARGUMENT 501', (line) => expectError(line, ARGUMENT, 501, 'LANG'));

  it.each([
    'HOST [::1',
    'HOST [ftp.example.com]',
    'HOST [1.2.3]',
    'HOST ftp example.com',
    'HOST -ftp.example.com',
    'HOST ftp..example.com',
    'HOST ftp_example.com',
    'HOST bücher.example',
    `HOST ${'a'.repeat(64)}.com`,
    'HOST .',
  ])('RFC 7151 §3: %j is ARGUMENT 501', (line) => expectError(line, ARGUMENT, 501, 'HOST'));

  it.each<[string, CodecErrorCode]>([
    ['MFMT 20240102030405', ARGUMENT],
    ['MFMT 20240102030405 ', ARGUMENT],
    ['MFMT 2024010203040 file', LISTING],
    ['MFMT 20241302030405 file', LISTING],
    ['MFMT 20240102030405. file', LISTING],
    ['MFCT x file', LISTING],
  ])('draft-somers-ftp-mfxx: %j is %s 501 with the verb set', (line, code) =>
    expectError(line, code, 501, line.slice(0, 4)),
  );

  it.each([
    'MFF modify=20240102030405 file',
    'MFF modify=20240102030405;',
    'MFF modify20240102030405; file',
    'MFF =x; file',
    'MFF modify=; file',
    'MFF modify=1;;x=2; file',
    'MFF ; file',
  ])('draft-somers-ftp-mfxx: %j is ARGUMENT 501', (line) => expectError(line, ARGUMENT, 501, 'MFF'));

  it.each(['SITE  CHMOD', 'SITE é'])('RFC 959 §4.1.3: %j (no subcommand word) is ARGUMENT 501', (line) =>
    expectError(line, ARGUMENT, 501, 'SITE'),
  );

  it('maxLineLength refuses longer lines with LINE_TOO_LONG 500', () => {
    const error = codecErrorOf(() => parseCommand(`RETR ${'x'.repeat(100)}`, { maxLineLength: 64 }));
    expect([error.code, error.replyCode]).toEqual([CodecErrorCodes.LINE_TOO_LONG, 500]);
    expect(parseCommand(`RETR ${'x'.repeat(59)}`, { maxLineLength: 64 })).toEqual({
      verb: 'RETR',
      path: 'x'.repeat(59),
    });
  });
});

describe('parseCommand: unknown verbs with allowUnknown', () => {
  it('returns an ExtensionCommand for a custom verb, with its raw argument', () => {
    const command = parseCommand('xcrc file name 0 100', { allowUnknown: true });
    expect(command).toEqual({ verb: 'XCRC', extension: true, argument: 'file name 0 100' });
    expect(isExtensionCommand(command)).toBe(true);
    expect(parseCommand('FOO', { allowUnknown: true })).toEqual({ verb: 'FOO', extension: true });
  });

  it('returns an obsolete verb as an extension too, so a server may implement it', () => {
    expect(parseCommand('LPSV', { allowUnknown: true })).toEqual({ verb: 'LPSV', extension: true });
  });

  it('still parses known verbs strictly', () => {
    const command = parseCommand('CWD x', { allowUnknown: true });
    expect(isExtensionCommand(command)).toBe(false);
    expect(command).toEqual({ verb: 'CWD', path: 'x' });
    expect(codecErrorOf(() => parseCommand('MODE Z', { allowUnknown: true })).code).toBe(
      PARAMETER_NOT_IMPLEMENTED,
    );
  });

  it('accepts digits after the first letter (XMD5, XSHA256: checksum extensions clients send)', () => {
    expect(parseCommand('xsha256 file name', { allowUnknown: true })).toEqual({
      verb: 'XSHA256',
      extension: true,
      argument: 'file name',
    });
  });

  it('still applies the verb grammar and the control-character rule', () => {
    expect(codecErrorOf(() => parseCommand('9XSHA f', { allowUnknown: true })).code).toBe(SYNTAX);
    expect(codecErrorOf(() => parseCommand('XCRC a\nb', { allowUnknown: true })).code).toBe(
      CONTROL_CHARACTER,
    );
  });
});

describe('parseCommand: every verb in COMMAND_SPECS', () => {
  const samples: Record<KnownVerb, string> = {
    USER: 'u',
    PASS: 'p',
    ACCT: 'a',
    CWD: 'd',
    CDUP: '',
    SMNT: 'm',
    REIN: '',
    QUIT: '',
    PORT: '127,0,0,1,4,1',
    PASV: '',
    TYPE: 'I',
    STRU: 'F',
    MODE: 'S',
    RETR: 'f',
    STOR: 'f',
    STOU: '',
    APPE: 'f',
    ALLO: '1',
    REST: '1',
    RNFR: 'a',
    RNTO: 'b',
    ABOR: '',
    DELE: 'f',
    RMD: 'd',
    MKD: 'd',
    PWD: '',
    LIST: '',
    NLST: '',
    SITE: 'HELP',
    SYST: '',
    STAT: '',
    HELP: '',
    NOOP: '',
    XCUP: '',
    XCWD: 'd',
    XMKD: 'd',
    XPWD: '',
    XRMD: 'd',
    AUTH: 'TLS',
    ADAT: 'AAAA',
    PBSZ: '0',
    PROT: 'P',
    CCC: '',
    MIC: 'AAAA',
    CONF: 'AAAA',
    ENC: 'AAAA',
    FEAT: '',
    OPTS: 'UTF8 ON',
    EPRT: '|1|127.0.0.1|21|',
    EPSV: '',
    LANG: '',
    SIZE: 'f',
    MDTM: 'f',
    MLST: '',
    MLSD: '',
    HOST: 'example.com',
    MFMT: '20240101000000 f',
    MFCT: '20240101000000 f',
    MFF: 'modify=20240101000000; f',
    HASH: 'f',
    CLNT: 'c',
    AVBL: '',
  };

  it.each(Object.keys(COMMAND_SPECS) as KnownVerb[])(
    '%s parses to its canonical verb, its spec agrees',
    (verb) => {
      const spec = COMMAND_SPECS[verb];
      const sample = samples[verb];
      const command = parseCommand(sample === '' ? verb : `${verb} ${sample}`);
      expect(command.verb).toBe(spec.aliasOf ?? verb);
      // The table's argument rule must match the parser's behaviour.
      if (spec.argument === 'required') expect(() => parseCommand(verb)).toThrow(CodecError);
      else expect(() => parseCommand(verb)).not.toThrow();
      if (spec.argument === 'none') expect(() => parseCommand(`${verb} x`)).toThrow(CodecError);
    },
  );
});
