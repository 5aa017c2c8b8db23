/**
 * The storage contract every FTP session talks to.
 *
 * Owns: the `FileSystem` interface, `FileStat` (stat-like records that ARE codec `FileRecord`s),
 * `FileSystemCapabilities` and the `FileUpload` commit/abort object. Types only, plus two tiny
 * helpers. Adapters (local disk, memory, object stores in other packages) depend on this file
 * and `./errors.ts` and nothing else of the server.
 *
 * Rules every adapter follows:
 * - every path argument is a normalised virtual path from `resolveVirtualPath` ('/'-rooted,
 *   no '.', '..' or empty segments); the adapter still refuses anything else (InvalidName);
 * - every failure is a `FileSystemError` (see `./errors.ts`), thrown or emitted on a stream;
 * - errors that a handler must answer before opening a data connection (not found, is a
 *   directory, bad offset, permission) surface from the returned promise, not later from the
 *   stream: `list`, `createReadStream` and `createWriteStream` validate before resolving;
 * - optional behaviour is declared in `capabilities`, never discovered by trial (a handler
 *   checks `capabilities.restartWrite` before accepting REST + STOR, not after a failure).
 */

import type { Readable, Writable } from 'node:stream';
import type { EntryType, FileRecord } from '@ftpkit/codec';
import { FileSystemError } from './errors.js';

/** Entry kinds a filesystem reports (`cdir`/`pdir` are MLSx presentation, added by the formatter). */
export type FileType = Exclude<EntryType, 'cdir' | 'pdir'>;

/**
 * One entry: a codec `FileRecord` (so it feeds `ls -l` and MLSx formatters as is) narrowed to
 * what a filesystem can know. `owner`/`group` are numeric uid/gid for the local filesystem.
 */
export interface FileStat extends FileRecord {
  readonly type: FileType;
}

/** Optional behaviour, declared up front (STYLE habit 7). */
export interface FileSystemCapabilities {
  /** `createReadStream` honours `start` (REST + RETR). */
  readonly restartRead: boolean;
  /** `createWriteStream` honours `start` (REST + STOR: write at an offset, no truncation). */
  readonly restartWrite: boolean;
  /** `createWriteStream` honours `append` (APPE). */
  readonly append: boolean;
  /** `setModified` is implemented (MFMT, MDTM with a time argument). */
  readonly setModified: boolean;
  /** A fresh upload (no `start`, no `append`) is published only by `commit()`; `abort()` leaves no trace. */
  readonly atomicUpload: boolean;
  /** Algorithms `hash()` accepts (HASH, XMD5, ...); empty when `hash` is absent. Lower-case Node names. */
  readonly hashAlgorithms: readonly string[];
  /**
   * How symlinks behave: `'none'` (the adapter has none) or `'inside-root'` (links whose target
   * stays inside the root are followed; others appear as type `'symlink'` and refuse access).
   */
  readonly symlinks: 'none' | 'inside-root';
  /**
   * `list` honours `sorted` (yields entries in ascending name order). Lets LIST stream a large
   * directory instead of holding and sorting every entry first. Absent means false.
   */
  readonly sortedList?: boolean;
}

export interface ReadOptions {
  /** Byte offset to start from (REST). Must be ≤ the file size, else InvalidOffset. Default 0. */
  readonly start?: number;
  /** Destroys the stream (and releases the file) when aborted. */
  readonly signal?: AbortSignal;
}

export interface WriteOptions {
  /**
   * Byte offset to write at (REST + STOR). Must be ≤ the current size (0 for a new file), else
   * InvalidOffset. The file is NOT truncated. `0` or absent means a fresh upload (replace).
   */
  readonly start?: number;
  /** Append to the file, creating it when missing (APPE). Excludes `start`. */
  readonly append?: boolean;
  /** Aborts the upload (same as `upload.abort(signal.reason)`). */
  readonly signal?: AbortSignal;
}

export interface ListOptions {
  /** Stops the iteration (it throws the signal's reason) when aborted. */
  readonly signal?: AbortSignal;
  /**
   * Yield the entries in ascending name order (JavaScript string order, `a.name < b.name`).
   * Only filesystems that declare `capabilities.sortedList` honour it; others ignore it.
   */
  readonly sorted?: boolean;
}

export interface HashOptions {
  readonly start?: number;
  /** Exclusive end offset. Default: the file size. */
  readonly end?: number;
  readonly signal?: AbortSignal;
}

/**
 * An upload in progress. Write the bytes to `stream`, end it, await its `finish` (e.g. with
 * `stream.promises.pipeline(data, upload.stream)`), then call `commit()`. On any failure call
 * `abort()` instead. For an atomic upload nothing appears under the target name until `commit()`
 * resolves, and `abort()` removes every trace; for `start`/`append` uploads (written in place, so
 * that a broken transfer can be resumed) `abort()` keeps the bytes already written.
 *
 * If `stream` errors (no space, I/O), the upload aborts itself; `commit()` then rejects with
 * that error. `abort()` is idempotent and never rejects for an upload that was not committed.
 */
export interface FileUpload {
  readonly stream: Writable;
  /** True when `abort()` leaves the target exactly as it was before. */
  readonly atomic: boolean;
  /** Bytes accepted by the filesystem so far. */
  readonly bytesWritten: number;
  commit(): Promise<void>;
  abort(reason?: unknown): Promise<void>;
}

/**
 * The storage a user sees. Implementations: `LocalFileSystem`, `MemoryFileSystem`.
 *
 * Semantics follow POSIX where FTP leaves them open: `rename` replaces an existing file target,
 * `delete` removes files (and symlinks) only, `rmdir` removes empty directories only, `mkdir` is
 * not recursive. The root '/' cannot be deleted, removed or renamed (PermissionDenied).
 */
export interface FileSystem {
  readonly capabilities: FileSystemCapabilities;
  /** The entry at `path`; `name` is the last segment ('/' for the root). */
  stat(path: string): Promise<FileStat>;
  /**
   * The entries of the directory at `path` (never '.' or '..'), in no particular order unless
   * `options.sorted` is asked of a filesystem with `capabilities.sortedList`. The
   * promise rejects for a missing path or a non-directory; the iterable streams the entries so a
   * directory of any size is listed in bounded memory. Iterate it once.
   */
  list(path: string, options?: ListOptions): Promise<AsyncIterable<FileStat>>;
  /** A stream of the file's bytes from `start`. Rejects before streaming for a bad path or offset. */
  createReadStream(path: string, options?: ReadOptions): Promise<Readable>;
  /** Starts an upload to `path` (parent must exist). See `FileUpload`. */
  createWriteStream(path: string, options?: WriteOptions): Promise<FileUpload>;
  mkdir(path: string): Promise<void>;
  rmdir(path: string): Promise<void>;
  delete(path: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /** Sets the modification time. Present when `capabilities.setModified`. */
  setModified?(path: string, modified: Date): Promise<void>;
  /** Hex digest of the file (or a byte range). Present when `capabilities.hashAlgorithms` is non-empty. */
  hash?(path: string, algorithm: string, options?: HashOptions): Promise<string>;
}

/** Capabilities of a filesystem that offers nothing optional; spread and override. */
export const NO_CAPABILITIES: FileSystemCapabilities = {
  restartRead: false,
  restartWrite: false,
  append: false,
  setModified: false,
  atomicUpload: false,
  hashAlgorithms: [],
  symlinks: 'none',
};

/** Collects a listing into an array (handy for NLST sorting and tests; not for huge directories). */
export async function collectList(entries: AsyncIterable<FileStat>): Promise<FileStat[]> {
  const out: FileStat[] = [];
  for await (const entry of entries) out.push(entry);
  return out;
}

/** Throws `Unsupported` unless `fileSystem` declares `capability`. For handlers, before any work. */
export function requireCapability(
  fileSystem: FileSystem,
  capability: Exclude<keyof FileSystemCapabilities, 'hashAlgorithms' | 'symlinks'>,
): void {
  if (!fileSystem.capabilities[capability]) {
    throw new FileSystemError('Unsupported', `This filesystem does not support ${capability}`);
  }
}
