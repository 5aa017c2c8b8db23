/**
 * LocalFileSystem: a real directory as the user's root.
 *
 * Owns: virtual → real path mapping, the symlink jail, atomic uploads, REST/APPE writes, fast
 * listings. Depends on the contract types (`./file-system.ts`, `./errors.ts`) and `node:` only.
 *
 * Symlink policy (security): the real path of every target (`fs.realpath`, or the real path of
 * its parent for entries being created, removed or renamed) must lie inside the real root, or the
 * operation fails with PermissionDenied.
 * - content operations (stat, list, read, write, setModified, hash) FOLLOW a final symlink only
 *   when its resolved target is inside the root; otherwise stat/list report it as type
 *   `'symlink'` (lstat data, no target — the target could reveal the real layout) and reads and
 *   writes are refused;
 * - entry operations (delete, rmdir, rename, mkdir) act on the directory entry itself and never
 *   follow a final symlink: deleting a link removes the link, not what it points to;
 * - any intermediate component that resolves outside the root refuses the whole operation.
 * Residual race: a directory component swapped for a symlink between the realpath check and the
 * open. Node has no openat2(RESOLVE_BENEATH); the final component is opened with O_NOFOLLOW and
 * checked with fstat, which closes the cheap half of the window. Do not give untrusted local
 * users write access to the same tree outside FTP if that matters to you.
 *
 * Owner/group are numeric uid/gid: name lookup (getpwuid) has no portable Node API; out of scope.
 */

import { randomBytes } from 'node:crypto';
import {
  close as closeFd,
  closeSync,
  constants,
  type Dir,
  fstatSync,
  lstatSync,
  openSync,
  read as readFd,
  realpathSync,
  type Stats,
} from 'node:fs';
import {
  access,
  type FileHandle,
  lstat,
  mkdir,
  open,
  opendir,
  readdir,
  realpath,
  rename,
  rmdir,
  stat,
  unlink,
  utimes,
} from 'node:fs/promises';
import nodePath from 'node:path';
import { addAbortSignal, Readable } from 'node:stream';
import { setImmediate as setImmediatePromise } from 'node:timers/promises';
import { CHUNK_WRITTEN, ReadBufferPool, type ReusingReadable, readFileRangeSync } from '@ftpkit/transport';
import { InvalidArgumentError } from '../errors.js';
import { FileSystemError, toFileSystemError } from './errors.js';
import type {
  FileStat,
  FileSystem,
  FileSystemCapabilities,
  FileType,
  FileUpload,
  HashOptions,
  ListOptions,
  ReadOptions,
  WriteOptions,
} from './file-system.js';
import {
  checkOffset,
  defaultHashAlgorithms,
  digest,
  OPEN_READ_FAST,
  type OpenReadFast,
  segmentsOf,
} from './internal.js';
import { LstatThread, PACKED_MISSING, PACKED_OK, PACKED_RETRY, PACKED_STRIDE } from './lstat-thread.js';
import { createUpload, type UploadSink } from './upload.js';

/** Temp names of in-flight atomic uploads: hidden, in the target's directory, random suffix. */
export const UPLOAD_TEMP_PREFIX = '.ftpkit-upload-';

export interface LocalFileSystemOptions {
  /** The directory that is '/' for the user. Required. Must exist when first used. */
  readonly root: string;
  /** Fresh uploads go to a temp file renamed on commit. Default true. */
  readonly atomicUploads?: boolean;
  /** Leave `.ftpkit-upload-*` temp files out of listings. Default true. */
  readonly hideUploadTempFiles?: boolean;
  /** Read chunk size. Default 1 MiB (fewer syscalls and socket writes per byte). */
  readonly readHighWaterMark?: number;
  /**
   * Most entries read and lstat'ed per listing batch before the event loop gets a turn; a
   * batch's own lstat calls move to the thread pool once they took ~2 ms (a slow disk).
   * Default 1024.
   */
  readonly listConcurrency?: number;
  /**
   * Listings of more than a hundred entries lstat most of each batch on one helper thread
   * shared by the process (started by the first such listing, never keeping the process alive),
   * while the session's own thread stats the rest: a listing is bound by its lstat calls.
   * false keeps every call on the main thread. Default true.
   */
  readonly listThread?: boolean;
  /**
   * RETR of a regular file opens, stats and — when at most this many bytes remain — reads and
   * closes it synchronously (a few µs each on a cached file), where the promise API costs a
   * thread-pool round trip per call: on a ping-pong protocol those round trips bound small-file
   * throughput. Larger files stream asynchronously after a synchronous open. 0 turns the
   * synchronous path off (for storage where one syscall can stall, e.g. a hung NFS mount).
   * Default 64 KiB.
   */
  readonly syncReadBytes?: number;
  /** Mode for new files (the process umask applies). Default 0o666. */
  readonly fileMode?: number;
  /** Mode for new directories (the process umask applies). Default 0o777. */
  readonly directoryMode?: number;
  /** Algorithms `hash()` offers. Default: sha256, sha512, sha1, md5 (those Node has). */
  readonly hashAlgorithms?: readonly string[];
}

const DEFAULT_READ_HIGH_WATER_MARK = 1024 * 1024;
const MIN_READ_CHUNK = 64 * 1024;
const DEFAULT_SYNC_READ_BYTES = 64 * 1024;
/** Upload chunks are written to the file in runs of at least this many bytes (see createUpload). */
const WRITE_COALESCE_BYTES = 1024 * 1024;
/** A listing batch yields to the event loop after about this long (ms). */
const LIST_BATCH_MS = 2;
/** Smallest batch the helper thread gets a share of (a message costs ~50 µs). */
const MIN_HELPED_BATCH = 128;
const NO_THROW = { throwIfNoEntry: false } as const;
/**
 * The share of a helped batch this thread stats itself. Less than half: besides its share it
 * reads the names, decodes the helper's results and runs the consumer (MLSD formats while the
 * helper stats the next batch). 0.3 measured fastest for LIST and MLSD of 10,000 entries.
 */
const OWN_SHARE = 0.3;
const IS_WINDOWS = nodePath.sep === '\\';

export class LocalFileSystem implements FileSystem, OpenReadFast {
  readonly capabilities: FileSystemCapabilities;
  readonly root: string;
  readonly #atomic: boolean;
  readonly #hideTemp: boolean;
  readonly #readHighWaterMark: number;
  readonly #listConcurrency: number;
  readonly #listThread: boolean;
  readonly #syncReadBytes: number;
  readonly #fileMode: number;
  readonly #directoryMode: number;
  #rootReal: Promise<string> | undefined;

  constructor(options: LocalFileSystemOptions) {
    if (typeof options?.root !== 'string' || options.root === '') {
      throw new InvalidArgumentError('LocalFileSystem needs a root directory');
    }
    this.root = nodePath.resolve(options.root);
    this.#atomic = options.atomicUploads ?? true;
    this.#hideTemp = options.hideUploadTempFiles ?? true;
    this.#readHighWaterMark = positiveInteger(
      options.readHighWaterMark,
      DEFAULT_READ_HIGH_WATER_MARK,
      'readHighWaterMark',
    );
    this.#listConcurrency = positiveInteger(options.listConcurrency, 1024, 'listConcurrency');
    this.#listThread = options.listThread ?? true;
    this.#syncReadBytes = nonNegativeInteger(options.syncReadBytes, DEFAULT_SYNC_READ_BYTES, 'syncReadBytes');
    this.#fileMode = options.fileMode ?? 0o666;
    this.#directoryMode = options.directoryMode ?? 0o777;
    this.capabilities = {
      restartRead: true,
      restartWrite: true,
      append: true,
      setModified: true,
      atomicUpload: this.#atomic,
      hashAlgorithms: Object.freeze([...(options.hashAlgorithms ?? defaultHashAlgorithms())]),
      symlinks: 'inside-root',
      sortedList: true,
    };
  }

  async stat(path: string): Promise<FileStat> {
    const segments = this.#segments(path);
    try {
      const root = await this.#root();
      const name = segments.at(-1);
      if (name === undefined) return toFileStat('/', await stat(root));
      const parent = await this.#parent(segments, path);
      const entry = nodePath.join(parent, name);
      const link = await lstat(entry);
      return link.isSymbolicLink() ? await this.#followInside(entry, link, name) : toFileStat(name, link);
    } catch (error) {
      throw toFileSystemError(error, path);
    }
  }

  async list(path: string, options: ListOptions = {}): Promise<AsyncIterable<FileStat>> {
    const signal = options.signal;
    signal?.throwIfAborted();
    let real: string;
    let sortedNames: string[] | undefined;
    try {
      real = await this.#existing(this.#segments(path), path);
      if (!(await stat(real)).isDirectory()) throw new FileSystemError('NotADirectory', undefined, { path });
      // An unreadable directory rejects this promise, before the handler opens a data connection
      // (the contract's rule). The streaming read opens the directory on first iteration, so that
      // a listing never iterated (its data connection failed) holds no handle.
      if (options.sorted === true) sortedNames = await this.#sortedNames(real);
      else await access(real, constants.R_OK);
    } catch (error) {
      throw toFileSystemError(error, path);
    }
    return this.#entries(real, path, signal, sortedNames);
  }

  /**
   * Entries in batches of up to `listConcurrency` names (`Dir.readSync`, 1 024 names per
   * getdents; or slices of `sortedNames`, read whole and sorted by `list`), each lstat'ed
   * synchronously — ~2 µs each on a cached directory, where a promise-based `lstat` costs the
   * main thread a thread-pool round trip per entry. With
   * `listThread`, most of every batch goes to the shared helper thread (`./lstat-thread.ts`)
   * while this thread stats the first OWN_SHARE of it, and the next batch's share is handed
   * over before this batch is yielded, so the helper works while the consumer formats. Between
   * batches the loop gets a turn, so a huge or slow directory cannot starve other sessions; a
   * batch whose own stats pass LIST_BATCH_MS finishes them through the thread pool. Only the
   * rare symlink entry is resolved asynchronously (`#followInside`).
   */
  async *#entries(
    real: string,
    path: string,
    signal: AbortSignal | undefined,
    sortedNames: string[] | undefined,
  ): AsyncGenerator<FileStat> {
    const size = this.#listConcurrency;
    let dir: Dir | undefined;
    if (sortedNames === undefined) {
      try {
        dir = await opendir(real, { bufferSize: 1024 });
      } catch (error) {
        throw toFileSystemError(error, path);
      }
    }
    let position = 0;
    const nextNames = (): string[] => {
      if (dir !== undefined) return this.#readNames(dir, size);
      position += size;
      return sortedNames!.slice(position - size, position);
    };
    const prefix = real.endsWith(nodePath.sep) ? real : real + nodePath.sep;
    const helper = this.#listThread ? LstatThread.shared() : undefined;
    // The helper's share of a batch: the entries after `own` (small batches are not worth a message).
    const handOver = (names: string[]) => {
      const own = names.length >= MIN_HELPED_BATCH ? Math.floor(names.length * OWN_SHARE) : names.length;
      const helped = own < names.length ? helper?.request(prefix, names.slice(own)) : undefined;
      return { names, own: helped === undefined ? names.length : own, helped };
    };
    try {
      let current = handOver(nextNames());
      for (;;) {
        signal?.throwIfAborted();
        const { names, own, helped } = current;
        const done = names.length < size;
        const batch: Array<FileStat | undefined> = new Array(names.length);
        const links: number[] = [];
        const started = performance.now();
        let i = 0;
        for (; i < own; i++) {
          if ((i & 63) === 63 && performance.now() - started > LIST_BATCH_MS) break;
          batch[i] = this.#statEntry(names[i]!, links, i, lstatSync(prefix + names[i], NO_THROW));
        }
        for (; i < own; i++)
          batch[i] = this.#statEntry(names[i]!, links, i, await lstatOrUndefined(prefix + names[i]));
        if (!done) current = handOver(nextNames());
        if (helped !== undefined) {
          const packed = await helped;
          for (let j = own; j < names.length; j++) {
            const o = (j - own) * PACKED_STRIDE;
            const status = packed === undefined ? PACKED_RETRY : packed[o]!;
            if (status === PACKED_MISSING) continue;
            if (status === PACKED_OK && (packed![o + 1]! & constants.S_IFMT) !== constants.S_IFLNK) {
              batch[j] = packedFileStat(names[j]!, packed!, o);
            } else batch[j] = this.#statEntry(names[j]!, links, j, lstatSync(prefix + names[j], NO_THROW));
          }
        }
        for (const index of links) {
          const name = names[index]!;
          const link = lstatSync(prefix + name, NO_THROW);
          if (link !== undefined) batch[index] = await this.#followInside(prefix + name, link, name);
        }
        for (const entry of batch) {
          if (entry === undefined) continue;
          signal?.throwIfAborted();
          yield entry;
        }
        if (done) break;
        // Awaiting the helper already gave the loop its turn.
        if (helped === undefined) await setImmediatePromise();
      }
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw toFileSystemError(error, path);
    } finally {
      await dir?.close().catch(() => {});
    }
  }

  /**
   * Every name, in JavaScript string order. libuv's scandir (`readdir`) reads the directory in
   * the thread pool and sorts by `strcmp`, which is the same order for all but names with
   * characters beyond U+FFFF; those are sorted again here. The whole list is held at once: only
   * LIST asks for it, and it used to hold every entry.
   */
  async #sortedNames(real: string): Promise<string[]> {
    const all = await readdir(real);
    const names = this.#hideTemp ? all.filter((name) => !name.startsWith(UPLOAD_TEMP_PREFIX)) : all;
    for (let i = 1; i < names.length; i++) {
      if (names[i - 1]! > names[i]!) return names.sort();
    }
    return names;
  }

  /** Up to `max` names, upload temp files left out when hidden; fewer only at the end. */
  #readNames(dir: Dir, max: number): string[] {
    const names: string[] = [];
    while (names.length < max) {
      const dirent = dir.readSync();
      if (dirent === null) break;
      if (this.#hideTemp && dirent.name.startsWith(UPLOAD_TEMP_PREFIX)) continue;
      names.push(dirent.name);
    }
    return names;
  }

  /**
   * The record for one lstat'ed entry; undefined when it was removed between readdir and lstat
   * (it is simply not there any more). Symlinks are noted in `links` and resolved later.
   */
  #statEntry(name: string, links: number[], index: number, link: Stats | undefined): FileStat | undefined {
    if (link === undefined) return undefined;
    if (!link.isSymbolicLink()) return toFileStat(name, link);
    links.push(index);
    return undefined;
  }

  async createReadStream(path: string, options: ReadOptions = {}): Promise<Readable> {
    const segments = this.#segments(path);
    const start = checkOffset(options.start, path);
    options.signal?.throwIfAborted();
    let handle: FileHandle | undefined;
    let size: number;
    try {
      const real = await this.#existing(segments, path);
      // realpath returned a link-free path: O_NOFOLLOW only trips if someone swapped in a link since.
      handle = await open(real, constants.O_RDONLY | noFollow());
      const info = await handle.stat();
      if (info.isDirectory()) throw new FileSystemError('IsADirectory', undefined, { path });
      if (!info.isFile()) throw new FileSystemError('PermissionDenied', 'Not a regular file', { path });
      if (start > info.size)
        throw new FileSystemError('InvalidOffset', 'Offset beyond end of file', { path });
      size = info.size;
    } catch (error) {
      await handle?.close().catch(() => {});
      throw toFileSystemError(error, path);
    }
    const stream = new HandleReadable(handle, start, size, this.#readHighWaterMark, path);
    if (options.signal) addAbortSignal(options.signal, stream);
    return stream;
  }

  /**
   * RETR's fast path: the real parent (the cached real root for a file at the top, else one
   * `realpath`), then the final component opened with O_NOFOLLOW and checked with fstat, where
   * `stat` + `createReadStream` cost two realpaths, an lstat and an open. With `syncReadBytes`
   * (the default) those calls are synchronous and a small file is read whole before the 150
   * reply. A symlink (ELOOP), a missing file, a parent outside the root or anything unusual
   * returns undefined: the caller then takes the checked path, which decides (and words the
   * error) exactly as before.
   */
  async [OPEN_READ_FAST](
    path: string,
    start: number,
  ): Promise<{ stat: FileStat; stream: Readable } | undefined> {
    const flag = noFollow();
    if (flag === 0) return undefined;
    try {
      const segments = this.#segments(path);
      const name = segments.at(-1);
      if (name === undefined || (this.#hideTemp && name.startsWith(UPLOAD_TEMP_PREFIX))) return undefined;
      if (this.#syncReadBytes === 0) return await this.#openReadAsync(segments, name, path, start, flag);
      const root = await this.#root();
      const parent =
        segments.length <= 1
          ? root
          : insideOrDenied(realpathSync.native(nodePath.join(root, ...segments.slice(0, -1))), root, path);
      return this.#openReadSync(nodePath.join(parent, name), name, path, start, flag);
    } catch {
      return undefined;
    }
  }

  #openReadSync(
    file: string,
    name: string,
    path: string,
    start: number,
    flag: number,
  ): { stat: FileStat; stream: Readable } | undefined {
    const fd = openSync(file, constants.O_RDONLY | flag);
    let owned = true;
    try {
      const info = fstatSync(fd);
      if (!info.isFile() || start > info.size) return undefined;
      const remaining = info.size - start;
      if (remaining > this.#syncReadBytes) {
        owned = false;
        const stream = new HandleReadable(fdReader(fd), start, info.size, this.#readHighWaterMark, path);
        return { stat: toFileStat(name, info), stream };
      }
      // The bytes the fstat promised; a file truncated meanwhile sends what is left.
      return {
        stat: toFileStat(name, info),
        stream: new BufferReadable(readFileRangeSync(fd, remaining, start)),
      };
    } finally {
      if (owned) closeSync(fd);
    }
  }

  async #openReadAsync(
    segments: readonly string[],
    name: string,
    path: string,
    start: number,
    flag: number,
  ): Promise<{ stat: FileStat; stream: Readable } | undefined> {
    let handle: FileHandle | undefined;
    try {
      const parent = await this.#parent(segments, path);
      handle = await open(nodePath.join(parent, name), constants.O_RDONLY | flag);
      const info = await handle.stat();
      if (!info.isFile() || start > info.size) {
        await handle.close();
        return undefined;
      }
      return {
        stat: toFileStat(name, info),
        stream: new HandleReadable(handle, start, info.size, this.#readHighWaterMark, path),
      };
    } catch {
      await handle?.close().catch(() => {});
      return undefined;
    }
  }

  async createWriteStream(path: string, options: WriteOptions = {}): Promise<FileUpload> {
    const segments = this.#segments(path);
    const start = checkOffset(options.start, path);
    const append = options.append ?? false;
    if (append && start > 0) throw new InvalidArgumentError('append and start exclude each other');
    const signal = options.signal;
    signal?.throwIfAborted();
    const name = segments.at(-1);
    if (name === undefined) throw new FileSystemError('IsADirectory', undefined, { path });
    let handle: FileHandle | undefined;
    try {
      const parent = await this.#parent(segments, path);
      let target = nodePath.join(parent, name);
      let existing = await lstatOrUndefined(target);
      if (existing?.isSymbolicLink()) {
        // Write through a link only when it resolves inside the root; a dangling link is refused
        // too, because creating its target could create a file anywhere.
        target = await this.#inside(await realpath(target).catch(() => denied(path)), path);
        existing = await stat(target);
      }
      if (existing?.isDirectory()) throw new FileSystemError('IsADirectory', undefined, { path });
      if (existing && !existing.isFile())
        throw new FileSystemError('PermissionDenied', 'Not a regular file', { path });

      if (append) {
        handle = await open(
          target,
          constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | noFollow(),
          this.#fileMode,
        );
        return createUpload(handleSink(handle, null), {
          path,
          atomic: false,
          signal,
          coalesceBytes: WRITE_COALESCE_BYTES,
        });
      }
      if (start > 0) {
        if (!existing) throw new FileSystemError('InvalidOffset', 'Offset beyond end of file', { path });
        handle = await open(target, constants.O_WRONLY | noFollow());
        const info = await handle.stat();
        if (start > info.size)
          throw new FileSystemError('InvalidOffset', 'Offset beyond end of file', { path });
        return createUpload(handleSink(handle, start), {
          path,
          atomic: false,
          signal,
          coalesceBytes: WRITE_COALESCE_BYTES,
        });
      }
      if (!this.#atomic) {
        handle = await open(
          target,
          constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | noFollow(),
          this.#fileMode,
        );
        return createUpload(handleSink(handle, 0), {
          path,
          atomic: false,
          signal,
          coalesceBytes: WRITE_COALESCE_BYTES,
        });
      }
      const temp = nodePath.join(
        nodePath.dirname(target),
        UPLOAD_TEMP_PREFIX + randomBytes(8).toString('hex'),
      );
      handle = await open(
        temp,
        constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | noFollow(),
        this.#fileMode,
      );
      const tempHandle = handle;
      // Replacing a file keeps its permission bits, as an in-place overwrite would.
      if (existing) await tempHandle.chmod(existing.mode & 0o7777);
      const sink = handleSink(tempHandle, 0);
      return createUpload(
        {
          write: sink.write,
          async publish() {
            await tempHandle.close();
            await rename(temp, target);
          },
          async discard() {
            await tempHandle.close().catch(() => {});
            await unlink(temp).catch(() => {});
          },
        },
        { path, atomic: true, signal, coalesceBytes: WRITE_COALESCE_BYTES },
      );
    } catch (error) {
      await handle?.close().catch(() => {});
      throw toFileSystemError(error, path);
    }
  }

  async mkdir(path: string): Promise<void> {
    const segments = this.#segments(path);
    const name = segments.at(-1);
    if (name === undefined) throw new FileSystemError('AlreadyExists', undefined, { path });
    try {
      const parent = await this.#parent(segments, path);
      await mkdir(nodePath.join(parent, name), this.#directoryMode);
    } catch (error) {
      throw toFileSystemError(error, path);
    }
  }

  async rmdir(path: string): Promise<void> {
    const entry = await this.#entry(path, 'remove the root');
    try {
      await rmdir(entry);
    } catch (error) {
      throw toFileSystemError(error, path);
    }
  }

  async delete(path: string): Promise<void> {
    if (this.#segments(path).length === 0) throw new FileSystemError('IsADirectory', undefined, { path });
    const entry = await this.#entry(path, 'delete the root');
    try {
      // unlink(dir) is EISDIR on Linux but EPERM on macOS: ask first so every platform says the same.
      if ((await lstat(entry)).isDirectory()) throw new FileSystemError('IsADirectory', undefined, { path });
      await unlink(entry);
    } catch (error) {
      throw toFileSystemError(error, path);
    }
  }

  async rename(from: string, to: string): Promise<void> {
    const source = await this.#entry(from, 'rename the root');
    const target = await this.#entry(to, 'replace the root');
    try {
      await rename(source, target);
    } catch (error) {
      throw toFileSystemError(error, from);
    }
  }

  async setModified(path: string, modified: Date): Promise<void> {
    if (!(modified instanceof Date) || Number.isNaN(modified.getTime())) {
      throw new InvalidArgumentError('setModified needs a valid Date');
    }
    try {
      const real = await this.#existing(this.#segments(path), path);
      const info = await stat(real);
      await utimes(real, info.atime, modified);
    } catch (error) {
      throw toFileSystemError(error, path);
    }
  }

  async hash(path: string, algorithm: string, options: HashOptions = {}): Promise<string> {
    if (!this.capabilities.hashAlgorithms.includes(algorithm)) {
      throw new FileSystemError('Unsupported', `Hash algorithm ${algorithm} not offered`, { path });
    }
    const start = checkOffset(options.start, path);
    const end = options.end === undefined ? undefined : checkOffset(options.end, path);
    if (end !== undefined && end < start) throw new FileSystemError('InvalidOffset', undefined, { path });
    const readable = await this.createReadStream(path, {
      start,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    try {
      return await digest(readable, algorithm, end === undefined ? undefined : end - start);
    } catch (error) {
      throw toFileSystemError(error, path);
    }
  }

  // --- path mapping and the jail ---------------------------------------------------------

  #segments(path: string): string[] {
    const segments = segmentsOf(path);
    // '\' is an ordinary character in virtual paths; where it separates real paths, refuse it
    // rather than let `a\..\..\x` become three components on disk.
    if (IS_WINDOWS && segments.some((s) => s.includes('\\') || s.includes(':'))) {
      throw new FileSystemError('InvalidName', undefined, { path });
    }
    return segments;
  }

  #root(): Promise<string> {
    this.#rootReal ??= realpath(this.root).catch((error: unknown) => {
      this.#rootReal = undefined;
      throw error;
    });
    return this.#rootReal;
  }

  /** Throws PermissionDenied unless `real` is the root or below it. */
  async #inside(real: string, path: string): Promise<string> {
    return insideOrDenied(real, await this.#root(), path);
  }

  /** The real path of the parent directory of `segments` (checked inside the root). */
  async #parent(segments: readonly string[], path: string): Promise<string> {
    const root = await this.#root();
    if (segments.length <= 1) return root;
    return this.#inside(await realpath(nodePath.join(root, ...segments.slice(0, -1))), path);
  }

  /** The real path of an existing target, following links only inside the root. */
  async #existing(segments: readonly string[], path: string): Promise<string> {
    const root = await this.#root();
    if (segments.length === 0) return root;
    const lexical = nodePath.join(root, ...segments);
    try {
      return await this.#inside(await realpath(lexical), path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') throw error;
      // Tell "missing" from "a parent escapes the root" and "a dangling link" (both refusals).
      await this.#parent(segments, path);
      if ((await lstatOrUndefined(lexical))?.isSymbolicLink()) denied(path);
      throw error;
    }
  }

  /** The real path of a directory entry itself (final symlink not followed); never the root. */
  async #entry(path: string, what: string): Promise<string> {
    const segments = this.#segments(path);
    const name = segments.at(-1);
    if (name === undefined) throw new FileSystemError('PermissionDenied', `Cannot ${what}`, { path });
    try {
      return nodePath.join(await this.#parent(segments, path), name);
    } catch (error) {
      throw toFileSystemError(error, path);
    }
  }

  async #followInside(entry: string, link: Stats, name: string): Promise<FileStat> {
    try {
      const real = await realpath(entry);
      const root = await this.#root();
      const prefix = root.endsWith(nodePath.sep) ? root : root + nodePath.sep;
      if (real === root || real.startsWith(prefix)) return toFileStat(name, await stat(real));
    } catch {
      // Dangling or looping: show the link itself.
    }
    return toFileStat(name, link);
  }
}

function insideOrDenied(real: string, root: string, path: string): string {
  const prefix = root.endsWith(nodePath.sep) ? root : root + nodePath.sep;
  if (real !== root && !real.startsWith(prefix)) denied(path);
  return real;
}

function denied(path: string): never {
  throw new FileSystemError('PermissionDenied', 'Path leaves the root', { path });
}

function noFollow(): number {
  return constants.O_NOFOLLOW ?? 0;
}

async function lstatOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new InvalidArgumentError(`${name} must be a positive integer`);
  return value;
}

function nonNegativeInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 0)
    throw new InvalidArgumentError(`${name} must be a non-negative integer`);
  return value;
}

function typeOf(mode: number): FileType {
  switch (mode & constants.S_IFMT) {
    case constants.S_IFREG:
      return 'file';
    case constants.S_IFDIR:
      return 'dir';
    case constants.S_IFLNK:
      return 'symlink';
    default:
      return 'other';
  }
}

function toFileStat(name: string, info: Stats): FileStat {
  return fileStatOf(
    name,
    info.mode,
    info.size,
    info.mtimeMs,
    info.birthtimeMs,
    info.nlink,
    info.uid,
    info.gid,
    info.dev,
    info.ino,
  );
}

/** The record for an entry the helper thread lstat'ed: slots as `./lstat-thread.ts` packs them. */
function packedFileStat(name: string, p: Float64Array, o: number): FileStat {
  return fileStatOf(
    name,
    p[o + 1]!,
    p[o + 2]!,
    p[o + 3]!,
    p[o + 4]!,
    p[o + 5]!,
    p[o + 6]!,
    p[o + 7]!,
    p[o + 8]!,
    p[o + 9]!,
  );
}

function fileStatOf(
  name: string,
  mode: number,
  size: number,
  mtimeMs: number,
  birthtimeMs: number,
  nlink: number,
  uid: number,
  gid: number,
  dev: number,
  ino: number,
): FileStat {
  const type = typeOf(mode);
  const unique = `${dev.toString(16)}g${ino.toString(16)}`;
  // Dates as Node's Stats makes them (rounded ms); two literal shapes, not a spread per entry.
  const modified = new Date(Math.round(mtimeMs));
  if (birthtimeMs > 0) {
    const created = new Date(Math.round(birthtimeMs));
    return {
      name,
      type,
      size: type === 'symlink' ? 0 : size,
      modified,
      created,
      mode: mode & 0o7777,
      nlink,
      owner: uid,
      group: gid,
      unique,
    };
  }
  return {
    name,
    type,
    size: type === 'symlink' ? 0 : size,
    modified,
    mode: mode & 0o7777,
    nlink,
    owner: uid,
    group: gid,
    unique,
  };
}

/** A sink writing to `handle` at `position` (null: wherever O_APPEND puts it). */
function handleSink(handle: FileHandle, position: number | null): UploadSink {
  let next = position;
  return {
    async write(chunks) {
      let pending = chunks.filter((c) => c.length > 0);
      while (pending.length > 0) {
        const total = pending.reduce((n, c) => n + c.length, 0);
        const { bytesWritten } = await handle.writev(pending, next ?? undefined);
        if (next !== null) next += bytesWritten;
        if (bytesWritten >= total) return;
        pending = dropBytes(pending, bytesWritten);
      }
    },
    publish: () => handle.close(),
    discard: () => handle.close().catch(() => {}),
  };
}

function dropBytes(chunks: readonly Buffer[], count: number): Buffer[] {
  const out: Buffer[] = [];
  let skip = count;
  for (const chunk of chunks) {
    if (skip >= chunk.length) skip -= chunk.length;
    else {
      out.push(skip > 0 ? chunk.subarray(skip) : chunk);
      skip = 0;
    }
  }
  return out;
}

/** Reads a FileHandle in large chunks; errors are FileSystemErrors; closes the handle when done. */
/** What HandleReadable needs of an open file: a FileHandle, or a raw fd (`fdReader`). */
interface ReadHandle {
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  close(): Promise<void>;
}

function fdReader(fd: number): ReadHandle {
  return {
    read: (buffer, offset, length, position) =>
      new Promise((resolve, reject) =>
        readFd(fd, buffer, offset, length, position, (error, bytesRead) =>
          error ? reject(error) : resolve({ bytesRead }),
        ),
      ),
    close: () =>
      new Promise((resolve, reject) => closeFd(fd, (error) => (error ? reject(error) : resolve()))),
  };
}

/** A whole small file already in memory: one chunk, then EOF. */
class BufferReadable extends Readable {
  #buffer: Buffer | undefined;

  constructor(buffer: Buffer) {
    super();
    this.#buffer = buffer;
  }

  override _read(): void {
    const buffer = this.#buffer;
    this.#buffer = undefined;
    if (buffer !== undefined && buffer.length > 0) this.push(buffer);
    this.push(null);
  }
}

class HandleReadable extends Readable implements ReusingReadable {
  readonly #handle: ReadHandle;
  readonly #chunk: number;
  readonly #path: string;
  readonly #buffers: ReadBufferPool;
  #position: number;
  #expected: number;

  constructor(handle: ReadHandle, start: number, size: number, highWaterMark: number, path: string) {
    super({ highWaterMark });
    this.#handle = handle;
    this.#position = start;
    this.#expected = size;
    this.#chunk = highWaterMark;
    this.#path = path;
    this.#buffers = new ReadBufferPool(highWaterMark);
  }

  override _read(): void {
    // Small files get small buffers; a file that grows while read still streams to its end.
    const length = Math.min(this.#chunk, Math.max(this.#expected - this.#position, MIN_READ_CHUNK));
    const buffer = length === this.#chunk ? this.#buffers.take() : Buffer.allocUnsafe(length);
    this.#handle.read(buffer, 0, length, this.#position).then(
      ({ bytesRead }) => {
        if (bytesRead === 0) {
          this.push(null);
          return;
        }
        this.#position += bytesRead;
        this.push(bytesRead === length ? buffer : buffer.subarray(0, bytesRead));
      },
      (error: unknown) => this.destroy(toFileSystemError(error, this.#path)),
    );
  }

  /** The data connection has sent `chunk`: a full-size buffer is read into again. */
  [CHUNK_WRITTEN](chunk: Buffer): void {
    this.#buffers.give(chunk);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#buffers.clear();
    this.#handle.close().then(
      () => callback(error),
      (closeError: unknown) => callback(error ?? toFileSystemError(closeError, this.#path)),
    );
  }
}
