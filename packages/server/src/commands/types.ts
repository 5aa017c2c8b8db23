/**
 * What a command handler is and what it sees: the extension contract of the command registry.
 *
 * Owns: `CommandDefinition` (a verb, its per-verb table row and its handler), `SiteCommandDefinition`,
 * the `CommandContext` handlers receive, and `ReplyError` (throw it to answer with a given reply).
 * Types only, plus the error class. Built-in verbs (one file each in this directory) use exactly
 * this contract, so a user's definition can replace any of them.
 *
 * The per-verb table row (pyftpdlib's `proto_cmds`, STYLE habit 4) is checked ONCE by the policy
 * layers (src/policy) before any handler runs: `login` (530), `tlsExempt` (requireTls: 530),
 * `permission` (550). Argument rules come from the codec's parse (500/501/502/504).
 */

import type { Readable, Transform, Writable } from 'node:stream';
import type { Command, ExtensionCommand, ReplyText } from '@ftpkit/codec';
import { FtpkitError } from '@ftpkit/codec';
import type { DataChannel } from '@ftpkit/transport';
import type { AuthenticatedUser, Permission } from '../auth/authenticator.js';
import { ServerErrorCodes } from '../errors.js';
import type { ServerEventName, ServerEvents } from '../events.js';
import type { FileSystem } from '../fs/file-system.js';
import type { Logger } from '../logger.js';
import type { HashAlgorithmName, ResolvedServerOptions, VirtualHostOptions } from '../options.js';
import type { SessionEvent, SessionState } from '../session/state.js';

/** Transfer and protocol settings of one session: values, not states (see session/state.ts). */
export interface SessionSettings {
  /** TYPE: 'A' converts line endings both ways (RFC 959 §3.1.1.1); 'I' (and L 8) is binary. */
  type: 'A' | 'I';
  /** REST offset for the next RETR/STOR (RFC 3659 §5); reset by any transfer. */
  restOffset: number;
  /** RNFR path awaiting RNTO. */
  renameFrom: string | undefined;
  /** PBSZ received after AUTH TLS (RFC 4217 §8: PROT needs it first). */
  pbsz: boolean;
  /** PROT level: 'C' clear, 'P' private (TLS) data connections. */
  prot: 'C' | 'P';
  /** After `EPSV ALL`, PORT/EPRT/PASV are refused (RFC 2428 §4). */
  epsvAll: boolean;
  /** Facts MLSx prints (`OPTS MLST`). */
  mlstFacts: readonly string[];
  /** Algorithm of HASH (`OPTS HASH`). */
  hashAlgorithm: HashAlgorithmName;
  /** User name from USER, until PASS. */
  pendingUser: string | undefined;
  /** Virtual host chosen by HOST (RFC 7151), if any. */
  virtualHost: { readonly name: string; readonly options: VirtualHostOptions } | undefined;
  /** Client name from CLNT. */
  clientName: string | undefined;
}

export interface DataTransferOptions {
  /** Text of the 150 reply. */
  readonly preliminary: string;
  /** Streams between the file and the socket (ASCII is added by the session for TYPE A when `ascii`). */
  readonly transforms?: readonly Transform[];
  /** Apply TYPE A conversion. Default false (listings are produced with CRLF already). */
  readonly ascii?: boolean;
  /**
   * The whole body is small (a few KiB) and ready: on a plain data connection the session may
   * hold the 150 back for a moment and send it with the final reply in one write (one packet
   * and one wake-up of the client fewer per file). It never holds it longer than
   * HELD_PRELIMINARY_MS, so a client that reads no data before the 150 cannot stall.
   */
  readonly small?: boolean;
}

/**
 * The session as a handler sees it. Handlers reply with `reply()` (formatted by the codec), read
 * paths through `resolvePath()` (the jail), and move data with `sendData()` / `receiveData()`,
 * which open the data connection the client prepared (PASV/EPSV/PORT/EPRT), send the 150 and
 * report failures as `ReplyError`s (425, 426, 521, 522). They never touch a socket.
 */
export interface CommandContext {
  /** Per-server sequential id. */
  readonly id: number;
  readonly remoteAddress: string;
  readonly localAddress: string;
  /** True once the control connection is TLS (AUTH TLS done, or implicit FTPS). */
  readonly secure: boolean;
  readonly state: SessionState;
  /** The logged-in user; undefined before login (the gate guarantees it for `login: true` verbs). */
  readonly user: AuthenticatedUser | undefined;
  /** The user's filesystem. Throws InvalidStateError before login. */
  readonly fileSystem: FileSystem;
  /** The working directory, a normalised virtual path. */
  cwd: string;
  readonly settings: SessionSettings;
  readonly options: ResolvedServerOptions;
  readonly logger: Logger;
  /** Aborted by ABOR (for transfer commands) and when the connection closes. */
  readonly signal: AbortSignal;
  /** Milliseconds since the command arrived. */
  elapsed(): number;
  reply(code: number, text: ReplyText): Promise<void>;
  /** Client path → normalised virtual path inside the root (throws VirtualPathError: 501/553). */
  resolvePath(input?: string): string;
  /** Moves the state machine (throws InvalidStateError on an illegal transition). */
  transition(event: SessionEvent): void;
  emit<K extends ServerEventName>(event: K, payload: ServerEvents[K]): void;
  /** Sends `source` over the prepared data connection after a 150. The caller sends the 226. */
  sendData(source: Readable, options: DataTransferOptions): Promise<{ bytes: number }>;
  /** Receives into `destination` over the prepared data connection after a 150. The caller sends the 226. */
  receiveData(destination: Writable, options: DataTransferOptions): Promise<{ bytes: number }>;
  /** Internal plumbing for built-in verbs (PASV, PORT, AUTH, ABOR, ...). Not a stable API. */
  readonly internals: SessionInternals;
}

/** What only the built-in verbs need. Subject to change between minor versions. */
export interface SessionInternals {
  readonly registry: CommandRegistryView;
  preparePassive(extended: boolean): Promise<{ host: string; port: number; family: 'IPv4' | 'IPv6' }>;
  prepareActive(host: string, port: number): void;
  clearPendingData(): Promise<void>;
  readonly hasPendingData: boolean;
  upgradeTls(): Promise<void>;
  readonly tlsAvailable: boolean;
  abortTransfer(): Promise<boolean>;
  readonly transferStatus: string | undefined;
  login(username: string, password: string): Promise<void>;
  logout(reason: 'quit' | 'rein' | 'disconnect'): void;
  close(): Promise<void>;
  openData(): Promise<DataChannel>;
}

export interface CommandRegistryView {
  get(verb: string): CommandDefinition | undefined;
  site(name: string): SiteCommandDefinition | undefined;
  readonly verbs: readonly string[];
  readonly siteNames: readonly string[];
  isEnabled(verb: string): boolean;
}

/** A handler's view of the command: the codec's typed command, or an extension verb. */
export type AnyCommand = Command | ExtensionCommand;

export interface CommandDefinition<C extends AnyCommand = AnyCommand> {
  /** Upper-case verb (the RFC 959 one for aliased verbs: the codec maps XCWD → CWD). */
  readonly verb: string;
  /** Needs a logged-in user (else 530). */
  readonly login: boolean;
  /** Allowed before AUTH TLS when `requireTls` is on (else 530). Default false. */
  readonly tlsExempt?: boolean;
  /** A user permission checked before the handler runs (else 550). */
  readonly permission?: Permission;
  /**
   * A data-transfer command: it runs while the session keeps reading the control connection, so
   * ABOR and STAT can be answered during the transfer.
   */
  readonly transfer?: boolean;
  /** Answered at once during a transfer (ABOR, STAT, NOOP). */
  readonly duringTransfer?: boolean;
  /** HELP text when the codec has none (custom verbs). */
  readonly help?: string;
  /** FEAT lines this verb contributes (RFC 2389), given the session. */
  readonly features?: (ctx: CommandContext) => readonly string[];
  handle(ctx: CommandContext, command: C): Promise<void> | void;
}

export interface SiteCommandDefinition {
  /** Upper-case subcommand name (`SITE CHMOD` → 'CHMOD'). */
  readonly name: string;
  /** Needs a logged-in user. Default true. */
  readonly login?: boolean;
  readonly permission?: Permission;
  /** One line for `SITE HELP`. */
  readonly help?: string;
  handle(ctx: CommandContext, argument: string | undefined): Promise<void> | void;
}

/** Throw from a handler to answer with this reply (the dispatcher sends it; nothing is logged as an error). */
export class ReplyError extends FtpkitError {
  override name = 'ReplyError';
  readonly replyCode: number;
  readonly replyText: ReplyText;

  constructor(replyCode: number, replyText: ReplyText, options: { cause?: unknown } = {}) {
    super(
      ServerErrorCodes.COMMAND_REPLY,
      typeof replyText === 'string' ? replyText : replyText.join(' '),
      options,
    );
    this.replyCode = replyCode;
    this.replyText = replyText;
  }
}

/** Helper that keeps the command type of a definition: `defineCommand<CommandOf<'CWD'>>({...})`. */
export function defineCommand<C extends AnyCommand>(definition: CommandDefinition<C>): CommandDefinition {
  return definition as unknown as CommandDefinition;
}
