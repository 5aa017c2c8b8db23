import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { expect } from 'vitest';
import { type FileSystemErrorKind, isFileSystemError } from '../src/fs/errors.ts';
import type { FileSystem, WriteOptions } from '../src/fs/file-system.ts';
import { collectList } from '../src/fs/file-system.ts';

/** A FileSystem that forwards every call to `inner`, except those given in `overrides`. */
export function wrapFileSystem(inner: FileSystem, overrides: Partial<FileSystem> = {}): FileSystem {
  return {
    capabilities: inner.capabilities,
    stat: (p) => inner.stat(p),
    list: (p, o) => inner.list(p, o),
    createReadStream: (p, o) => inner.createReadStream(p, o),
    createWriteStream: (p, o) => inner.createWriteStream(p, o),
    mkdir: (p) => inner.mkdir(p),
    rmdir: (p) => inner.rmdir(p),
    delete: (p) => inner.delete(p),
    rename: (a, b) => inner.rename(a, b),
    ...overrides,
  };
}

/** A fresh directory under the OS temp dir; `remove()` deletes it. */
export async function tempDir(prefix = 'ftpkit-server-'): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export async function writeFile(
  fs: FileSystem,
  file: string,
  content: string | Buffer,
  options: WriteOptions = {},
): Promise<void> {
  const upload = await fs.createWriteStream(file, options);
  await pipeline(Readable.from([Buffer.from(content)]), upload.stream);
  await upload.commit();
}

export async function readFile(fs: FileSystem, file: string, start?: number): Promise<string> {
  const stream = await fs.createReadStream(file, start === undefined ? {} : { start });
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function names(fs: FileSystem, dir: string): Promise<string[]> {
  return (await collectList(await fs.list(dir))).map((e) => e.name).sort();
}

/** Asserts that `promise` rejects with a FileSystemError of `kind`; returns it. */
export async function expectKind(promise: Promise<unknown>, kind: FileSystemErrorKind): Promise<void> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected a ${kind} FileSystemError`).toBeDefined();
  expect(isFileSystemError(caught), `not a FileSystemError: ${String(caught)}`).toBe(true);
  expect((caught as { kind: string }).kind).toBe(kind);
}
