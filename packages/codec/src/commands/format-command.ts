/**
 * Writes typed commands as canonical command lines (without CRLF): the client's way out.
 *
 * Owns: `formatCommand` and `formatCommandLine`. Both refuse CR, LF and NUL in any outgoing value
 * with CONTROL_CHARACTER (RFC 959 §4.1.3; STYLE habit 12: a file name must never smuggle a second
 * command onto the control connection), and refuse every other value the parser would not read
 * back identically with INVALID_ARGUMENT. So `parseCommand(formatCommand(c))` deep-equals `c` for
 * every command `parseCommand` can return. Never imports from `node:`.
 *
 * Case is normalised as the parser does: mechanism, option and SITE names upper-case, MFF fact
 * names lower-case.
 */

import { formatEprtArgument, formatHostPort, isIPv4, isIPv6 } from '../addresses/index.js';
import { CodecError, CodecErrorCodes } from '../errors.js';
import { formatTimeVal } from '../listings/time-val.js';
import {
  asciiUpper,
  indexOfControl,
  invalidValue,
  isBase64,
  isDecimalValue,
  isFactName,
  isFactValue,
  isFlagLetters,
  isFlagWord,
  isHostname,
  isLanguageTag,
  isToken,
  isVerb,
  MAX_PBSZ,
  withVerb,
} from './arguments.js';
import { isExtensionCommand } from './parse-command.js';
import type { Command, ExtensionCommand } from './types.js';
import { COMMAND_ALIASES } from './verbs.js';

function checkControl(verb: string, value: string): string {
  const control = indexOfControl(value);
  if (control !== -1) {
    throw new CodecError(
      CodecErrorCodes.CONTROL_CHARACTER,
      `${verb}: CR, LF or NUL at offset ${control} of an outgoing argument (RFC 959 §4.1.3)`,
      { verb },
    );
  }
  return value;
}

/**
 * Builds a command line from a verb and an optional raw argument: the escape hatch for verbs the
 * codec does not model. The verb must be 1–16 ASCII characters, a letter then letters or digits, (written upper-case); the argument
 * must not contain CR, LF or NUL. Throws `CodecError` INVALID_ARGUMENT or CONTROL_CHARACTER.
 */
export function formatCommandLine(verb: string, argument?: string): string {
  if (typeof verb !== 'string' || !isVerb(verb)) {
    throw new CodecError(
      CodecErrorCodes.INVALID_ARGUMENT,
      `formatCommandLine: the verb must be 1-16 ASCII letters, got ${JSON.stringify(String(verb)).slice(0, 50)}`,
    );
  }
  const upper = verb.toUpperCase();
  if (argument === undefined) return upper;
  if (typeof argument !== 'string') throw invalidValue(upper, 'the argument must be a string');
  return `${upper} ${checkControl(upper, argument)}`;
}

/** A required, non-empty string field: the parser reads `VERB ` as "no argument". */
function field(verb: string, value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0)
    throw invalidValue(verb, `${name} must be a non-empty string`);
  return checkControl(verb, value);
}

function optionalField(verb: string, value: unknown, name: string): string | undefined {
  return value === undefined ? undefined : field(verb, value, name);
}

function line(verb: string, argument: string | undefined): string {
  return argument === undefined ? verb : `${verb} ${argument}`;
}

function oneOf<T extends string | number>(
  verb: string,
  value: unknown,
  allowed: readonly T[],
  name: string,
): T {
  if (!(allowed as readonly unknown[]).includes(value)) {
    throw invalidValue(verb, `${name} must be one of ${allowed.join(', ')}, got ${String(value)}`);
  }
  return value as T;
}

function decimal(verb: string, value: unknown, name: string, max = Number.MAX_SAFE_INTEGER): string {
  if (!isDecimalValue(value, max)) throw invalidValue(verb, `${name} must be an integer 0-${max}`);
  return String(value);
}

function token(verb: string, value: unknown, name: string): string {
  if (typeof value !== 'string' || !isToken(value)) {
    throw invalidValue(verb, `${name} must be one word of printable ASCII`);
  }
  return asciiUpper(value);
}

/** The verb to write: the alias the command was received with, when it has one. */
function sentVerb(command: { readonly verb: string; readonly alias?: string }): string {
  const alias = command.alias;
  if (alias === undefined) return command.verb;
  if ((COMMAND_ALIASES as Record<string, string | undefined>)[alias] !== command.verb) {
    throw invalidValue(command.verb, `${String(alias)} is not an alias of ${command.verb}`);
  }
  return alias;
}

/**
 * True when the LIST/NLST parser would read the start of `path` as flags (`-la`) or as the `--`
 * end marker: such a path is written after `--`.
 */
function needsEndOfFlags(path: string): boolean {
  if (path.charCodeAt(0) !== 0x2d) return false;
  const space = path.indexOf(' ');
  const end = space === -1 ? path.length : space;
  return (end === 2 && path.charCodeAt(1) === 0x2d) || isFlagWord(path, 0, end);
}

const isIpAddress = (text: string) => isIPv4(text) || isIPv6(text);

/**
 * Writes a command as its canonical line without CRLF: `TYPE A N`, `PORT 127,0,0,1,4,1`,
 * `EPRT |2|::1|1025|`, `REST 100`, `OPTS UTF8 ON`. Throws `CodecError` CONTROL_CHARACTER for
 * CR/LF/NUL in a value and INVALID_ARGUMENT for any value the parser would refuse.
 */
export function formatCommand(command: Command | ExtensionCommand): string {
  if (typeof command !== 'object' || command === null || typeof command.verb !== 'string') {
    throw new CodecError(CodecErrorCodes.INVALID_ARGUMENT, 'formatCommand: expected a command object');
  }
  if (isExtensionCommand(command)) {
    return formatCommandLine(command.verb, optionalField(command.verb, command.argument, 'argument'));
  }
  const c = command;
  const verb = c.verb;
  switch (c.verb) {
    case 'ABOR':
    case 'CCC':
    case 'FEAT':
    case 'NOOP':
    case 'PASV':
    case 'QUIT':
    case 'REIN':
    case 'SYST':
      return verb;
    case 'CDUP':
    case 'PWD':
      return sentVerb(c);
    case 'CWD':
    case 'MKD':
    case 'RMD':
      return line(sentVerb(c), field(verb, c.path, 'path'));
    case 'APPE':
    case 'DELE':
    case 'HASH':
    case 'MDTM':
    case 'RETR':
    case 'RNFR':
    case 'RNTO':
    case 'SIZE':
    case 'SMNT':
    case 'STOR':
      return line(verb, field(verb, c.path, 'path'));
    case 'AVBL':
    case 'MLSD':
    case 'MLST':
    case 'STAT':
    case 'STOU':
      return line(verb, optionalField(verb, c.path, 'path'));
    case 'LIST':
    case 'NLST': {
      const parts: string[] = [];
      if (c.flags !== undefined) {
        if (typeof c.flags !== 'string' || !isFlagLetters(c.flags)) {
          throw invalidValue(verb, 'flags must be ASCII letters or digits, without dashes');
        }
        parts.push(`-${c.flags}`);
      }
      const path = optionalField(verb, c.path, 'path');
      if (path !== undefined) {
        if (needsEndOfFlags(path)) parts.push('--');
        parts.push(path);
      }
      return parts.length === 0 ? verb : `${verb} ${parts.join(' ')}`;
    }
    case 'USER':
      return line(verb, field(verb, c.username, 'username'));
    case 'PASS':
      // An empty password is written `PASS ` (with the space), as curl does; the parser reads both.
      if (c.password === '') return 'PASS ';
      return line(verb, field(verb, c.password, 'password'));
    case 'ACCT':
      return line(verb, field(verb, c.account, 'account'));
    case 'CLNT':
      return line(verb, field(verb, c.client, 'client'));
    case 'HELP':
      return line(verb, optionalField(verb, c.topic, 'topic'));
    case 'SITE':
      return line(
        verb,
        line(token(verb, c.subcommand, 'subcommand'), optionalField(verb, c.argument, 'argument')),
      );
    case 'TYPE': {
      const type = oneOf(verb, c.type, ['A', 'E', 'I', 'L'] as const, 'type');
      if (c.type === 'I') return 'TYPE I';
      if (c.type === 'L') return `TYPE L ${decimalByteSize(c.byteSize)}`;
      if (c.format === undefined) return `TYPE ${type}`;
      return `TYPE ${type} ${oneOf(verb, c.format, ['N', 'T', 'C'] as const, 'format')}`;
    }
    case 'MODE':
      return line(verb, oneOf(verb, c.mode, ['S', 'B', 'C'] as const, 'mode'));
    case 'STRU':
      return line(verb, oneOf(verb, c.structure, ['F', 'R', 'P'] as const, 'structure'));
    case 'PROT':
      return line(verb, oneOf(verb, c.level, ['C', 'S', 'E', 'P'] as const, 'level'));
    case 'REST':
      return line(verb, decimal(verb, c.offset, 'offset'));
    case 'ALLO': {
      const size = decimal(verb, c.size, 'size');
      return c.recordSize === undefined
        ? `ALLO ${size}`
        : `ALLO ${size} R ${decimal(verb, c.recordSize, 'recordSize')}`;
    }
    case 'PBSZ':
      return line(verb, decimal(verb, c.size, 'size', MAX_PBSZ));
    case 'PORT':
      return line(
        verb,
        withVerb(verb, () => formatHostPort(c.address)),
      );
    case 'EPRT':
      return line(
        verb,
        withVerb(verb, () => formatEprtArgument(c.address)),
      );
    case 'EPSV':
      return c.argument === undefined
        ? verb
        : line(verb, String(oneOf(verb, c.argument, [1, 2, 'ALL'] as const, 'argument')));
    case 'AUTH':
      return line(verb, token(verb, c.mechanism, 'mechanism'));
    case 'ADAT':
    case 'CONF':
    case 'ENC':
    case 'MIC':
      if (typeof c.data !== 'string' || !isBase64(c.data)) throw invalidValue(verb, 'data must be base64');
      return line(verb, c.data);
    case 'OPTS':
      return line(verb, line(token(verb, c.name, 'name'), optionalField(verb, c.value, 'value')));
    case 'LANG':
      if (c.tag === undefined) return verb;
      if (typeof c.tag !== 'string' || !isLanguageTag(c.tag))
        throw invalidValue(verb, 'tag must be a language tag');
      return line(verb, c.tag);
    case 'HOST':
      if (typeof c.hostname !== 'string' || !isHostname(c.hostname, isIpAddress)) {
        throw invalidValue(verb, 'hostname must be a domain name or a bracketed IP address');
      }
      return line(verb, c.hostname);
    case 'MFMT':
    case 'MFCT': {
      const time = c.time;
      if (!(time instanceof Date)) throw invalidValue(verb, 'time must be a Date');
      const text = withVerb(verb, () =>
        formatTimeVal(time, { milliseconds: time.getUTCMilliseconds() !== 0 }),
      );
      return `${verb} ${text} ${field(verb, c.path, 'path')}`;
    }
    case 'MFF': {
      if (!Array.isArray(c.facts) || c.facts.length === 0)
        throw invalidValue(verb, 'facts must be a non-empty array');
      let facts = '';
      for (const fact of c.facts) {
        const name: unknown = fact?.name;
        const value: unknown = fact?.value;
        if (
          typeof name !== 'string' ||
          typeof value !== 'string' ||
          !isFactName(name) ||
          !isFactValue(value)
        ) {
          throw invalidValue(
            verb,
            'each fact needs a name and a value of printable ASCII without space, ";" or "="',
          );
        }
        facts += `${name.toLowerCase()}=${value};`;
      }
      return `${verb} ${facts} ${field(verb, c.path, 'path')}`;
    }
    default: {
      const unknown: never = c;
      throw invalidValue(
        String((unknown as { verb: unknown }).verb),
        'unknown verb; use an ExtensionCommand',
      );
    }
  }
}

function decimalByteSize(value: unknown): string {
  if (!isDecimalValue(value, 255) || value === 0)
    throw invalidValue('TYPE', 'byteSize must be an integer 1-255');
  return String(value);
}
