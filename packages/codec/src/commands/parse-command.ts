/**
 * Parses one framed command line into a typed `Command`.
 *
 * Owns: the argument grammar of every verb in `verbs.ts`, and the decision between 500 (not a
 * command), 501 (bad argument), 502 (recognised, not implemented) and 504 (unsupported parameter).
 * Addresses and time values are read by their own modules (`../addresses`, `../listings/time-val`).
 * Never imports from `node:`; throws only `CodecError`, with `verb` set once the verb is known.
 *
 * Rules where the RFCs leave room, with the reason for each:
 * - Unknown verbs are SYNTAX (500, RFC 959 §5.4 "500 Syntax error, command unrecognized"). With
 *   `allowUnknown`, they come back as an `ExtensionCommand` for the server's own handlers instead.
 * - The verbs of `NOT_IMPLEMENTED_VERBS` (RFC 765 mail, LPRT/LPSV) are NOT_IMPLEMENTED (502).
 * - Aliases (RFC 775 XCWD, XCUP, XMKD, XPWD, XRMD; RFC 1123 §4.1.3.1) parse as their RFC 959 verb
 *   with `alias` set to the verb sent.
 * - Single-letter codes (TYPE, MODE, STRU, PROT), keywords (`EPSV ALL`, ALLO's `R`), mechanism,
 *   option and SITE names are case-insensitive and come out upper-case: RFC 959 §5.3.1 treats
 *   letters of command codes alike, and vsftpd, ProFTPD and pyftpdlib all accept `type i`.
 * - Codes and numbers are matched exactly otherwise: one space between fields, none around
 *   (vsftpd's reading; `TYPE I ` is a 501). Only no-argument verbs ignore trailing spaces, which
 *   can carry nothing.
 * - A code letter outside its set (`MODE Z`, `TYPE X`, `PROT Q`) is PARAMETER_NOT_IMPLEMENTED
 *   (504, RFC 959 §4.2.1 "Command not implemented for that parameter"); anything that is not a
 *   single letter is ARGUMENT (501). `EPSV <n>` for a well-formed protocol other than 1 or 2 is
 *   504 as well, as `parseEprtArgument` does for EPRT; RFC 2428 wants 522 for both, which the
 *   server maps from this error code (see `../addresses/extended.ts`).
 * - `TYPE L8` (no space) is accepted as `TYPE L 8`: vsftpd and pyftpdlib accept it, so scripts
 *   tested against them may send it.
 * - `PASS` without an argument is an empty password: RFC 959 requires one, but accounts without
 *   passwords exist and vsftpd and pyftpdlib accept the bare verb.
 * - `REST` takes a decimal byte offset only (RFC 3659 §5, stream mode); block- and
 *   compressed-mode restart markers are 501.
 * - LIST/NLST flags: leading words of the form `-` followed by ASCII letters or digits (`-l`,
 *   `-la`, `-1`) are `ls` flags, as vsftpd and pyftpdlib read them; a `--` word ends the flags; the
 *   rest after one space is the path. A path that starts with such a word (a file named `-la`) is
 *   reached as `LIST -- -la` or `LIST ./-la`; a path like `-notes.txt` or `-` needs neither.
 * - `MDTM <time> <path>` (a "set" form some servers accept) is not recognised: the argument is
 *   always a pathname (RFC 3659 §3.1), since `20200101000000 x` is also a valid file name.
 *   Servers that want the set form can try `parseTimeVal` on the path's first word.
 */

import {
  type ExtendedAddress,
  type HostPort,
  isIPv4,
  isIPv6,
  parseEprtArgument,
  parseHostPort,
} from '../addresses/index.js';
import { CodecError, CodecErrorCodes } from '../errors.js';
import { parseTimeVal } from '../listings/time-val.js';
import {
  argumentError,
  asciiUpper,
  commandError,
  isBase64,
  isFactName,
  isFactValue,
  isFlagWord,
  isHostname,
  isLanguageTag,
  isToken,
  MAX_PBSZ,
  parseDecimal,
  quote,
  singleLetter,
  withVerb,
} from './arguments.js';
import { splitCommandLine } from './split-command-line.js';
import type {
  Command,
  ExtensionCommand,
  FormatControl,
  ListVerb,
  MffFact,
  NoArgumentVerb,
  OptionalPathVerb,
  PathVerb,
  SecurityDataVerb,
  SetTimeVerb,
  TypeCommand,
} from './types.js';
import { type AliasVerb, COMMAND_ALIASES, NOT_IMPLEMENTED_VERBS } from './verbs.js';

export interface ParseCommandOptions {
  /**
   * Return verbs the codec does not parse (including `NOT_IMPLEMENTED_VERBS`) as an
   * `ExtensionCommand` instead of throwing. Default false: SYNTAX (500) or NOT_IMPLEMENTED (502).
   * Only the verb grammar and the control-character rule apply to them.
   */
  readonly allowUnknown?: boolean;
  /**
   * Refuse lines longer than this many UTF-16 code units with LINE_TOO_LONG (500). Default: no
   * limit, because `LineFramer` already caps lines in bytes; set it when lines come from elsewhere.
   */
  readonly maxLineLength?: number;
}

/** True for the result of `parseCommand` with `allowUnknown` when the verb was not one it parses. */
export function isExtensionCommand(command: Command | ExtensionCommand): command is ExtensionCommand {
  return (command as ExtensionCommand).extension === true;
}

type ArgumentParser = (argument: string | undefined, sent: string) => Command;

const PARSERS = new Map<string, ArgumentParser>();

function missing(verb: string): CodecError {
  return argumentError(verb, 'missing argument');
}

function required(verb: string, argument: string | undefined): string {
  if (argument === undefined) throw missing(verb);
  return argument;
}

function isSpaces(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) !== 0x20) return false;
  return true;
}

// ── No argument ──────────────────────────────────────────────────────────────────────────────

function noArgument(verb: NoArgumentVerb): void {
  // One frozen object per verb: these commands carry nothing, so every parse can share it.
  const plain = Object.freeze({ verb }) as Command;
  PARSERS.set(verb, (argument, sent) => {
    if (argument !== undefined && !isSpaces(argument)) {
      throw argumentError(sent, `takes no argument, got ${quote(argument)}`);
    }
    return sent === verb ? plain : ({ verb, alias: sent } as Command);
  });
}

for (const verb of ['ABOR', 'CCC', 'CDUP', 'FEAT', 'NOOP', 'PASV', 'PWD', 'QUIT', 'REIN', 'SYST'] as const) {
  noArgument(verb);
}

// ── Pathnames ────────────────────────────────────────────────────────────────────────────────

const PATH_VERBS: readonly PathVerb[] = [
  'APPE',
  'CWD',
  'DELE',
  'HASH',
  'MDTM',
  'MKD',
  'RETR',
  'RMD',
  'RNFR',
  'RNTO',
  'SIZE',
  'SMNT',
  'STOR',
];
for (const verb of PATH_VERBS) {
  PARSERS.set(verb, (argument, sent) => {
    const path = required(sent, argument);
    return (sent === verb ? { verb, path } : { verb, path, alias: sent }) as Command;
  });
}

const OPTIONAL_PATH_VERBS: readonly OptionalPathVerb[] = ['AVBL', 'MLSD', 'MLST', 'STAT', 'STOU'];
for (const verb of OPTIONAL_PATH_VERBS) {
  PARSERS.set(verb, (argument) => (argument === undefined ? { verb } : { verb, path: argument }));
}

function parseList(verb: ListVerb, argument: string | undefined): Command {
  if (argument === undefined) return { verb };
  const length = argument.length;
  let pos = 0;
  let flags = '';
  while (pos < length && argument.charCodeAt(pos) === 0x2d) {
    let end = argument.indexOf(' ', pos);
    if (end === -1) end = length;
    if (end - pos === 2 && argument.charCodeAt(pos + 1) === 0x2d) {
      pos = end + 1;
      break;
    }
    if (!isFlagWord(argument, pos, end)) break;
    flags += argument.slice(pos + 1, end);
    pos = end + 1;
  }
  if (pos === 0) return { verb, path: argument };
  const path = pos < length ? argument.slice(pos) : undefined;
  if (flags === '') return path === undefined ? { verb } : { verb, path };
  return path === undefined ? { verb, flags } : { verb, flags, path };
}
PARSERS.set('LIST', (argument) => parseList('LIST', argument));
PARSERS.set('NLST', (argument) => parseList('NLST', argument));

// ── Free text ────────────────────────────────────────────────────────────────────────────────

PARSERS.set('USER', (argument) => ({ verb: 'USER', username: required('USER', argument) }));
PARSERS.set('PASS', (argument) => ({ verb: 'PASS', password: argument ?? '' }));
PARSERS.set('ACCT', (argument) => ({ verb: 'ACCT', account: required('ACCT', argument) }));
PARSERS.set('CLNT', (argument) => ({ verb: 'CLNT', client: required('CLNT', argument) }));
PARSERS.set('HELP', (argument) =>
  argument === undefined ? { verb: 'HELP' } : { verb: 'HELP', topic: argument },
);

PARSERS.set('SITE', (argument) => {
  const text = required('SITE', argument);
  const space = text.indexOf(' ');
  const name = space === -1 ? text : text.slice(0, space);
  if (!isToken(name))
    throw argumentError('SITE', `the subcommand must be printable ASCII, got ${quote(name)}`);
  const subcommand = asciiUpper(name);
  return space === -1 || space === text.length - 1
    ? { verb: 'SITE', subcommand }
    : { verb: 'SITE', subcommand, argument: text.slice(space + 1) };
});

// ── Transfer parameters (RFC 959 §4.1.2) ─────────────────────────────────────────────────────

function letterCode<T extends string>(
  verb: string,
  argument: string | undefined,
  codes: readonly T[],
  what: string,
): T {
  const text = required(verb, argument);
  const letter = singleLetter(text);
  if (letter === undefined) throw argumentError(verb, `${what} must be one letter, got ${quote(text)}`);
  if (!(codes as readonly string[]).includes(letter)) {
    throw commandError(
      CodecErrorCodes.PARAMETER_NOT_IMPLEMENTED,
      verb,
      `${what} ${letter} is not implemented (one of ${codes.join(', ')})`,
    );
  }
  return letter as T;
}

PARSERS.set('MODE', (argument) => ({
  verb: 'MODE',
  mode: letterCode('MODE', argument, ['S', 'B', 'C'] as const, 'mode code'),
}));
PARSERS.set('STRU', (argument) => ({
  verb: 'STRU',
  structure: letterCode('STRU', argument, ['F', 'R', 'P'] as const, 'structure code'),
}));
PARSERS.set('PROT', (argument) => ({
  verb: 'PROT',
  level: letterCode('PROT', argument, ['C', 'S', 'E', 'P'] as const, 'protection level'),
}));

const TYPE_A: TypeCommand = Object.freeze({ verb: 'TYPE', type: 'A' });
const TYPE_I: TypeCommand = Object.freeze({ verb: 'TYPE', type: 'I' });

/** RFC 959 §5.3.2 `<type-code> ::= A [<sp> <form-code>] | E [<sp> <form-code>] | I | L <sp> <byte-size>`. */
function parseType(argument: string | undefined): TypeCommand {
  const text = required('TYPE', argument);
  const type = singleLetter(text.slice(0, 1));
  const rest = text.slice(1);
  if (type === undefined || (rest !== '' && rest.charCodeAt(0) !== 0x20 && type !== 'L')) {
    throw argumentError('TYPE', `the type code must be one letter, got ${quote(text)}`);
  }
  switch (type) {
    case 'I':
      if (rest !== '') throw argumentError('TYPE', `type I takes no parameter, got ${quote(text)}`);
      return TYPE_I;
    case 'A':
    case 'E': {
      if (rest === '') return type === 'A' ? TYPE_A : { verb: 'TYPE', type };
      const format = singleLetter(rest.slice(1));
      if (format === undefined)
        throw argumentError('TYPE', `the format code must be one letter, got ${quote(text)}`);
      if (format !== 'N' && format !== 'T' && format !== 'C') {
        throw commandError(
          CodecErrorCodes.PARAMETER_NOT_IMPLEMENTED,
          'TYPE',
          `format code ${format} is not implemented (one of N, T, C)`,
        );
      }
      return { verb: 'TYPE', type, format: format satisfies FormatControl };
    }
    case 'L': {
      const sizeText = rest.charCodeAt(0) === 0x20 ? rest.slice(1) : rest;
      const byteSize = parseDecimal(sizeText, 255);
      if (byteSize === undefined || byteSize === 0) {
        throw argumentError('TYPE', `type L needs a byte size 1-255, got ${quote(text)}`);
      }
      return { verb: 'TYPE', type: 'L', byteSize };
    }
    default:
      throw commandError(
        CodecErrorCodes.PARAMETER_NOT_IMPLEMENTED,
        'TYPE',
        `type code ${type} is not implemented (one of A, E, I, L)`,
      );
  }
}
PARSERS.set('TYPE', parseType);

PARSERS.set('PORT', (argument) => {
  const address: HostPort = withVerb('PORT', () => parseHostPort(required('PORT', argument)));
  return { verb: 'PORT', address };
});

PARSERS.set('EPRT', (argument) => {
  const address: ExtendedAddress = withVerb('EPRT', () => parseEprtArgument(required('EPRT', argument)));
  return { verb: 'EPRT', address };
});

const EPSV_PLAIN = Object.freeze({ verb: 'EPSV' }) as Command;
const EPSV_ALL = Object.freeze({ verb: 'EPSV', argument: 'ALL' }) as Command;
const EPSV_1 = Object.freeze({ verb: 'EPSV', argument: 1 }) as Command;
const EPSV_2 = Object.freeze({ verb: 'EPSV', argument: 2 }) as Command;

/** RFC 2428 §3: `EPSV`, `EPSV <SP> <net-prt>` or `EPSV <SP> ALL`. */
PARSERS.set('EPSV', (argument) => {
  if (argument === undefined) return EPSV_PLAIN;
  if (argument === '1') return EPSV_1;
  if (argument === '2') return EPSV_2;
  if (asciiUpper(argument) === 'ALL') return EPSV_ALL;
  // Any other IANA address family number (16 bits, RFC 2428 §2) is well formed but unsupported.
  const protocol = argument.charCodeAt(0) === 0x30 ? undefined : parseDecimal(argument, 65_535);
  if (protocol !== undefined) {
    throw commandError(
      CodecErrorCodes.PARAMETER_NOT_IMPLEMENTED,
      'EPSV',
      `network protocol ${protocol} is not supported (RFC 2428 §3: reply 522)`,
      522,
    );
  }
  throw argumentError('EPSV', `the argument must be 1, 2 or ALL, got ${quote(argument)}`);
});

// ── Service commands with numbers ────────────────────────────────────────────────────────────

PARSERS.set('REST', (argument) => {
  const text = required('REST', argument);
  const offset = parseDecimal(text);
  if (offset === undefined) {
    throw argumentError(
      'REST',
      `the restart offset must be a decimal 0-${Number.MAX_SAFE_INTEGER}, got ${quote(text)}`,
    );
  }
  return { verb: 'REST', offset };
});

/** RFC 959 §4.1.3: `ALLO <SP> <decimal-integer> [<SP> R <SP> <decimal-integer>]`. */
PARSERS.set('ALLO', (argument) => {
  const text = required('ALLO', argument);
  const space = text.indexOf(' ');
  const size = parseDecimal(space === -1 ? text : text.slice(0, space));
  if (size === undefined)
    throw argumentError('ALLO', `the size must be a decimal integer, got ${quote(text)}`);
  if (space === -1) return { verb: 'ALLO', size };
  const marker = text.charCodeAt(space + 1) | 0x20;
  const recordSize =
    marker === 0x72 && text.charCodeAt(space + 2) === 0x20 ? parseDecimal(text.slice(space + 3)) : undefined;
  if (recordSize === undefined) {
    throw argumentError('ALLO', `expected <size> [R <record-size>], got ${quote(text)}`);
  }
  return { verb: 'ALLO', size, recordSize };
});

// ── Security (RFC 2228) ──────────────────────────────────────────────────────────────────────

PARSERS.set('AUTH', (argument) => {
  const text = required('AUTH', argument);
  // RFC 2228 §3: the mechanism name "is case-insensitive".
  if (!isToken(text))
    throw argumentError('AUTH', `the mechanism must be one printable ASCII word, got ${quote(text)}`);
  return { verb: 'AUTH', mechanism: asciiUpper(text) };
});

PARSERS.set('PBSZ', (argument) => {
  const text = required('PBSZ', argument);
  const size = parseDecimal(text, MAX_PBSZ);
  if (size === undefined)
    throw argumentError('PBSZ', `the buffer size must be a decimal 0-${MAX_PBSZ}, got ${quote(text)}`);
  return { verb: 'PBSZ', size };
});

for (const verb of ['ADAT', 'CONF', 'ENC', 'MIC'] as const satisfies readonly SecurityDataVerb[]) {
  PARSERS.set(verb, (argument) => {
    const data = required(verb, argument);
    if (!isBase64(data))
      throw argumentError(verb, `the argument is not base64 (RFC 2228 §3), got ${quote(data)}`);
    return { verb, data };
  });
}

// ── Extensions ───────────────────────────────────────────────────────────────────────────────

/** RFC 2389 §4: `OPTS <SP> <command-name> [<SP> <command-options>]`. */
PARSERS.set('OPTS', (argument) => {
  const text = required('OPTS', argument);
  const space = text.indexOf(' ');
  const nameText = space === -1 ? text : text.slice(0, space);
  if (!isToken(nameText))
    throw argumentError('OPTS', `the command name must be one word, got ${quote(text)}`);
  const name = asciiUpper(nameText);
  return space === -1 || space === text.length - 1
    ? { verb: 'OPTS', name }
    : { verb: 'OPTS', name, value: text.slice(space + 1) };
});

PARSERS.set('LANG', (argument) => {
  if (argument === undefined) return { verb: 'LANG' };
  if (!isLanguageTag(argument))
    throw argumentError('LANG', `not a language tag (RFC 2640 §4.1): ${quote(argument)}`);
  return { verb: 'LANG', tag: argument };
});

const isIpAddress = (text: string) => isIPv4(text) || isIPv6(text);

PARSERS.set('HOST', (argument) => {
  const hostname = required('HOST', argument);
  if (!isHostname(hostname, isIpAddress)) {
    throw argumentError('HOST', `not a domain name or [IP literal] (RFC 7151 §3): ${quote(hostname)}`);
  }
  return { verb: 'HOST', hostname };
});

/** draft-somers-ftp-mfxx: `MFMT <SP> <time-val> <SP> <pathname>`, likewise MFCT. */
function parseSetTime(verb: SetTimeVerb, argument: string | undefined): Command {
  const text = required(verb, argument);
  const space = text.indexOf(' ');
  if (space === -1 || space === text.length - 1)
    throw argumentError(verb, `expected <time-val> <pathname>, got ${quote(text)}`);
  const time = withVerb(verb, () => parseTimeVal(text.slice(0, space)));
  return { verb, time, path: text.slice(space + 1) };
}
PARSERS.set('MFMT', (argument) => parseSetTime('MFMT', argument));
PARSERS.set('MFCT', (argument) => parseSetTime('MFCT', argument));

/** draft-somers-ftp-mfxx: `MFF <SP> 1*(<fact> "=" <value> ";") <SP> <pathname>`. */
PARSERS.set('MFF', (argument) => {
  const text = required('MFF', argument);
  const space = text.indexOf(' ');
  if (space === -1 || space === text.length - 1)
    throw argumentError('MFF', `expected <facts> <pathname>, got ${quote(text)}`);
  if (text.charCodeAt(space - 1) !== 0x3b)
    throw argumentError('MFF', `each fact must end with ";", got ${quote(text)}`);
  const facts: MffFact[] = [];
  let start = 0;
  while (start < space) {
    const semicolon = text.indexOf(';', start);
    const equals = text.indexOf('=', start);
    if (equals === -1 || equals > semicolon)
      throw argumentError('MFF', `expected <fact>=<value>; in ${quote(text)}`);
    const name = text.slice(start, equals);
    const value = text.slice(equals + 1, semicolon);
    if (!isFactName(name) || !isFactValue(value))
      throw argumentError('MFF', `malformed fact in ${quote(text)}`);
    facts.push({ name: name.toLowerCase(), value });
    start = semicolon + 1;
  }
  return { verb: 'MFF', facts, path: text.slice(space + 1) };
});

// ── Entry point ──────────────────────────────────────────────────────────────────────────────

/**
 * Parses a framed command line (no CRLF) into a typed command. Throws `CodecError`: SYNTAX (500)
 * for an empty line, a malformed or unknown verb; NOT_IMPLEMENTED (502) for an obsolete verb;
 * ARGUMENT (501), CONTROL_CHARACTER (501), ADDRESS (501), LISTING (501, MFMT/MFCT time) or
 * PARAMETER_NOT_IMPLEMENTED (504) for its argument; LINE_TOO_LONG when `maxLineLength` is set.
 */
export function parseCommand(
  line: string,
  options?: ParseCommandOptions & { readonly allowUnknown?: false },
): Command;
export function parseCommand(line: string, options: ParseCommandOptions): Command | ExtensionCommand;
export function parseCommand(line: string, options?: ParseCommandOptions): Command | ExtensionCommand {
  if (
    options?.maxLineLength !== undefined &&
    typeof line === 'string' &&
    line.length > options.maxLineLength
  ) {
    throw new CodecError(CodecErrorCodes.LINE_TOO_LONG, `Line exceeds ${options.maxLineLength} characters`);
  }
  const { verb: sent, argument } = splitCommandLine(line);
  const parser = PARSERS.get(sent);
  if (parser !== undefined) return parser(argument, sent);
  if (options?.allowUnknown === true) {
    return argument === undefined
      ? { verb: sent, extension: true }
      : { verb: sent, extension: true, argument };
  }
  if (NOT_IMPLEMENTED_VERBS.has(sent)) {
    throw commandError(CodecErrorCodes.NOT_IMPLEMENTED, sent, 'command not implemented (RFC 959 §4.2.1 502)');
  }
  throw commandError(CodecErrorCodes.SYNTAX, sent, 'syntax error, command unrecognized (RFC 959 §5.4)');
}

// Aliases share their verb's parser; the parser records the alias from `sent`.
for (const [alias, verb] of Object.entries(COMMAND_ALIASES) as [AliasVerb, string][]) {
  PARSERS.set(alias, PARSERS.get(verb)!);
}
