/**
 * StaticUserAuthenticator: users from configuration, passwords as scrypt hashes.
 *
 * Owns: the user table, anonymous access (off by default), and username-enumeration resistance:
 * an unknown user — or an anonymous name while anonymous is off — costs the same scrypt work as a
 * wrong password (it is verified against a dummy hash with the same parameters) and fails with
 * the very same `AuthenticationError`. Plaintext passwords exist for tests only and must be
 * enabled explicitly; they are compared through SHA-256 digests with `timingSafeEqual`.
 * Throttling failed logins (delays, lockouts) is the session's job, not this module's.
 */

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AuthenticationError, InvalidArgumentError } from '../errors.js';
import type { FileSystem } from '../fs/file-system.js';
import { LocalFileSystem } from '../fs/local-file-system.js';
import { resolveVirtualPath } from '../paths/virtual-path.js';
import {
  type AuthenticatedUser,
  type AuthenticationRequest,
  type Authenticator,
  permissions as buildPermissions,
  type Permissions,
  READ_ONLY_PERMISSIONS,
  READ_WRITE_PERMISSIONS,
} from './authenticator.js';
import {
  DEFAULT_SCRYPT_PARAMETERS,
  deriveKey,
  isPasswordHash,
  type ParsedPasswordHash,
  parsePasswordHash,
} from './password.js';

export interface StaticUser {
  readonly username: string;
  /** An `hashPassword()` string, or plain text when `allowPlaintextPasswords` is on. */
  readonly password: string;
  /** The user's filesystem, or a directory served with `LocalFileSystem`. */
  readonly root: string | FileSystem;
  /** Initial working directory (virtual). Default '/'. */
  readonly home?: string;
  /** Default: `READ_WRITE_PERMISSIONS`. */
  readonly permissions?: Permissions;
}

export interface AnonymousAccessOptions {
  /** The anonymous tree: a filesystem or a directory served with `LocalFileSystem`. */
  readonly root: string | FileSystem;
  /** Default '/'. */
  readonly home?: string;
  /** Default: `READ_ONLY_PERMISSIONS`. */
  readonly permissions?: Permissions;
}

export interface StaticUserAuthenticatorOptions {
  readonly users?: readonly StaticUser[];
  /** Anonymous login as `anonymous` or `ftp` with any password. Default: off. */
  readonly anonymous?: AnonymousAccessOptions | false;
  /** Accept passwords that are not `scrypt$...` hashes, compared as plain text. Default false. */
  readonly allowPlaintextPasswords?: boolean;
  /** Compare user names case-sensitively (Unix style). Default true. */
  readonly caseSensitiveUsernames?: boolean;
}

/** RFC 1635 names for anonymous FTP (compared case-insensitively, as servers do). */
export const ANONYMOUS_USERNAMES: readonly string[] = Object.freeze(['anonymous', 'ftp']);

type Secret =
  | { readonly kind: 'scrypt'; readonly hash: ParsedPasswordHash }
  | { readonly kind: 'plain'; readonly digest: Buffer };

interface Entry {
  readonly user: AuthenticatedUser;
  readonly secret: Secret;
}

export class StaticUserAuthenticator implements Authenticator {
  readonly #users = new Map<string, Entry>();
  readonly #anonymous: AuthenticatedUser | undefined;
  readonly #caseSensitive: boolean;
  readonly #dummy: ParsedPasswordHash;

  constructor(options: StaticUserAuthenticatorOptions = {}) {
    this.#caseSensitive = options.caseSensitiveUsernames ?? true;
    const allowPlain = options.allowPlaintextPasswords ?? false;
    let firstHash: ParsedPasswordHash | undefined;
    for (const config of options.users ?? []) {
      if (typeof config.username !== 'string' || config.username === '') {
        throw new InvalidArgumentError('Every user needs a non-empty username');
      }
      const key = this.#key(config.username);
      if (this.#users.has(key)) throw new InvalidArgumentError(`Duplicate user ${config.username}`);
      if (options.anonymous && ANONYMOUS_USERNAMES.includes(config.username.toLowerCase())) {
        throw new InvalidArgumentError(`User ${config.username} clashes with anonymous access`);
      }
      if (typeof config.password !== 'string')
        throw new InvalidArgumentError(`User ${config.username} needs a password`);
      let secret: Secret;
      if (isPasswordHash(config.password)) {
        const hash = parsePasswordHash(config.password);
        firstHash ??= hash;
        secret = { kind: 'scrypt', hash };
      } else if (allowPlain) {
        secret = { kind: 'plain', digest: sha256(config.password) };
      } else {
        throw new InvalidArgumentError(
          `User ${config.username} has a plaintext password; store hashPassword() output or set allowPlaintextPasswords`,
        );
      }
      this.#users.set(key, {
        secret,
        user: makeUser(
          config.username,
          config.root,
          config.home,
          config.permissions ?? READ_WRITE_PERMISSIONS,
          false,
        ),
      });
    }
    if (options.anonymous) {
      const anon = options.anonymous;
      this.#anonymous = makeUser(
        'anonymous',
        anon.root,
        anon.home,
        anon.permissions ?? READ_ONLY_PERMISSIONS,
        true,
      );
    }
    // The dummy costs what a real user's hash costs, so "no such user" cannot be timed apart.
    const template = firstHash ?? {
      ...DEFAULT_SCRYPT_PARAMETERS,
      key: Buffer.alloc(DEFAULT_SCRYPT_PARAMETERS.keyLength),
    };
    this.#dummy = {
      N: template.N,
      r: template.r,
      p: template.p,
      salt: randomBytes(16),
      key: randomBytes(template.key.length),
    };
  }

  async authenticate(request: AuthenticationRequest): Promise<AuthenticatedUser> {
    request.signal?.throwIfAborted();
    const username = String(request.username);
    const password = String(request.password);
    if (ANONYMOUS_USERNAMES.includes(username.toLowerCase()) && !this.#users.has(this.#key(username))) {
      if (this.#anonymous) return this.#anonymous;
      await this.#burn(password);
      request.signal?.throwIfAborted();
      throw new AuthenticationError('anonymous-disabled');
    }
    const entry = this.#users.get(this.#key(username));
    let ok: boolean;
    if (!entry) {
      await this.#burn(password);
      ok = false;
    } else if (entry.secret.kind === 'scrypt') {
      const { hash } = entry.secret;
      const key = await deriveKey(password, hash.salt, hash.N, hash.r, hash.p, hash.key.length);
      ok = timingSafeEqual(key, hash.key);
    } else {
      ok = timingSafeEqual(sha256(password), entry.secret.digest);
    }
    request.signal?.throwIfAborted();
    if (!ok || !entry) throw new AuthenticationError('invalid-credentials');
    return entry.user;
  }

  #key(username: string): string {
    return this.#caseSensitive ? username : username.toLowerCase();
  }

  async #burn(password: string): Promise<void> {
    const d = this.#dummy;
    const key = await deriveKey(password, d.salt, d.N, d.r, d.p, d.key.length);
    timingSafeEqual(key, d.key);
  }
}

function makeUser(
  username: string,
  root: string | FileSystem,
  home: string | undefined,
  granted: Permissions,
  anonymous: boolean,
): AuthenticatedUser {
  let fileSystem: FileSystem;
  if (typeof root === 'string') fileSystem = new LocalFileSystem({ root });
  else if (root && typeof root === 'object' && typeof root.stat === 'function') fileSystem = root;
  else throw new InvalidArgumentError(`User ${username} needs a root directory or FileSystem`);
  return Object.freeze({
    username,
    fileSystem,
    home: resolveVirtualPath('/', home ?? '/'),
    permissions: buildPermissions(granted),
    anonymous,
  });
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
