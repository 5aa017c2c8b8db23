/**
 * The typed commands: what `parseCommand` returns and `formatCommand` takes.
 *
 * Owns: one readonly plain-object shape per verb, discriminated by `verb` (the RFC 959 verb,
 * upper-case; an RFC 775 alias is recorded in `alias`, see `verbs.ts`). Types only: nothing here
 * runs.
 */

import type { ExtendedAddress, HostPort } from '../addresses/index.js';
import type { AliasVerb, COMMAND_ALIASES } from './verbs.js';

type AliasFor<V extends string> = {
  [A in AliasVerb]: (typeof COMMAND_ALIASES)[A] extends V ? A : never;
}[AliasVerb];

/**
 * Present only when the client sent an RFC 775 alias (XCWD, XCUP, XMKD, XPWD, XRMD), so that a
 * server can answer in kind and a log shows what was really sent.
 */
type WithAlias<V extends string> = [AliasFor<V>] extends [never] ? unknown : { readonly alias?: AliasFor<V> };

/** Verbs that take no argument (RFC 959 §5.3.2: the verb alone). */
export type NoArgumentVerb =
  | 'ABOR'
  | 'CCC'
  | 'CDUP'
  | 'FEAT'
  | 'NOOP'
  | 'PASV'
  | 'PWD'
  | 'QUIT'
  | 'REIN'
  | 'SYST';

/** Verbs whose argument is one required `<pathname>` (RFC 959 §5.3.2 `<pathname> ::= <string>`). */
export type PathVerb =
  | 'APPE'
  | 'CWD'
  | 'DELE'
  | 'HASH'
  | 'MDTM'
  | 'MKD'
  | 'RETR'
  | 'RMD'
  | 'RNFR'
  | 'RNTO'
  | 'SIZE'
  | 'SMNT'
  | 'STOR';

/** Verbs whose argument is an optional `<pathname>`. */
export type OptionalPathVerb = 'AVBL' | 'MLSD' | 'MLST' | 'STAT' | 'STOU';

/** The listing verbs that accept `ls`-style flags before the path (see `parse-command.ts`). */
export type ListVerb = 'LIST' | 'NLST';

/** RFC 2228 verbs whose argument is `<base64data>`. */
export type SecurityDataVerb = 'ADAT' | 'CONF' | 'ENC' | 'MIC';

/** draft-somers-ftp-mfxx verbs that set one time on a path. */
export type SetTimeVerb = 'MFCT' | 'MFMT';

export type NoArgumentCommand = {
  [V in NoArgumentVerb]: { readonly verb: V } & WithAlias<V>;
}[NoArgumentVerb];

export type PathCommand = {
  [V in PathVerb]: { readonly verb: V; readonly path: string } & WithAlias<V>;
}[PathVerb];

export type OptionalPathCommand = {
  [V in OptionalPathVerb]: { readonly verb: V; readonly path?: string };
}[OptionalPathVerb];

export type ListCommand = {
  [V in ListVerb]: {
    readonly verb: V;
    /** The letters of leading `-flags` words, in order, without dashes: `LIST -la` → `'la'`. */
    readonly flags?: string;
    readonly path?: string;
  };
}[ListVerb];

export type SecurityDataCommand = {
  [V in SecurityDataVerb]: {
    readonly verb: V;
    /** The base64 text as sent (RFC 2228 §3); decoding it is the security mechanism's job. */
    readonly data: string;
  };
}[SecurityDataVerb];

export type SetTimeCommand = {
  [V in SetTimeVerb]: { readonly verb: V; readonly time: Date; readonly path: string };
}[SetTimeVerb];

export interface UserCommand {
  readonly verb: 'USER';
  readonly username: string;
}

export interface PassCommand {
  readonly verb: 'PASS';
  /** `''` when the client sent `PASS` without an argument. */
  readonly password: string;
}

export interface AcctCommand {
  readonly verb: 'ACCT';
  readonly account: string;
}

export interface PortCommand {
  readonly verb: 'PORT';
  readonly address: HostPort;
}

export interface EprtCommand {
  readonly verb: 'EPRT';
  readonly address: ExtendedAddress;
}

export interface EpsvCommand {
  readonly verb: 'EPSV';
  /** RFC 2428 §3: a network protocol to listen for, or `'ALL'` (only EPSV from now on). */
  readonly argument?: 1 | 2 | 'ALL';
}

/** RFC 959 §3.1.1.5 format control of types A and E: Non-print, Telnet, Carriage control (ASA). */
export type FormatControl = 'N' | 'T' | 'C';

/** RFC 959 §4.1.2 `<type-code>`. */
export type TypeCommand =
  | {
      readonly verb: 'TYPE';
      readonly type: 'A' | 'E';
      /** Absent when the client sent the type alone; RFC 959 §3.1.1.5 makes the default N. */
      readonly format?: FormatControl;
    }
  | { readonly verb: 'TYPE'; readonly type: 'I' }
  | {
      readonly verb: 'TYPE';
      readonly type: 'L';
      /** Bits per logical byte, 1–255 (RFC 959 §5.3.2 `<byte-size>`). */
      readonly byteSize: number;
    };

export interface ModeCommand {
  readonly verb: 'MODE';
  /** RFC 959 §3.4: Stream, Block, Compressed. */
  readonly mode: 'S' | 'B' | 'C';
}

export interface StruCommand {
  readonly verb: 'STRU';
  /** RFC 959 §3.1.2: File, Record, Page. */
  readonly structure: 'F' | 'R' | 'P';
}

export interface AlloCommand {
  readonly verb: 'ALLO';
  readonly size: number;
  /** The `R <decimal-integer>` maximum record or page size (RFC 959 §4.1.3). */
  readonly recordSize?: number;
}

export interface RestCommand {
  readonly verb: 'REST';
  /** Byte offset at which the next transfer starts (RFC 3659 §5, stream mode). */
  readonly offset: number;
}

export interface SiteCommand {
  readonly verb: 'SITE';
  /** The first word, upper-cased: `SITE chmod 755 f` → `'CHMOD'`. */
  readonly subcommand: string;
  /** Everything after the first space that follows the subcommand, as sent. */
  readonly argument?: string;
}

export interface HelpCommand {
  readonly verb: 'HELP';
  /** The topic as sent (usually a verb, matched case-insensitively by the server). */
  readonly topic?: string;
}

export interface AuthCommand {
  readonly verb: 'AUTH';
  /** Upper-cased mechanism name: `TLS`, `SSL`, `TLS-C`, `TLS-P`, `GSSAPI`, ... (RFC 2228 §3). */
  readonly mechanism: string;
}

export interface PbszCommand {
  readonly verb: 'PBSZ';
  /** 0–4294967295 (RFC 2228 §3: a 32-bit unsigned decimal integer). */
  readonly size: number;
}

export interface ProtCommand {
  readonly verb: 'PROT';
  /** RFC 2228 §3: Clear, Safe, Confidential, Private. */
  readonly level: 'C' | 'S' | 'E' | 'P';
}

export interface OptsCommand {
  readonly verb: 'OPTS';
  /** Upper-cased command name: `UTF8`, `MLST`, `HASH`, ... (RFC 2389 §4). */
  readonly name: string;
  /** The options after the name, as sent: `ON`, `type;size;`, `SHA-256`. */
  readonly value?: string;
}

export interface LangCommand {
  readonly verb: 'LANG';
  /** RFC 2640 §4.1 language tag as sent; absent to return to the server's default language. */
  readonly tag?: string;
}

export interface HostCommand {
  readonly verb: 'HOST';
  /** RFC 7151 §3 hostname as sent: a domain name, or an IP literal in brackets (`[::1]`). */
  readonly hostname: string;
}

export interface ClntCommand {
  readonly verb: 'CLNT';
  /** The client's self-description, as sent. */
  readonly client: string;
}

/** One `<fact>=<value>` of MFF. */
export interface MffFact {
  /** Lower-cased: fact names are case-insensitive (RFC 3659 §7.1). */
  readonly name: string;
  readonly value: string;
}

export interface MffCommand {
  readonly verb: 'MFF';
  /** In the order sent. An array, not a record: order is kept and no name can clash with `__proto__`. */
  readonly facts: readonly MffFact[];
  readonly path: string;
}

/** Every command the codec parses, discriminated by `verb`. */
export type Command =
  | NoArgumentCommand
  | PathCommand
  | OptionalPathCommand
  | ListCommand
  | SecurityDataCommand
  | SetTimeCommand
  | UserCommand
  | PassCommand
  | AcctCommand
  | PortCommand
  | EprtCommand
  | EpsvCommand
  | TypeCommand
  | ModeCommand
  | StruCommand
  | AlloCommand
  | RestCommand
  | SiteCommand
  | HelpCommand
  | AuthCommand
  | PbszCommand
  | ProtCommand
  | OptsCommand
  | LangCommand
  | HostCommand
  | ClntCommand
  | MffCommand;

/** The command of a given verb: `CommandOf<'CWD'>`. */
export type CommandOf<V extends Command['verb']> = Extract<Command, { readonly verb: V }>;

/**
 * A verb the codec does not parse, returned only when the caller asked with `allowUnknown` (a
 * server's custom verbs). It carries `extension: true`, which no `Command` has, so that callers
 * check `isExtensionCommand` before switching on `verb`.
 */
export interface ExtensionCommand {
  readonly verb: string;
  readonly extension: true;
  /** Everything after the first space, as sent; absent when there was none. */
  readonly argument?: string;
}
