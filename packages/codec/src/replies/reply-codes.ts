/**
 * FTP reply codes: which numbers are replies, what their digits mean, and their standard texts.
 *
 * Owns: the validity rule shared by the reply formatter and the reply parser, the first-digit
 * classes and second-digit function groups of RFC 959 §4.2.1, the `ReplyCode` names and the
 * `REPLY_TEXTS` table. Imports only the error type and a message helper: servers, clients and the CLI all
 * read codes from here.
 */

import { CodecError, CodecErrorCodes } from '../errors.js';
import { describeValue } from './guards.js';

/**
 * Named reply codes. RFC 959 §4.2.2 unless noted; the names follow the RFC's wording so a reader
 * can find the code in the RFC from the name.
 */
export const ReplyCode = {
  // 1yz Positive Preliminary (RFC 959 §4.2.1): another reply follows before the next command.
  /** 110: the text is exactly `MARK yyyy = mmmm` (RFC 959 §4.2.2). */
  RestartMarker: 110,
  /** 120: `Service ready in nnn minutes.` */
  ServiceReadyInMinutes: 120,
  DataConnectionAlreadyOpen: 125,
  FileStatusOk: 150,

  // 2yz Positive Completion.
  CommandOk: 200,
  CommandSuperfluous: 202,
  SystemStatus: 211,
  DirectoryStatus: 212,
  FileStatus: 213,
  HelpMessage: 214,
  SystemType: 215,
  ServiceReady: 220,
  ServiceClosingControlConnection: 221,
  DataConnectionOpen: 225,
  ClosingDataConnection: 226,
  EnteringPassiveMode: 227,
  /** 228: LPSV (RFC 1639 §2). */
  EnteringLongPassiveMode: 228,
  /** 229: EPSV (RFC 2428 §3). */
  EnteringExtendedPassiveMode: 229,
  UserLoggedIn: 230,
  /** 232: RFC 2228 §4 (ADAT/USER after a security exchange). */
  UserLoggedInSecurity: 232,
  /** 234: RFC 2228 §4; the `AUTH TLS` acceptance of RFC 4217 §4. */
  SecurityDataExchangeComplete: 234,
  /** 235: RFC 2228 §4. */
  SecurityDataExchangeSuccessful: 235,
  FileActionOk: 250,
  PathnameCreated: 257,

  // 3yz Positive Intermediate.
  UserNameOk: 331,
  NeedAccount: 332,
  /** 334: RFC 2228 §4. */
  SecurityMechanismOk: 334,
  /** 335: RFC 2228 §4. */
  SecurityDataAcceptable: 335,
  /** 336: RFC 2228 §4. */
  UserNameOkNeedPasswordChallenge: 336,
  FileActionPending: 350,

  // 4yz Transient Negative Completion.
  ServiceNotAvailable: 421,
  CannotOpenDataConnection: 425,
  ConnectionClosedTransferAborted: 426,
  /** 431: RFC 2228 §4. */
  NeedUnavailableSecurityResource: 431,
  FileUnavailableBusy: 450,
  LocalProcessingError: 451,
  InsufficientStorage: 452,

  // 5yz Permanent Negative Completion.
  SyntaxError: 500,
  SyntaxErrorInArguments: 501,
  NotImplemented: 502,
  BadSequence: 503,
  ParameterNotImplemented: 504,
  /** 522: RFC 2428 §2 (EPRT/EPSV with an unsupported network protocol). */
  NetworkProtocolNotSupported: 522,
  NotLoggedIn: 530,
  NeedAccountForStoring: 532,
  /** 533..537: RFC 2228 §4. */
  CommandProtectionDenied: 533,
  RequestDeniedForPolicy: 534,
  FailedSecurityCheck: 535,
  ProtectionLevelNotSupported: 536,
  CommandProtectionNotSupported: 537,
  FileUnavailable: 550,
  PageTypeUnknown: 551,
  ExceededStorageAllocation: 552,
  FileNameNotAllowed: 553,
  /** 554: RFC 3659 §5.5 (REST offset the transfer cannot honour). */
  InvalidRestParameter: 554,
  /** 555: RFC 3659 §5.5 (REST marker taken under another TYPE or STRU). */
  TypeOrStruMismatch: 555,

  // 6yz Protected reply (RFC 2228 §4): the text is a base64 reply protected by MIC/CONF/ENC.
  IntegrityProtectedReply: 631,
  ConfidentialityAndIntegrityProtectedReply: 632,
  ConfidentialityProtectedReply: 633,
} as const;

/** One of the named codes. Replies in general carry any valid code (`number`). */
export type ReplyCode = (typeof ReplyCode)[keyof typeof ReplyCode];

/**
 * Standard texts for every named code: the RFC's own wording, cut to its first sentence. A few
 * are templates that a server must fill in before sending (110, 120, 215, 227, 228, 229, 257,
 * 522); they are listed as the RFC prints them.
 */
export const REPLY_TEXTS: Readonly<Record<number, string>> = Object.freeze({
  110: 'MARK yyyy = mmmm',
  120: 'Service ready in nnn minutes.',
  125: 'Data connection already open; transfer starting.',
  150: 'File status okay; about to open data connection.',
  200: 'Command okay.',
  202: 'Command not implemented, superfluous at this site.',
  211: 'System status, or system help reply.',
  212: 'Directory status.',
  213: 'File status.',
  214: 'Help message.',
  215: 'NAME system type.',
  220: 'Service ready for new user.',
  221: 'Service closing control connection.',
  225: 'Data connection open; no transfer in progress.',
  226: 'Closing data connection.',
  227: 'Entering Passive Mode (h1,h2,h3,h4,p1,p2).',
  228: 'Entering Long Passive Mode (long address, port).',
  229: 'Entering Extended Passive Mode (|||port|).',
  230: 'User logged in, proceed.',
  232: 'User logged in, authorized by security data exchange.',
  234: 'Security data exchange complete.',
  235: 'Security data exchange completed successfully.',
  250: 'Requested file action okay, completed.',
  257: '"PATHNAME" created.',
  331: 'User name okay, need password.',
  332: 'Need account for login.',
  334: 'Requested security mechanism is ok.',
  335: 'Security data is acceptable; more is required.',
  336: 'Username okay, need password.',
  350: 'Requested file action pending further information.',
  421: 'Service not available, closing control connection.',
  425: "Can't open data connection.",
  426: 'Connection closed; transfer aborted.',
  431: 'Need some unavailable resource to process security.',
  450: 'Requested file action not taken.',
  451: 'Requested action aborted: local error in processing.',
  452: 'Requested action not taken. Insufficient storage space in system.',
  500: 'Syntax error, command unrecognized.',
  501: 'Syntax error in parameters or arguments.',
  502: 'Command not implemented.',
  503: 'Bad sequence of commands.',
  504: 'Command not implemented for that parameter.',
  522: 'Network protocol not supported, use (1,2).',
  530: 'Not logged in.',
  532: 'Need account for storing files.',
  533: 'Command protection level denied for policy reasons.',
  534: 'Request denied for policy reasons.',
  535: 'Failed security check.',
  536: 'Requested PROT level not supported by mechanism.',
  537: 'Command protection level not supported by security mechanism.',
  550: 'Requested action not taken. File unavailable.',
  551: 'Requested action aborted: page type unknown.',
  552: 'Requested file action aborted. Exceeded storage allocation.',
  553: 'Requested action not taken. File name not allowed.',
  554: 'Requested action not taken: invalid REST parameter.',
  555: 'Requested action not taken: type or stru mismatch.',
  631: 'Integrity protected reply.',
  632: 'Confidentiality and integrity protected reply.',
  633: 'Confidentiality protected reply.',
});

/**
 * True for a number that can be a reply code on the wire: an integer 100..599 (RFC 959 §4.2:
 * the first digit is 1..5), or one of RFC 2228 §4's three protected-reply codes 631..633. Other
 * 6yz numbers are defined by no RFC and are refused, so that a formatter bug (a 600) is caught.
 */
export function isReplyCode(code: number): boolean {
  return Number.isInteger(code) && ((code >= 100 && code <= 599) || (code >= 631 && code <= 633));
}

/** The first digit of a reply code (RFC 959 §4.2.1); 6 is RFC 2228's protected reply. */
export type ReplyClass = 1 | 2 | 3 | 4 | 5 | 6;

/** The first digit of `code`. Throws INVALID_ARGUMENT for a number that is not a reply code. */
export function replyClass(code: number): ReplyClass {
  assertReplyCode(code);
  return ((code / 100) | 0) as ReplyClass;
}

/**
 * The function group named by the second digit (RFC 959 §4.2.1). RFC 2228's 63z protected
 * replies fall in `authentication`. Second digits 4 and 6..9 are "unspecified as yet".
 */
export type ReplyFunctionGroup =
  | 'syntax'
  | 'information'
  | 'connections'
  | 'authentication'
  | 'unspecified'
  | 'file-system';

const GROUPS: readonly ReplyFunctionGroup[] = [
  'syntax',
  'information',
  'connections',
  'authentication',
  'unspecified',
  'file-system',
];

/** The second-digit group of `code`. Throws INVALID_ARGUMENT for a number that is not a reply code. */
export function replyFunctionGroup(code: number): ReplyFunctionGroup {
  assertReplyCode(code);
  return GROUPS[((code / 10) | 0) % 10] ?? 'unspecified';
}

// The predicates never throw: for a number that is not a reply code they answer false, which is
// what a client branching on a server's code needs.

/** 1yz: the action is starting; expect another reply before sending a new command. */
export function isPositivePreliminary(code: number): boolean {
  return isReplyCode(code) && code < 200;
}

/** 2yz: the action completed successfully. */
export function isPositiveCompletion(code: number): boolean {
  return isReplyCode(code) && code >= 200 && code < 300;
}

/** 3yz: accepted, but held pending more information (USER → PASS, RNFR → RNTO, REST). */
export function isPositiveIntermediate(code: number): boolean {
  return isReplyCode(code) && code >= 300 && code < 400;
}

/** 4yz: not done, but the same command may succeed later. */
export function isTransientNegative(code: number): boolean {
  return isReplyCode(code) && code >= 400 && code < 500;
}

/** 5yz: not done, and repeating the same command will not help. */
export function isPermanentNegative(code: number): boolean {
  return isReplyCode(code) && code >= 500 && code < 600;
}

/** 6yz: an RFC 2228 §4 protected reply (631, 632, 633). */
export function isProtectedReply(code: number): boolean {
  return isReplyCode(code) && code >= 600;
}

/** Throws INVALID_ARGUMENT unless `code` is a reply code (see `isReplyCode`). */
export function assertReplyCode(code: number): void {
  if (!isReplyCode(code)) {
    throw new CodecError(
      CodecErrorCodes.INVALID_ARGUMENT,
      `Not an FTP reply code: ${describeValue(code)} (RFC 959 §4.2: an integer 100..599, or 631..633 of RFC 2228)`,
    );
  }
}
