/**
 * The identity contract: who may log in, with which filesystem, home and rights.
 *
 * Owns: `Authenticator`, `AuthenticationRequest`, `AuthenticatedUser`, `Permissions` and its
 * presets. Types and pure helpers only; implementations (`StaticUserAuthenticator`, LDAP,
 * databases in other packages) depend on this file.
 *
 * A refusal is a rejected promise with `AuthenticationError` (reply 530), the same for every
 * reason a client could probe (unknown user, wrong password, anonymous off). Any other rejection
 * means the authenticator itself failed (backend down); a session answers that with 421 or 451
 * and still counts it as a failed attempt.
 */

import type { FileSystem } from '../fs/file-system.js';

/** What the control connection knows about TLS when PASS arrives. */
export interface TlsInfo {
  /** True once the control channel is protected (AUTH TLS done, or implicit FTPS). */
  readonly secure: boolean;
  /** Negotiated protocol, e.g. `'TLSv1.3'`, when secure. */
  readonly protocol?: string;
  /** Negotiated cipher name, when secure. */
  readonly cipher?: string;
  /** The client's certificate, when one was requested and presented (DER). */
  readonly peerCertificate?: Uint8Array;
}

export interface AuthenticationRequest {
  readonly username: string;
  /** As sent with PASS; may be empty. Never log it. */
  readonly password: string;
  /** The client's IP address (normalised; IPv4-mapped IPv6 already unwrapped by the transport). */
  readonly remoteAddress: string;
  readonly tls: TlsInfo;
  /** Aborted when the connection closes or the login times out. */
  readonly signal?: AbortSignal;
}

/**
 * What a user may do. Each flag gates the verbs in its comment (checked once by the session's
 * per-verb table, pyftpdlib style). `false` answers 550 Permission denied.
 */
export interface Permissions {
  /** LIST, NLST, MLSD, MLST, STAT <path>, CWD, CDUP, SIZE, MDTM (read) */
  readonly list: boolean;
  /** RETR, HASH */
  readonly read: boolean;
  /** STOR, STOU (new files and replacing existing ones) */
  readonly write: boolean;
  /** APPE, REST + STOR */
  readonly append: boolean;
  /** DELE */
  readonly delete: boolean;
  /** RNFR / RNTO */
  readonly rename: boolean;
  /** MKD */
  readonly mkdir: boolean;
  /** RMD */
  readonly rmdir: boolean;
  /** MFMT, MDTM with a time argument */
  readonly setModified: boolean;
}

export type Permission = keyof Permissions;

export const PERMISSION_NAMES: readonly Permission[] = Object.freeze([
  'list',
  'read',
  'write',
  'append',
  'delete',
  'rename',
  'mkdir',
  'rmdir',
  'setModified',
]);

/** Browse and download only. The default for anonymous users. */
export const READ_ONLY_PERMISSIONS: Permissions = Object.freeze({
  list: true,
  read: true,
  write: false,
  append: false,
  delete: false,
  rename: false,
  mkdir: false,
  rmdir: false,
  setModified: false,
});

/** Everything. The default for configured users. */
export const READ_WRITE_PERMISSIONS: Permissions = Object.freeze({
  list: true,
  read: true,
  write: true,
  append: true,
  delete: true,
  rename: true,
  mkdir: true,
  rmdir: true,
  setModified: true,
});

/** Nothing at all. */
export const NO_PERMISSIONS: Permissions = Object.freeze({
  list: false,
  read: false,
  write: false,
  append: false,
  delete: false,
  rename: false,
  mkdir: false,
  rmdir: false,
  setModified: false,
});

/**
 * Builds a full, frozen `Permissions` from a base preset and overrides, or from a list of
 * granted names: `permissions(READ_ONLY_PERMISSIONS, { mkdir: true })`, `permissions(['list', 'read'])`.
 */
export function permissions(
  base: Permissions | readonly Permission[] = NO_PERMISSIONS,
  overrides: Partial<Permissions> = {},
): Permissions {
  const start: Record<Permission, boolean> = { ...NO_PERMISSIONS };
  if (Array.isArray(base)) for (const name of base as readonly Permission[]) start[name] = true;
  else Object.assign(start, base);
  for (const name of PERMISSION_NAMES) {
    const value = overrides[name];
    if (value !== undefined) start[name] = value;
  }
  return Object.freeze(start);
}

/** A logged-in user. The session keeps it for the connection's lifetime. */
export interface AuthenticatedUser {
  /** The canonical user name (e.g. `anonymous` for both `anonymous` and `ftp`). */
  readonly username: string;
  readonly fileSystem: FileSystem;
  /** Virtual path of the initial working directory. `'/'` when absent or missing on the filesystem. */
  readonly home: string;
  readonly permissions: Permissions;
  /** True for an anonymous login; the password given is then only an e-mail address by convention. */
  readonly anonymous: boolean;
}

export interface Authenticator {
  /** Resolves with the user, rejects with `AuthenticationError` to refuse. */
  authenticate(request: AuthenticationRequest): Promise<AuthenticatedUser>;
}
