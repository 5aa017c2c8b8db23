/**
 * The transcript model: what a `.ftp` file says, as plain readonly values (see FORMAT.md).
 *
 * Owns: the types the parser produces and the replayers consume. Imports nothing.
 */

/** How much a transcript's failure matters: RFC 2119 MUST, SHOULD, or a security practice. */
export type Level = 'MUST' | 'SHOULD' | 'SECURITY';

/** Which side the replayer plays: `server` transcripts drive a server, `client` ones a client. */
export type Direction = 'server' | 'client';

/** One piece of a client line or a data payload: literal bytes or a `{variable}`. */
export type TextPart =
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array }
  | { readonly kind: 'var'; readonly name: string };

/** A line or payload template: literal bytes and variables, substituted at replay time. */
export interface Template {
  readonly parts: readonly TextPart[];
  /** The source text, for reports. */
  readonly source: string;
}

/** One alternative of an expected reply code: exact (`331`), a class (`2xx`) or a group (`55x`). */
export interface CodePattern {
  readonly source: string;
  /** Digits, with `undefined` for an `x`. */
  readonly digits: readonly [number | undefined, number | undefined, number | undefined];
}

export interface ReplyExpectation {
  readonly codes: readonly CodePattern[];
  /** The reply must be (true) or must not be (false) multi-line; undefined: either. */
  readonly multiline?: boolean;
  /** Must match the reply text (lines joined with `\n`); named groups become variables. */
  readonly pattern?: RegExp;
  /** Must not match the reply text. */
  readonly antiPattern?: RegExp;
  /** Store the pathname of a 257 reply (the codec's `parsePathnameReply`) in this variable. */
  readonly capturePath?: string;
}

export type ListingFormatName = 'unix' | 'dos' | 'mlsd' | 'any';

export type DataAction =
  /** Connect to the address of the last 227/229 reply (from `from`, a local source address). */
  | { readonly kind: 'connect'; readonly from?: string; readonly tls?: boolean }
  /** Listen for the server (PORT/EPRT); sets {port_arg} and {eprt_arg}. */
  | { readonly kind: 'listen'; readonly on?: string; readonly tls?: boolean }
  | { readonly kind: 'send'; readonly payload: Template }
  | { readonly kind: 'expect'; readonly payload: Template }
  | { readonly kind: 'expect-size'; readonly size: number }
  | {
      readonly kind: 'expect-listing';
      readonly format: ListingFormatName;
      readonly contains: readonly string[];
      readonly lacks: readonly string[];
    }
  | { readonly kind: 'expect-names'; readonly contains: readonly string[]; readonly lacks: readonly string[] }
  /** The data connection was refused, closed without data, or never arrived (listen). */
  | { readonly kind: 'expect-refused' }
  | { readonly kind: 'close' }
  | { readonly kind: 'abort' }
  /** Client direction: listen, then expect EPSV or PASV and answer it with 229 or 227. */
  | { readonly kind: 'passive'; readonly tls?: boolean }
  /** Client direction: expect EPRT or PORT and answer 200; `@data connect` connects to it later. */
  | { readonly kind: 'active' };

export type Step =
  /** Client line, CRLF appended (`C:`), or raw bytes (`@send`). */
  | { readonly kind: 'send'; readonly line: number; readonly text: Template; readonly crlf: boolean }
  /** `S:` — the next reply must match; `S?:` — consumed only if it matches. */
  | {
      readonly kind: 'reply';
      readonly line: number;
      readonly expect: ReplyExpectation;
      readonly optional: boolean;
    }
  | { readonly kind: 'login'; readonly line: number }
  /** Control TLS handshake after 234; `orDone`: a failed handshake ends the transcript, passed. */
  | { readonly kind: 'tls'; readonly line: number; readonly orDone: boolean }
  | { readonly kind: 'data'; readonly line: number; readonly action: DataAction }
  | { readonly kind: 'wait'; readonly line: number; readonly ms: number }
  | { readonly kind: 'expect-close'; readonly line: number }
  /** Drop the control connection and open a new one (greeting checked): the server survived. */
  | { readonly kind: 'reconnect'; readonly line: number }
  /** End the transcript here, passed, if the last reply matched: optional commands answered 502. */
  | { readonly kind: 'done-if'; readonly line: number; readonly expect: ReplyExpectation }
  | { readonly kind: 'set'; readonly line: number; readonly name: string; readonly value: Template }
  // ---- client direction (the replayer plays the server) ----
  /** `C:` in a client transcript: the client's next command must match one of the patterns. */
  | { readonly kind: 'expect-command'; readonly line: number; readonly patterns: readonly CommandPattern[] }
  /** `S:` in a client transcript: send this reply line (CRLF appended). */
  | { readonly kind: 'reply-line'; readonly line: number; readonly text: Template }
  /** `@seen PATTERN`: the client has sent a matching command at some point so far. */
  | { readonly kind: 'seen'; readonly line: number; readonly patterns: readonly CommandPattern[] }
  /** `@outcome ...`: after the client finished: its exit status, its local file, its output. */
  | { readonly kind: 'outcome'; readonly line: number; readonly check: OutcomeCheck };

/** A command the client must send: verb (case-insensitive) and argument, or a regex on the line. */
export type CommandPattern =
  | {
      readonly kind: 'command';
      readonly source: string;
      readonly verb: string;
      /** undefined: no argument; 'any': any non-empty argument (`*`); else the exact argument. */
      readonly argument: Template | 'any' | undefined;
    }
  | { readonly kind: 'regex'; readonly source: string; readonly regex: RegExp };

export type OutcomeCheck =
  | { readonly kind: 'status'; readonly ok: boolean }
  | { readonly kind: 'file'; readonly content: Template }
  | { readonly kind: 'no-file' }
  | { readonly kind: 'output'; readonly contains: readonly string[]; readonly lacks: readonly string[] };

/** Client direction: what the client under test is asked to do (`operation:` header). */
export interface ClientOperation {
  /** `download`, `upload` or `list`. */
  readonly name: 'download' | 'upload' | 'list';
  /** The remote path (`path=`), empty for the login directory. */
  readonly path: string;
  /** Explicit FTPS (AUTH TLS, PBSZ 0, PROT P). */
  readonly tls: boolean;
  /** Active mode (PORT/EPRT) instead of passive. */
  readonly active: boolean;
  /** Resume: continue the local file (download) with REST. */
  readonly resume: boolean;
  /** User name the client logs in with (`user=`), default `ftpkit`. */
  readonly user: string;
  readonly password: string;
}

/** Client direction: a reply for a command the client may send at any point (`answer:` header). */
export interface Answer {
  /** Upper-case verb. */
  readonly verb: string;
  /** The reply line, e.g. `257 "/"`. */
  readonly reply: Template;
}

/** A fixture the replayer creates in the transcript's scratch directory {dir} before it runs. */
export type SetupItem =
  | { readonly kind: 'file'; readonly name: string; readonly content: Template }
  | { readonly kind: 'dir'; readonly name: string };

/** Targets allowed to fail this transcript, and the RFC text that allows it. */
export interface Justification {
  /** Target names (`vsftpd`, `pyftpdlib`, ...); `*` matches every target. */
  readonly targets: readonly string[];
  readonly text: string;
}

/** What a target must offer for the transcript to apply; otherwise it is "not applicable". */
export type Requirement = 'login' | 'write' | 'tls';

export interface Transcript {
  /** Stable identity: the path under the corpus without `.ftp`, e.g. `rfc959/5.4-rename`. */
  readonly id: string;
  readonly file: string;
  readonly title: string;
  /** e.g. `RFC 959 §5.4`. */
  readonly rfc: string;
  /** The RFC number, from `rfc`, for counts. */
  readonly rfcNumber: number;
  readonly level: Level;
  readonly direction: Direction;
  readonly tags: readonly string[];
  readonly requires: readonly Requirement[];
  /** FEAT labels the server must advertise (RFC 2389), else not applicable. */
  readonly features: readonly string[];
  /** `self`: the transcript negotiates security itself and always starts in the clear. */
  readonly session: 'target' | 'self';
  readonly setup: readonly SetupItem[];
  readonly justifications: readonly Justification[];
  /** Per-step timeout override in ms. */
  readonly stepTimeout?: number;
  /** Client direction: the operation the client performs. */
  readonly operation?: ClientOperation;
  /** Client direction: replies to commands the client may send at any point (besides the defaults). */
  readonly answers: readonly Answer[];
  /** Client direction: the local file before the operation (upload source, partial download). */
  readonly local?: Template;
  readonly steps: readonly Step[];
}
