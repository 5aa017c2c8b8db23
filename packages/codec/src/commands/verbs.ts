/**
 * The table of every FTP verb the codec knows: its RFC, argument rule, syntax and help text.
 *
 * Owns: `COMMAND_SPECS` (what servers read for HELP, FEAT and their per-verb argument gate,
 * STYLE habit 4), the alias map (XCWD → CWD, ...) and the set of verbs that are recognised only
 * to be refused with 502. It never imports from `node:` and holds data only: the grammars live
 * in `parse-command.ts`.
 */

/** Whether a verb takes an argument: what a server's gate checks before any handler runs. */
export type ArgumentRule = 'none' | 'optional' | 'required';

/** One row of the verb table. */
export interface CommandSpec {
  /** The verb as it appears on the wire, upper-case. */
  readonly verb: string;
  /** Where the verb is defined, e.g. `'RFC 959 §4.1.1'`. */
  readonly rfc: string;
  readonly argument: ArgumentRule;
  /** The grammar in the RFC's notation, e.g. `'CWD <SP> <pathname>'`. */
  readonly syntax: string;
  /** One line of help text, suitable for a `214` reply to `HELP <verb>`. */
  readonly summary: string;
  /** For the RFC 775 `X` verbs: the RFC 959 verb they stand for. */
  readonly aliasOf?: string;
  /**
   * The FEAT line keyword that advertises the verb (RFC 2389 §3.2). Absent for RFC 959 verbs,
   * which a server must not list, and for verbs no RFC gives a feature for.
   */
  readonly feature?: string;
}

const RFC959_ACCESS = 'RFC 959 §4.1.1';
const RFC959_PARAMETER = 'RFC 959 §4.1.2';
const RFC959_SERVICE = 'RFC 959 §4.1.3';
const RFC775 = 'RFC 775';
const RFC2228 = 'RFC 2228 §3';
const MFXX = 'draft-somers-ftp-mfxx';
const HASH_DRAFT = 'draft-bryan-ftpext-hash';
const STREAMLINED = 'draft-peterson-streamlined-ftp-command-extensions';

function spec<V extends string>(
  verb: V,
  rfc: string,
  argument: ArgumentRule,
  syntax: string,
  summary: string,
  extra: { readonly aliasOf?: string; readonly feature?: string } = {},
): CommandSpec & { readonly verb: V } {
  return Object.freeze({ verb, rfc, argument, syntax, summary, ...extra });
}

// Listed in RFC order so that a server's `HELP` (no argument) can print them as they come.
const SPECS = [
  // RFC 959 §4.1.1 access control commands.
  spec('USER', RFC959_ACCESS, 'required', 'USER <SP> <username>', 'Send the user name.'),
  spec('PASS', RFC959_ACCESS, 'optional', 'PASS [<SP> <password>]', 'Send the password.'),
  spec('ACCT', RFC959_ACCESS, 'required', 'ACCT <SP> <account-information>', 'Send account information.'),
  spec('CWD', RFC959_ACCESS, 'required', 'CWD <SP> <pathname>', 'Change the working directory.'),
  spec('CDUP', RFC959_ACCESS, 'none', 'CDUP', 'Change to the parent directory.'),
  spec('SMNT', RFC959_ACCESS, 'required', 'SMNT <SP> <pathname>', 'Mount a file system structure.'),
  spec('REIN', RFC959_ACCESS, 'none', 'REIN', 'Reinitialize the session, keeping the connection.'),
  spec('QUIT', RFC959_ACCESS, 'none', 'QUIT', 'Log out and close the connection.'),
  // RFC 959 §4.1.2 transfer parameter commands.
  spec('PORT', RFC959_PARAMETER, 'required', 'PORT <SP> <host-port>', 'Set the active data address.'),
  spec('PASV', RFC959_PARAMETER, 'none', 'PASV', 'Enter passive mode.'),
  spec('TYPE', RFC959_PARAMETER, 'required', 'TYPE <SP> <type-code>', 'Set the representation type.'),
  spec('STRU', RFC959_PARAMETER, 'required', 'STRU <SP> <structure-code>', 'Set the file structure.'),
  spec('MODE', RFC959_PARAMETER, 'required', 'MODE <SP> <mode-code>', 'Set the transfer mode.'),
  // RFC 959 §4.1.3 FTP service commands.
  spec('RETR', RFC959_SERVICE, 'required', 'RETR <SP> <pathname>', 'Retrieve a file.'),
  spec('STOR', RFC959_SERVICE, 'required', 'STOR <SP> <pathname>', 'Store a file.'),
  spec('STOU', RFC959_SERVICE, 'optional', 'STOU [<SP> <pathname>]', 'Store a file under a unique name.'),
  spec(
    'APPE',
    RFC959_SERVICE,
    'required',
    'APPE <SP> <pathname>',
    'Append to a file, creating it if needed.',
  ),
  spec(
    'ALLO',
    RFC959_SERVICE,
    'required',
    'ALLO <SP> <decimal-integer> [<SP> R <SP> <decimal-integer>]',
    'Reserve storage.',
  ),
  spec(
    'REST',
    'RFC 959 §4.1.3, RFC 3659 §5',
    'required',
    'REST <SP> <decimal-integer>',
    'Restart the next transfer at an offset.',
    {
      feature: 'REST STREAM',
    },
  ),
  spec('RNFR', RFC959_SERVICE, 'required', 'RNFR <SP> <pathname>', 'Name the file to rename.'),
  spec('RNTO', RFC959_SERVICE, 'required', 'RNTO <SP> <pathname>', 'Rename the file named by RNFR.'),
  spec('ABOR', RFC959_SERVICE, 'none', 'ABOR', 'Abort the transfer in progress.'),
  spec('DELE', RFC959_SERVICE, 'required', 'DELE <SP> <pathname>', 'Delete a file.'),
  spec('RMD', RFC959_SERVICE, 'required', 'RMD <SP> <pathname>', 'Remove a directory.'),
  spec('MKD', RFC959_SERVICE, 'required', 'MKD <SP> <pathname>', 'Make a directory.'),
  spec('PWD', RFC959_SERVICE, 'none', 'PWD', 'Print the working directory.'),
  spec('LIST', RFC959_SERVICE, 'optional', 'LIST [<SP> [-<flags> <SP>] <pathname>]', 'List files in detail.'),
  spec('NLST', RFC959_SERVICE, 'optional', 'NLST [<SP> [-<flags> <SP>] <pathname>]', 'List file names.'),
  spec('SITE', RFC959_SERVICE, 'required', 'SITE <SP> <string>', 'Run a site-specific command.'),
  spec('SYST', RFC959_SERVICE, 'none', 'SYST', 'Name the server operating system.'),
  spec('STAT', RFC959_SERVICE, 'optional', 'STAT [<SP> <pathname>]', 'Show status, or list a path.'),
  spec('HELP', RFC959_SERVICE, 'optional', 'HELP [<SP> <string>]', 'Show help.'),
  spec('NOOP', RFC959_SERVICE, 'none', 'NOOP', 'Do nothing.'),
  // RFC 775 experimental verbs: RFC 1123 §4.1.3.1 says every implementation SHOULD accept both forms.
  spec('XCUP', RFC775, 'none', 'XCUP', 'Alias of CDUP.', { aliasOf: 'CDUP' }),
  spec('XCWD', RFC775, 'required', 'XCWD <SP> <pathname>', 'Alias of CWD.', { aliasOf: 'CWD' }),
  spec('XMKD', RFC775, 'required', 'XMKD <SP> <pathname>', 'Alias of MKD.', { aliasOf: 'MKD' }),
  spec('XPWD', RFC775, 'none', 'XPWD', 'Alias of PWD.', { aliasOf: 'PWD' }),
  spec('XRMD', RFC775, 'required', 'XRMD <SP> <pathname>', 'Alias of RMD.', { aliasOf: 'RMD' }),
  // RFC 2228 security extensions (AUTH TLS itself is RFC 4217).
  spec('AUTH', RFC2228, 'required', 'AUTH <SP> <mechanism-name>', 'Start a security exchange.', {
    feature: 'AUTH',
  }),
  spec('ADAT', RFC2228, 'required', 'ADAT <SP> <base64data>', 'Send security data.'),
  spec('PBSZ', RFC2228, 'required', 'PBSZ <SP> <decimal-integer>', 'Set the protection buffer size.', {
    feature: 'PBSZ',
  }),
  spec('PROT', RFC2228, 'required', 'PROT <SP> <prot-code>', 'Set the data channel protection level.', {
    feature: 'PROT',
  }),
  spec('CCC', RFC2228, 'none', 'CCC', 'Clear the command channel.', { feature: 'CCC' }),
  spec('MIC', RFC2228, 'required', 'MIC <SP> <base64data>', 'Send an integrity-protected command.'),
  spec('CONF', RFC2228, 'required', 'CONF <SP> <base64data>', 'Send a confidentiality-protected command.'),
  spec('ENC', RFC2228, 'required', 'ENC <SP> <base64data>', 'Send a private command.'),
  // RFC 2389 feature negotiation.
  spec('FEAT', 'RFC 2389 §3', 'none', 'FEAT', 'List the extensions the server supports.'),
  spec(
    'OPTS',
    'RFC 2389 §4',
    'required',
    'OPTS <SP> <command-name> [<SP> <command-options>]',
    'Set options.',
  ),
  // RFC 2428 IPv6 and NAT.
  spec(
    'EPRT',
    'RFC 2428 §2',
    'required',
    'EPRT <SP> <d><net-prt><d><net-addr><d><tcp-port><d>',
    'Set the active data address.',
    {
      feature: 'EPRT',
    },
  ),
  spec(
    'EPSV',
    'RFC 2428 §3',
    'optional',
    'EPSV [<SP> <net-prt> | <SP> ALL]',
    'Enter extended passive mode.',
    {
      feature: 'EPSV',
    },
  ),
  // RFC 2640 internationalisation.
  spec('LANG', 'RFC 2640 §4.1', 'optional', 'LANG [<SP> <language-tag>]', 'Set the language of replies.', {
    feature: 'LANG',
  }),
  // RFC 3659 extensions.
  spec('SIZE', 'RFC 3659 §4', 'required', 'SIZE <SP> <pathname>', 'Show the size of a file.', {
    feature: 'SIZE',
  }),
  spec('MDTM', 'RFC 3659 §3', 'required', 'MDTM <SP> <pathname>', 'Show the modification time of a file.', {
    feature: 'MDTM',
  }),
  spec('MLST', 'RFC 3659 §7', 'optional', 'MLST [<SP> <pathname>]', 'Show the facts of one entry.', {
    feature: 'MLST',
  }),
  spec('MLSD', 'RFC 3659 §7', 'optional', 'MLSD [<SP> <pathname>]', 'List a directory as fact lines.', {
    feature: 'MLST',
  }),
  // RFC 7151 virtual hosts.
  spec('HOST', 'RFC 7151 §3', 'required', 'HOST <SP> <hostname>', 'Select a virtual host.', {
    feature: 'HOST',
  }),
  // Common extensions with drafts but no RFC.
  spec('MFMT', MFXX, 'required', 'MFMT <SP> <time-val> <SP> <pathname>', 'Set the modification time.', {
    feature: 'MFMT',
  }),
  spec('MFCT', MFXX, 'required', 'MFCT <SP> <time-val> <SP> <pathname>', 'Set the creation time.', {
    feature: 'MFCT',
  }),
  spec('MFF', MFXX, 'required', 'MFF <SP> <fact>=<value>; [...] <SP> <pathname>', 'Set facts of a file.', {
    feature: 'MFF',
  }),
  spec('HASH', HASH_DRAFT, 'required', 'HASH <SP> <pathname>', 'Show the hash of a file.', {
    feature: 'HASH',
  }),
  spec('CLNT', STREAMLINED, 'required', 'CLNT <SP> <client-name>', 'Name the client software.', {
    feature: 'CLNT',
  }),
  spec('AVBL', STREAMLINED, 'optional', 'AVBL [<SP> <pathname>]', 'Show the space available.', {
    feature: 'AVBL',
  }),
] as const satisfies readonly CommandSpec[];

/** Every verb the codec parses, aliases included. */
export type KnownVerb = (typeof SPECS)[number]['verb'];

/** The RFC 775 `X` verbs and the RFC 959 verb each stands for. */
export const COMMAND_ALIASES = Object.freeze({
  XCUP: 'CDUP',
  XCWD: 'CWD',
  XMKD: 'MKD',
  XPWD: 'PWD',
  XRMD: 'RMD',
} as const);

export type AliasVerb = keyof typeof COMMAND_ALIASES;

/** The verb of every parsed command: a known verb that is not an alias. */
export type CanonicalVerb = Exclude<KnownVerb, AliasVerb>;

/**
 * The verb table, keyed by upper-case verb. A null-prototype object, so that a lookup with a
 * wire string such as `constructor` finds nothing rather than a property of `Object.prototype`.
 */
export const COMMAND_SPECS: Readonly<Record<KnownVerb, CommandSpec>> = Object.freeze(
  Object.assign(
    Object.create(null) as Record<KnownVerb, CommandSpec>,
    Object.fromEntries(SPECS.map((s) => [s.verb, s])),
  ),
);

const SPEC_MAP: ReadonlyMap<string, CommandSpec> = new Map(SPECS.map((s) => [s.verb, s]));

/** The spec of a verb, case-insensitively (RFC 959 §5.3.1); `undefined` for an unknown verb. */
export function getCommandSpec(verb: string): CommandSpec | undefined {
  if (typeof verb !== 'string') return undefined;
  return SPEC_MAP.get(verb) ?? SPEC_MAP.get(verb.toUpperCase());
}

/**
 * Verbs of older FTP documents that a server recognises only to answer 502 "Command not
 * implemented" (RFC 959 §4.2.1), rather than 500 "command unrecognized": the RFC 765 mail verbs
 * that RFC 959 dropped, and RFC 1639's LPRT/LPSV, superseded by EPRT/EPSV (RFC 2428 §1).
 */
export const NOT_IMPLEMENTED_VERBS: ReadonlySet<string> = new Set([
  'MAIL',
  'MLFL',
  'MRCP',
  'MRSQ',
  'MSAM',
  'MSND',
  'MSOM',
  'LPRT',
  'LPSV',
]);
