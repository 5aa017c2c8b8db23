/**
 * Helpers shared by the shipped adapters. Internal: not exported from the package.
 */

import { createHash, getHashes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { isVirtualPath, virtualPathSegments } from '../paths/virtual-path.js';
import { FileSystemError } from './errors.js';
import type { FileStat } from './file-system.js';

/**
 * Optional download fast path of a shipped adapter (internal, not part of the `FileSystem`
 * contract): opens a regular file and returns its stat and a stream in one step, or undefined
 * when the fast path does not apply (any error, a symlink, not a regular file, offset past the
 * end). On undefined the caller takes the checked path (`stat` + `createReadStream`), which
 * produces the exact errors.
 */
export const OPEN_READ_FAST: unique symbol = Symbol('ftpkit.openReadFast');

export interface OpenReadFast {
  [OPEN_READ_FAST](path: string, start: number): Promise<{ stat: FileStat; stream: Readable } | undefined>;
}

/** The segments of an adapter's path argument; refuses anything not normalised (InvalidName). */
export function segmentsOf(path: string): string[] {
  if (typeof path !== 'string' || !isVirtualPath(path)) {
    throw new FileSystemError('InvalidName', 'Not a normalised virtual path', {
      ...(typeof path === 'string' ? { path } : {}),
    });
  }
  return virtualPathSegments(path);
}

/** Validates an optional byte offset argument (a programming error when malformed). */
export function checkOffset(value: number | undefined, path: string): number {
  if (value === undefined) return 0;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new FileSystemError('InvalidOffset', 'Offset must be a non-negative integer', { path });
  }
  return value;
}

/** Hash algorithms offered by default: those of HASH (draft-bryan-ftpext-hash) Node has. */
export function defaultHashAlgorithms(): string[] {
  const available = new Set(getHashes());
  return ['sha256', 'sha512', 'sha1', 'md5'].filter((name) => available.has(name));
}

/** Digests `readable` (already positioned at the start), stopping after `length` bytes when given. */
export async function digest(readable: Readable, algorithm: string, length?: number): Promise<string> {
  const hash = createHash(algorithm);
  let remaining = length ?? Number.POSITIVE_INFINITY;
  try {
    for await (const chunk of readable) {
      const buffer = chunk as Buffer;
      if (remaining <= buffer.length) {
        hash.update(buffer.subarray(0, remaining));
        remaining = 0;
        break;
      }
      hash.update(buffer);
      remaining -= buffer.length;
    }
  } finally {
    readable.destroy();
  }
  return hash.digest('hex');
}
