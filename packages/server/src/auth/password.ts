/**
 * Password hashes: scrypt, stored as self-describing strings.
 *
 * Owns: `hashPassword`, `verifyPassword`, `parsePasswordHash`. Format:
 * `scrypt$<N>$<r>$<p>$<salt base64>$<key base64>` — every parameter travels with the hash, so
 * parameters can be raised later without invalidating stored hashes. Comparison uses
 * `crypto.timingSafeEqual`. Parameters are bounded so a hostile config cannot ask for gigabytes.
 */

import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { InvalidArgumentError } from '../errors.js';

export interface ScryptParameters {
  /** CPU/memory cost, a power of two. Default 16384 (2^14: ~16 MiB, ~50 ms). */
  readonly N?: number;
  /** Block size. Default 8. */
  readonly r?: number;
  /** Parallelism. Default 1. */
  readonly p?: number;
  /** Derived key bytes. Default 32. */
  readonly keyLength?: number;
  /** Salt bytes. Default 16. */
  readonly saltLength?: number;
}

export interface ParsedPasswordHash {
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly salt: Buffer;
  readonly key: Buffer;
}

export const DEFAULT_SCRYPT_PARAMETERS = Object.freeze({
  N: 16384,
  r: 8,
  p: 1,
  keyLength: 32,
  saltLength: 16,
});

const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;

function checkParameters(N: number, r: number, p: number): void {
  const powerOfTwo = Number.isSafeInteger(N) && N > 1 && (N & (N - 1)) === 0;
  if (!powerOfTwo || N > MAX_N)
    throw new InvalidArgumentError(`scrypt N must be a power of two in 2..${MAX_N}`);
  if (!Number.isSafeInteger(r) || r < 1 || r > MAX_R)
    throw new InvalidArgumentError(`scrypt r must be in 1..${MAX_R}`);
  if (!Number.isSafeInteger(p) || p < 1 || p > MAX_P)
    throw new InvalidArgumentError(`scrypt p must be in 1..${MAX_P}`);
}

/** Derives an scrypt key. Internal to the auth module. */
export function deriveKey(
  password: string,
  salt: Buffer,
  N: number,
  r: number,
  p: number,
  length: number,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxmem must cover 128 * N * r (plus slack), or Node refuses large N.
    scrypt(
      password.normalize('NFC'),
      salt,
      length,
      { N, r, p, maxmem: 256 * N * r + 1024 * 1024 },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

/** Hashes `password` into the self-describing format above. */
export async function hashPassword(password: string, parameters: ScryptParameters = {}): Promise<string> {
  const { N, r, p, keyLength, saltLength } = { ...DEFAULT_SCRYPT_PARAMETERS, ...parameters };
  checkParameters(N, r, p);
  if (!Number.isSafeInteger(keyLength) || keyLength < 16 || keyLength > 128) {
    throw new InvalidArgumentError('keyLength must be in 16..128');
  }
  if (!Number.isSafeInteger(saltLength) || saltLength < 8 || saltLength > 64) {
    throw new InvalidArgumentError('saltLength must be in 8..64');
  }
  const salt = randomBytes(saltLength);
  const key = await deriveKey(password, salt, N, r, p, keyLength);
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

const HASH_PATTERN =
  /^scrypt\$(\d{1,8})\$(\d{1,3})\$(\d{1,3})\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/;

/** True when `value` looks like a hash this module produces (not whether it is valid). */
export function isPasswordHash(value: string): boolean {
  return value.startsWith('scrypt$');
}

/** Parses and validates a stored hash; throws `InvalidArgumentError` when malformed. */
export function parsePasswordHash(encoded: string): ParsedPasswordHash {
  const match = HASH_PATTERN.exec(encoded);
  if (!match) throw new InvalidArgumentError('Not an scrypt$N$r$p$salt$key password hash');
  const N = Number(match[1]);
  const r = Number(match[2]);
  const p = Number(match[3]);
  checkParameters(N, r, p);
  const salt = Buffer.from(match[4]!, 'base64');
  const key = Buffer.from(match[5]!, 'base64');
  if (salt.length < 8 || key.length < 16)
    throw new InvalidArgumentError('Password hash salt or key too short');
  return { N, r, p, salt, key };
}

/** True when `password` matches `encoded` (a string or an already parsed hash). */
export async function verifyPassword(
  password: string,
  encoded: string | ParsedPasswordHash,
): Promise<boolean> {
  const hash = typeof encoded === 'string' ? parsePasswordHash(encoded) : encoded;
  const key = await deriveKey(password, hash.salt, hash.N, hash.r, hash.p, hash.key.length);
  return timingSafeEqual(key, hash.key);
}
