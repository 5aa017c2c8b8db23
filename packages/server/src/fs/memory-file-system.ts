/**
 * MemoryFileSystem: the `FileSystem` contract in memory.
 *
 * Owns: a tree of directories and byte buffers with the same observable semantics as
 * `LocalFileSystem` on Linux (POSIX rename, non-recursive mkdir, REST/APPE in place, atomic fresh
 * uploads), and a byte cap so that disk-full paths can be tested (writes past `maxSize` fail with
 * NoSpace, reply 452). For tests and for servers assembled from parts. No symlinks.
 *
 * Like a disk, an atomic upload that replaces a file counts twice against the cap until it is
 * committed (the old file and the staged bytes both exist).
 */

import { createHash, getHashes } from 'node:crypto';
import { addAbortSignal, Readable } from 'node:stream';
import { InvalidArgumentError } from '../errors.js';
import { FileSystemError } from './errors.js';
import type {
  FileStat,
  FileSystem,
  FileSystemCapabilities,
  FileUpload,
  HashOptions,
  ListOptions,
  ReadOptions,
  WriteOptions,
} from './file-system.js';
import { checkOffset, defaultHashAlgorithms, segmentsOf } from './internal.js';
import { createUpload } from './upload.js';

export interface MemoryFileSystemOptions {
  /** Total bytes of file content (committed plus uploads in flight). Default: unlimited. */
  readonly maxSize?: number;
  /**
   * Initial content: virtual path → file content (string is UTF-8). Parent directories are
   * created; a path ending in '/' creates an empty directory.
   */
  readonly files?: Readonly<Record<string, string | Uint8Array>>;
  /** Owner and group reported by `stat`/`list`. Default: absent (formatters print `ftp`). */
  readonly owner?: string | number;
  readonly group?: string | number;
  /** Read chunk size. Default 64 KiB. */
  readonly readChunkSize?: number;
  /** Algorithms `hash()` offers. Default: sha256, sha512, sha1, md5. */
  readonly hashAlgorithms?: readonly string[];
}

interface NodeBase {
  readonly id: number;
  modified: Date;
  readonly created: Date;
  mode: number;
}
interface DirNode extends NodeBase {
  readonly type: 'dir';
  readonly children: Map<string, Node>;
}
interface FileNode extends NodeBase {
  readonly type: 'file';
  /** Backing store; only the first `size` bytes are content (capacity doubles as it grows). */
  buffer: Buffer;
  size: number;
}
type Node = DirNode | FileNode;

export class MemoryFileSystem implements FileSystem {
  readonly capabilities: FileSystemCapabilities;
  readonly maxSize: number;
  readonly #root: DirNode;
  readonly #owner: string | number | undefined;
  readonly #group: string | number | undefined;
  readonly #chunk: number;
  #nextId = 1;
  #used = 0;
  #reserved = 0;

  constructor(options: MemoryFileSystemOptions = {}) {
    const maxSize = options.maxSize ?? Number.POSITIVE_INFINITY;
    if (!(maxSize >= 0)) throw new InvalidArgumentError('maxSize must be a non-negative number');
    this.maxSize = maxSize;
    this.#owner = options.owner;
    this.#group = options.group;
    this.#chunk = options.readChunkSize ?? 64 * 1024;
    if (!Number.isSafeInteger(this.#chunk) || this.#chunk <= 0) {
      throw new InvalidArgumentError('readChunkSize must be a positive integer');
    }
    const available = new Set(getHashes());
    const algorithms = options.hashAlgorithms ?? defaultHashAlgorithms();
    for (const name of algorithms) {
      if (!available.has(name)) throw new InvalidArgumentError(`Unknown hash algorithm ${name}`);
    }
    this.capabilities = {
      restartRead: true,
      restartWrite: true,
      append: true,
      setModified: true,
      atomicUpload: true,
      hashAlgorithms: Object.freeze([...algorithms]),
      symlinks: 'none',
      sortedList: true,
    };
    this.#root = this.#dir();
    for (const [path, content] of Object.entries(options.files ?? {})) this.#seed(path, content);
  }

  /** Bytes currently stored (committed files only). */
  get usedBytes(): number {
    return this.#used;
  }

  async stat(path: string): Promise<FileStat> {
    const segments = segmentsOf(path);
    return this.#toStat(segments.at(-1) ?? '/', this.#lookup(segments, path));
  }

  async list(path: string, options: ListOptions = {}): Promise<AsyncIterable<FileStat>> {
    options.signal?.throwIfAborted();
    const node = this.#lookup(segmentsOf(path), path);
    if (node.type !== 'dir') throw new FileSystemError('NotADirectory', undefined, { path });
    // A snapshot: the listing is consistent even if the directory changes while it streams.
    const entries = [...node.children].map(([name, child]) => this.#toStat(name, child));
    if (options.sorted) entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const signal = options.signal;
    return (async function* () {
      for (const entry of entries) {
        signal?.throwIfAborted();
        yield entry;
      }
    })();
  }

  async createReadStream(path: string, options: ReadOptions = {}): Promise<Readable> {
    const start = checkOffset(options.start, path);
    options.signal?.throwIfAborted();
    const node = this.#file(segmentsOf(path), path);
    if (start > node.size) throw new FileSystemError('InvalidOffset', 'Offset beyond end of file', { path });
    const snapshot = Buffer.from(node.buffer.subarray(start, node.size));
    const chunk = this.#chunk;
    const stream = Readable.from(
      (function* () {
        for (let offset = 0; offset < snapshot.length; offset += chunk) {
          yield snapshot.subarray(offset, offset + chunk);
        }
      })(),
      { objectMode: false },
    );
    if (options.signal) addAbortSignal(options.signal, stream);
    return stream;
  }

  async createWriteStream(path: string, options: WriteOptions = {}): Promise<FileUpload> {
    const segments = segmentsOf(path);
    const start = checkOffset(options.start, path);
    const append = options.append ?? false;
    if (append && start > 0) throw new InvalidArgumentError('append and start exclude each other');
    const signal = options.signal;
    signal?.throwIfAborted();
    const name = segments.at(-1);
    if (name === undefined) throw new FileSystemError('IsADirectory', undefined, { path });
    const parent = this.#parentDir(segments, path);
    const existing = parent.children.get(name);
    if (existing?.type === 'dir') throw new FileSystemError('IsADirectory', undefined, { path });

    if (append || start > 0) {
      if (start > (existing?.size ?? 0)) {
        throw new FileSystemError('InvalidOffset', 'Offset beyond end of file', { path });
      }
      let node = existing;
      if (!node) {
        node = this.#file0();
        parent.children.set(name, node);
        parent.modified = new Date();
      }
      const file = node;
      let position = append ? file.size : start;
      return createUpload(
        {
          write: async (chunks) => {
            for (const chunk of chunks) {
              if (append) position = file.size;
              this.#writeAt(file, position, chunk, path);
              position += chunk.length;
            }
            file.modified = new Date();
          },
          publish: async () => {},
          discard: async () => {},
        },
        { path, atomic: false, signal },
      );
    }

    const staged: Buffer[] = [];
    let stagedBytes = 0;
    return createUpload(
      {
        write: async (chunks) => {
          const total = chunks.reduce((n, c) => n + c.length, 0);
          this.#reserve(total, path);
          for (const c of chunks) staged.push(Buffer.from(c));
          stagedBytes += total;
        },
        publish: async () => {
          // Resolve again: the tree may have changed while the bytes were arriving.
          const dir = this.#parentDir(segments, path);
          const current = dir.children.get(name);
          if (current?.type === 'dir') throw new FileSystemError('IsADirectory', undefined, { path });
          const data = Buffer.concat(staged, stagedBytes);
          const file = this.#file0();
          file.buffer = data;
          file.size = data.length;
          if (current) file.mode = current.mode;
          this.#reserved -= stagedBytes;
          this.#used += stagedBytes - (current?.size ?? 0);
          stagedBytes = 0;
          dir.children.set(name, file);
          dir.modified = new Date();
        },
        discard: async () => {
          this.#reserved -= stagedBytes;
          stagedBytes = 0;
          staged.length = 0;
        },
      },
      { path, atomic: true, signal },
    );
  }

  async mkdir(path: string): Promise<void> {
    const segments = segmentsOf(path);
    const name = segments.at(-1);
    if (name === undefined) throw new FileSystemError('AlreadyExists', undefined, { path });
    const parent = this.#parentDir(segments, path);
    if (parent.children.has(name)) throw new FileSystemError('AlreadyExists', undefined, { path });
    parent.children.set(name, this.#dir());
    parent.modified = new Date();
  }

  async rmdir(path: string): Promise<void> {
    const segments = segmentsOf(path);
    const name = segments.at(-1);
    if (name === undefined) throw new FileSystemError('PermissionDenied', 'Cannot remove the root', { path });
    const parent = this.#parentDir(segments, path);
    const node = parent.children.get(name);
    if (!node) throw new FileSystemError('NotFound', undefined, { path });
    if (node.type !== 'dir') throw new FileSystemError('NotADirectory', undefined, { path });
    if (node.children.size > 0) throw new FileSystemError('NotEmpty', undefined, { path });
    parent.children.delete(name);
    parent.modified = new Date();
  }

  async delete(path: string): Promise<void> {
    const segments = segmentsOf(path);
    const name = segments.at(-1);
    if (name === undefined) throw new FileSystemError('IsADirectory', undefined, { path });
    const parent = this.#parentDir(segments, path);
    const node = parent.children.get(name);
    if (!node) throw new FileSystemError('NotFound', undefined, { path });
    if (node.type === 'dir') throw new FileSystemError('IsADirectory', undefined, { path });
    this.#used -= node.size;
    parent.children.delete(name);
    parent.modified = new Date();
  }

  async rename(from: string, to: string): Promise<void> {
    const source = segmentsOf(from);
    const target = segmentsOf(to);
    const sourceName = source.at(-1);
    const targetName = target.at(-1);
    if (sourceName === undefined || targetName === undefined) {
      throw new FileSystemError('PermissionDenied', 'Cannot rename the root', { path: from });
    }
    const sourceDir = this.#parentDir(source, from);
    const node = sourceDir.children.get(sourceName);
    if (!node) throw new FileSystemError('NotFound', undefined, { path: from });
    const targetDir = this.#parentDir(target, to);
    if (from === to) return;
    // POSIX rename(2): EINVAL when moving a directory below itself.
    if (node.type === 'dir' && to.startsWith(`${from}/`)) {
      throw new FileSystemError('InvalidName', 'Cannot move a directory into itself', { path: to });
    }
    const replaced = targetDir.children.get(targetName);
    if (replaced) {
      if (replaced.type === 'dir' && node.type !== 'dir')
        throw new FileSystemError('IsADirectory', undefined, { path: to });
      if (replaced.type !== 'dir' && node.type === 'dir')
        throw new FileSystemError('NotADirectory', undefined, { path: to });
      if (replaced.type === 'dir' && replaced.children.size > 0)
        throw new FileSystemError('NotEmpty', undefined, { path: to });
      if (replaced.type === 'file') this.#used -= replaced.size;
    }
    sourceDir.children.delete(sourceName);
    targetDir.children.set(targetName, node);
    const now = new Date();
    sourceDir.modified = now;
    targetDir.modified = now;
  }

  async setModified(path: string, modified: Date): Promise<void> {
    if (!(modified instanceof Date) || Number.isNaN(modified.getTime())) {
      throw new InvalidArgumentError('setModified needs a valid Date');
    }
    this.#lookup(segmentsOf(path), path).modified = new Date(modified.getTime());
  }

  async hash(path: string, algorithm: string, options: HashOptions = {}): Promise<string> {
    if (!this.capabilities.hashAlgorithms.includes(algorithm)) {
      throw new FileSystemError('Unsupported', `Hash algorithm ${algorithm} not offered`, { path });
    }
    options.signal?.throwIfAborted();
    const node = this.#file(segmentsOf(path), path);
    const start = checkOffset(options.start, path);
    const end = options.end === undefined ? node.size : checkOffset(options.end, path);
    if (start > node.size || end < start) throw new FileSystemError('InvalidOffset', undefined, { path });
    return createHash(algorithm)
      .update(node.buffer.subarray(start, Math.min(end, node.size)))
      .digest('hex');
  }

  // --- tree ------------------------------------------------------------------------------

  #dir(): DirNode {
    const now = new Date();
    return { type: 'dir', id: this.#nextId++, modified: now, created: now, mode: 0o755, children: new Map() };
  }

  #file0(): FileNode {
    const now = new Date();
    return {
      type: 'file',
      id: this.#nextId++,
      modified: now,
      created: now,
      mode: 0o644,
      buffer: Buffer.alloc(0),
      size: 0,
    };
  }

  #lookup(segments: readonly string[], path: string): Node {
    let node: Node = this.#root;
    for (const segment of segments) {
      if (node.type !== 'dir') throw new FileSystemError('NotADirectory', undefined, { path });
      const child: Node | undefined = node.children.get(segment);
      if (!child) throw new FileSystemError('NotFound', undefined, { path });
      node = child;
    }
    return node;
  }

  #parentDir(segments: readonly string[], path: string): DirNode {
    const parent = this.#lookup(segments.slice(0, -1), path);
    if (parent.type !== 'dir') throw new FileSystemError('NotADirectory', undefined, { path });
    return parent;
  }

  #file(segments: readonly string[], path: string): FileNode {
    const node = this.#lookup(segments, path);
    if (node.type === 'dir') throw new FileSystemError('IsADirectory', undefined, { path });
    return node;
  }

  #reserve(bytes: number, path: string): void {
    if (this.#used + this.#reserved + bytes > this.maxSize) {
      throw new FileSystemError('NoSpace', undefined, { path });
    }
    this.#reserved += bytes;
  }

  #writeAt(file: FileNode, position: number, chunk: Buffer, path: string): void {
    const end = position + chunk.length;
    const growth = Math.max(0, end - file.size);
    if (this.#used + this.#reserved + growth > this.maxSize) {
      throw new FileSystemError('NoSpace', undefined, { path });
    }
    if (end > file.buffer.length) {
      const grown = Buffer.alloc(Math.max(end, file.buffer.length * 2, 1024));
      file.buffer.copy(grown, 0, 0, file.size);
      file.buffer = grown;
    }
    chunk.copy(file.buffer, position);
    file.size += growth;
    this.#used += growth;
  }

  #seed(path: string, content: string | Uint8Array): void {
    const isDir = path.endsWith('/') && path !== '/';
    const clean = isDir ? path.slice(0, -1) : path;
    const segments = segmentsOf(clean);
    let dir = this.#root;
    for (const segment of isDir ? segments : segments.slice(0, -1)) {
      let child = dir.children.get(segment);
      if (!child) {
        child = this.#dir();
        dir.children.set(segment, child);
      }
      if (child.type !== 'dir') throw new InvalidArgumentError(`Seed path ${path} goes through a file`);
      dir = child;
    }
    const name = segments.at(-1);
    if (isDir || name === undefined) return;
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content);
    if (this.#used + data.length > this.maxSize) throw new InvalidArgumentError('Seed files exceed maxSize');
    const file = this.#file0();
    file.buffer = data;
    file.size = data.length;
    this.#used += data.length;
    dir.children.set(name, file);
  }

  #toStat(name: string, node: Node): FileStat {
    return {
      name,
      type: node.type,
      size: node.type === 'file' ? node.size : 0,
      modified: node.modified,
      created: node.created,
      mode: node.mode,
      nlink: node.type === 'dir' ? 2 + countDirs(node) : 1,
      ...(this.#owner === undefined ? {} : { owner: this.#owner }),
      ...(this.#group === undefined ? {} : { group: this.#group }),
      unique: node.id.toString(16),
    };
  }
}

function countDirs(dir: DirNode): number {
  let n = 0;
  for (const child of dir.children.values()) if (child.type === 'dir') n++;
  return n;
}
