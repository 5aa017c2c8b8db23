import { isFtpkitError } from '@ftpkit/codec';
import { describe, expect, it } from 'vitest';
import {
  ERRNO_KINDS,
  errnoToKind,
  FILE_SYSTEM_ERROR_TABLE,
  FileSystemError,
  type FileSystemErrorKind,
  isFileSystemError,
  toFileSystemError,
} from '../src/fs/errors.ts';
import { NO_CAPABILITIES, requireCapability } from '../src/fs/file-system.ts';
import { MemoryFileSystem } from '../src/fs/memory-file-system.ts';

describe('kind → reply table', () => {
  it.each<[FileSystemErrorKind, number]>([
    ['NotFound', 550],
    ['AlreadyExists', 550],
    ['NotEmpty', 550],
    ['NotADirectory', 550],
    ['IsADirectory', 550],
    ['PermissionDenied', 550],
    ['NoSpace', 452],
    ['QuotaExceeded', 552],
    ['NameTooLong', 553],
    ['InvalidName', 553],
    ['InvalidOffset', 554],
    ['Busy', 450],
    ['Unsupported', 502],
    ['Io', 451],
  ])('%s → %d', (kind, reply) => {
    expect(FILE_SYSTEM_ERROR_TABLE[kind].replyCode).toBe(reply);
    const error = new FileSystemError(kind);
    expect(error.replyCode).toBe(reply);
    expect(error.kind).toBe(kind);
    expect(error.code).toBe(FILE_SYSTEM_ERROR_TABLE[kind].code);
    expect(error.message).toBe(FILE_SYSTEM_ERROR_TABLE[kind].replyText);
  });

  it('covers exactly the closed set, with unique stable codes', () => {
    expect(Object.keys(FILE_SYSTEM_ERROR_TABLE)).toHaveLength(14);
    const codes = Object.values(FILE_SYSTEM_ERROR_TABLE).map((info) => info.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^FTPKIT_ERR_FS_[A-Z_]+$/);
  });

  it('is an FtpkitError with a brand', () => {
    const error = new FileSystemError('NotFound', undefined, { path: '/x', errno: 'ENOENT' });
    expect(error).toBeInstanceOf(Error);
    expect(isFtpkitError(error)).toBe(true);
    expect(isFileSystemError(error)).toBe(true);
    expect(error.name).toBe('FileSystemError');
    expect(error.path).toBe('/x');
    expect(isFileSystemError(new Error('x'))).toBe(false);
  });
});

describe('errno → kind', () => {
  it.each<[string, FileSystemErrorKind]>([
    ['ENOENT', 'NotFound'],
    ['EEXIST', 'AlreadyExists'],
    ['ENOTEMPTY', 'NotEmpty'],
    ['ENOTDIR', 'NotADirectory'],
    ['EISDIR', 'IsADirectory'],
    ['EACCES', 'PermissionDenied'],
    ['EPERM', 'PermissionDenied'],
    ['EROFS', 'PermissionDenied'],
    ['ELOOP', 'PermissionDenied'],
    ['ENOSPC', 'NoSpace'],
    ['EDQUOT', 'QuotaExceeded'],
    ['EFBIG', 'QuotaExceeded'],
    ['ENAMETOOLONG', 'NameTooLong'],
    ['EINVAL', 'InvalidName'],
    ['EBUSY', 'Busy'],
    ['EMFILE', 'Busy'],
    ['ENFILE', 'Busy'],
    ['EAGAIN', 'Busy'],
    ['ENOTSUP', 'Unsupported'],
    ['ENOSYS', 'Unsupported'],
    ['EXDEV', 'Io'],
    ['EIO', 'Io'],
    ['ESOMETHINGNEW', 'Io'],
  ])('%s → %s', (errno, kind) => {
    expect(errnoToKind(errno)).toBe(kind);
    const native = Object.assign(new Error(`${errno}: /real/secret/path`), { code: errno });
    const mapped = toFileSystemError(native, '/virtual');
    expect(mapped.kind).toBe(kind);
    expect(mapped.errno).toBe(errno);
    expect(mapped.path).toBe('/virtual');
    expect(mapped.cause).toBe(native);
    // The real path in Node's message must not reach the reply text.
    expect(mapped.message).not.toContain('/real/secret');
  });

  it('every table entry names a known kind', () => {
    for (const kind of Object.values(ERRNO_KINDS)) expect(FILE_SYSTEM_ERROR_TABLE[kind]).toBeDefined();
  });

  it('maps a real ENOENT from node:fs', async () => {
    const { stat } = await import('node:fs/promises');
    const error = await stat('/definitely/not/here/ftpkit').then(
      () => undefined,
      (e: unknown) => toFileSystemError(e),
    );
    expect(error?.kind).toBe('NotFound');
  });

  it('passes FileSystemErrors through and wraps non-errno values as Io', () => {
    const original = new FileSystemError('Busy');
    expect(toFileSystemError(original)).toBe(original);
    expect(toFileSystemError('weird').kind).toBe('Io');
    expect(toFileSystemError(undefined).kind).toBe('Io');
    expect(errnoToKind(undefined)).toBe('Io');
  });
});

describe('capabilities helpers', () => {
  it('requireCapability throws Unsupported (502) for an undeclared capability', () => {
    const fs = new MemoryFileSystem();
    expect(() => requireCapability(fs, 'append')).not.toThrow();
    const minimal = { ...fs, capabilities: NO_CAPABILITIES } as unknown as MemoryFileSystem;
    expect(() => requireCapability(minimal, 'restartWrite')).toThrow(
      expect.objectContaining({ kind: 'Unsupported', replyCode: 502 }),
    );
  });
});
