/**
 * Shared by LIST, NLST, MLSD, MLST and STAT <path>: what a listing argument names, the MLSx
 * `perm` fact for the logged-in user, and the chunk size of streamed listings. Formatting itself is the codec's (`formatListLines`,
 * `formatMlsxFacts`): handlers feed it stat records (STYLE habit 8).
 */

import type { Permissions } from '../../auth/authenticator.js';
import { FileSystemError } from '../../fs/errors.js';
import { collectList, type FileStat, type FileSystem } from '../../fs/file-system.js';

export interface ListTarget {
  readonly path: string;
  readonly directory: boolean;
  readonly entries: FileStat[];
}

const byName = (a: FileStat, b: FileStat) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The entries a listing of `path` shows: a directory's children (sorted), or the file itself. */
export async function listTarget(fs: FileSystem, path: string, signal?: AbortSignal): Promise<ListTarget> {
  const stat = await fs.stat(path);
  if (stat.type !== 'dir') return { path, directory: false, entries: [stat] };
  const entries = await collectList(
    await fs.list(path, { sorted: true, ...(signal === undefined ? {} : { signal }) }),
  );
  // Cheap when the filesystem already sorted them (`capabilities.sortedList`): one pass.
  entries.sort(byName);
  return { path, directory: true, entries };
}

/** Refuses a non-directory (MLSD wants one: RFC 3659 §7.2.1 answers 501 for a file). */
export async function requireDirectory(fs: FileSystem, path: string): Promise<void> {
  const stat = await fs.stat(path);
  if (stat.type !== 'dir') throw new FileSystemError('NotADirectory', 'Not a directory.', { path });
}

/** RFC 3659 §7.5.5 perm letters the user has on `entry`. */
export function permFact(entry: Pick<FileStat, 'type'>, permissions: Permissions): string {
  let perm = '';
  if (entry.type === 'dir') {
    if (permissions.write) perm += 'c';
    if (permissions.rmdir) perm += 'd';
    if (permissions.list) perm += 'el';
    if (permissions.rename) perm += 'f';
    if (permissions.mkdir) perm += 'm';
    if (permissions.delete) perm += 'p';
  } else {
    if (permissions.append) perm += 'a';
    if (permissions.delete) perm += 'd';
    if (permissions.rename) perm += 'f';
    if (permissions.read) perm += 'r';
    if (permissions.write) perm += 'w';
  }
  return perm;
}

/**
 * The perm letters for a directory and for anything else, computed once per listing: they depend
 * only on the entry type, and MLSD passes them to the codec's formatter instead of copying every
 * entry to add them.
 */
export function permsByType(permissions: Permissions): { readonly dir: string; readonly other: string } {
  return {
    dir: permFact({ type: 'dir' }, permissions),
    other: permFact({ type: 'file' }, permissions),
  };
}

/**
 * Gathers text into chunks of at least `CHUNK_CHARS` UTF-16 units (≥ 64 KiB once encoded): one
 * data-socket write per chunk, not per entry, and the client reads the first chunk while later
 * ones are formatted.
 */
export const CHUNK_CHARS = 64 * 1024;

/** Collects listing lines into `CHUNK_CHARS` chunks: `add` hands back a chunk once one is full. */
export class ListingChunks {
  #pending = '';

  /** Adds one line (without its CRLF); returns the chunk it completed, if any. */
  add(line: string): Buffer | undefined {
    this.#pending += `${line}\r\n`;
    if (this.#pending.length < CHUNK_CHARS) return undefined;
    return this.end();
  }

  /** The lines not yet handed back, if any. */
  end(): Buffer | undefined {
    if (this.#pending.length === 0) return undefined;
    const chunk = Buffer.from(this.#pending, 'utf8');
    this.#pending = '';
    return chunk;
  }
}

export function withPerm(entry: FileStat, permissions: Permissions): FileStat {
  return { ...entry, perm: permFact(entry, permissions) };
}
