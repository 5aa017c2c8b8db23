/**
 * Filesystem errors: a closed set of kinds, one table from kind to FTP reply, one errno mapper.
 *
 * Owns: `FileSystemError`, `FILE_SYSTEM_ERROR_TABLE`, `errnoToKind` and `toFileSystemError`.
 * Every `FileSystem` adapter throws only `FileSystemError`s; a handler answers with
 * `error.replyCode` and never inspects messages or errno codes itself (the libunftp model).
 *
 * Reply codes follow RFC 959 §4.2.2 and what vsftpd and pyftpdlib answer in practice:
 * almost every "the file is not usable" case is 550; 553 is "file name not allowed"; 452 and 552
 * are the two storage-exhausted replies; 450 is the transient one; 451 the catch-all local error.
 */

import { FtpkitError, type FtpkitErrorOptions, isFtpkitError } from '@ftpkit/codec';

export type FileSystemErrorKind =
  | 'NotFound'
  | 'AlreadyExists'
  | 'NotEmpty'
  | 'NotADirectory'
  | 'IsADirectory'
  | 'PermissionDenied'
  | 'NoSpace'
  | 'QuotaExceeded'
  | 'NameTooLong'
  | 'InvalidName'
  | 'InvalidOffset'
  | 'Busy'
  | 'Unsupported'
  | 'Io';

/** The FTP reply codes a filesystem error can cause. */
export type FileSystemReplyCode = 450 | 451 | 452 | 502 | 550 | 552 | 553 | 554;

export interface FileSystemErrorInfo {
  readonly code: `FTPKIT_ERR_FS_${string}`;
  readonly replyCode: FileSystemReplyCode;
  /** Reply text a session may send as is; it never names a real path. */
  readonly replyText: string;
}

/**
 * THE table. A session answers `replyCode` + `replyText` (or its own text), nothing else.
 *
 * | kind             | reply | why                                                                 |
 * |------------------|-------|---------------------------------------------------------------------|
 * | NotFound         | 550   | RFC 959: "File unavailable (e.g., file not found, no access)"       |
 * | AlreadyExists    | 550   | vsftpd/pyftpdlib answer MKD on an existing name with 550            |
 * | NotEmpty         | 550   | RMD of a non-empty directory (vsftpd, pyftpdlib)                    |
 * | NotADirectory    | 550   | CWD/LIST/MKD through a file                                         |
 * | IsADirectory     | 550   | RETR/DELE/STOR on a directory                                       |
 * | PermissionDenied | 550   | RFC 959: "no access"; also symlinks escaping the root               |
 * | NoSpace          | 452   | RFC 959: "Insufficient storage space in system"                    |
 * | QuotaExceeded    | 552   | RFC 959: "Exceeded storage allocation (for current directory or dataset)" |
 * | NameTooLong      | 553   | RFC 959: "File name not allowed"                                    |
 * | InvalidName      | 553   | RFC 959: "File name not allowed"                                    |
 * | InvalidOffset    | 554   | RFC 3659 §5.4 / RFC 1123: "invalid REST parameter"                  |
 * | Busy             | 450   | RFC 959: "File unavailable (e.g., file busy)" — transient, retry    |
 * | Unsupported      | 502   | RFC 959: "Command not implemented" (capability not offered)        |
 * | Io               | 451   | RFC 959: "Requested action aborted: local error in processing"     |
 */
export const FILE_SYSTEM_ERROR_TABLE: Readonly<Record<FileSystemErrorKind, FileSystemErrorInfo>> = {
  NotFound: { code: 'FTPKIT_ERR_FS_NOT_FOUND', replyCode: 550, replyText: 'No such file or directory.' },
  AlreadyExists: { code: 'FTPKIT_ERR_FS_ALREADY_EXISTS', replyCode: 550, replyText: 'File exists.' },
  NotEmpty: { code: 'FTPKIT_ERR_FS_NOT_EMPTY', replyCode: 550, replyText: 'Directory not empty.' },
  NotADirectory: { code: 'FTPKIT_ERR_FS_NOT_A_DIRECTORY', replyCode: 550, replyText: 'Not a directory.' },
  IsADirectory: { code: 'FTPKIT_ERR_FS_IS_A_DIRECTORY', replyCode: 550, replyText: 'Is a directory.' },
  PermissionDenied: {
    code: 'FTPKIT_ERR_FS_PERMISSION_DENIED',
    replyCode: 550,
    replyText: 'Permission denied.',
  },
  NoSpace: {
    code: 'FTPKIT_ERR_FS_NO_SPACE',
    replyCode: 452,
    replyText: 'Insufficient storage space in system.',
  },
  QuotaExceeded: {
    code: 'FTPKIT_ERR_FS_QUOTA_EXCEEDED',
    replyCode: 552,
    replyText: 'Exceeded storage allocation.',
  },
  NameTooLong: { code: 'FTPKIT_ERR_FS_NAME_TOO_LONG', replyCode: 553, replyText: 'File name too long.' },
  InvalidName: { code: 'FTPKIT_ERR_FS_INVALID_NAME', replyCode: 553, replyText: 'File name not allowed.' },
  InvalidOffset: {
    code: 'FTPKIT_ERR_FS_INVALID_OFFSET',
    replyCode: 554,
    replyText: 'Invalid REST parameter.',
  },
  Busy: { code: 'FTPKIT_ERR_FS_BUSY', replyCode: 450, replyText: 'File unavailable (busy), try again.' },
  Unsupported: { code: 'FTPKIT_ERR_FS_UNSUPPORTED', replyCode: 502, replyText: 'Not supported.' },
  Io: { code: 'FTPKIT_ERR_FS_IO', replyCode: 451, replyText: 'Local error in processing.' },
};

export interface FileSystemErrorOptions extends FtpkitErrorOptions {
  /** The virtual path concerned, when there is one. Never a real path. */
  readonly path?: string;
  /** The errno code behind it (`ENOENT`, ...), for logs. */
  readonly errno?: string;
}

/** The only error type a `FileSystem` throws (or emits on its streams). */
export class FileSystemError extends FtpkitError {
  override name = 'FileSystemError';
  declare readonly code: `FTPKIT_ERR_FS_${string}`;
  readonly kind: FileSystemErrorKind;
  readonly replyCode: FileSystemReplyCode;
  readonly path: string | undefined;
  readonly errno: string | undefined;

  constructor(kind: FileSystemErrorKind, message?: string, options: FileSystemErrorOptions = {}) {
    const info = FILE_SYSTEM_ERROR_TABLE[kind];
    super(info.code, message ?? info.replyText, options);
    this.kind = kind;
    this.replyCode = info.replyCode;
    this.path = options.path;
    this.errno = options.errno;
  }
}

/** True for a `FileSystemError`, including one from another installed copy. */
export function isFileSystemError(value: unknown): value is FileSystemError {
  return isFtpkitError(value) && value.name === 'FileSystemError';
}

/**
 * Node errno code → kind. Anything not listed is `Io` (451). Notes:
 * ELOOP is what `O_NOFOLLOW` reports on a symlink, i.e. a jail refusal → PermissionDenied.
 * EROFS is "you may not write here" → PermissionDenied (550), as vsftpd answers.
 * EXDEV (rename across mounts inside the root) is a local limitation → Io (451).
 * EMFILE/ENFILE/EAGAIN/EBUSY are transient → Busy (450, the client may retry).
 * EFBIG (file too large for the filesystem or RLIMIT_FSIZE) → QuotaExceeded (552).
 * EINVAL comes from renaming a directory into itself → InvalidName (553).
 */
export const ERRNO_KINDS: Readonly<Record<string, FileSystemErrorKind>> = {
  ENOENT: 'NotFound',
  EEXIST: 'AlreadyExists',
  ENOTEMPTY: 'NotEmpty',
  ENOTDIR: 'NotADirectory',
  EISDIR: 'IsADirectory',
  EACCES: 'PermissionDenied',
  EPERM: 'PermissionDenied',
  EROFS: 'PermissionDenied',
  ELOOP: 'PermissionDenied',
  ENOSPC: 'NoSpace',
  EDQUOT: 'QuotaExceeded',
  EFBIG: 'QuotaExceeded',
  ENAMETOOLONG: 'NameTooLong',
  EINVAL: 'InvalidName',
  EILSEQ: 'InvalidName',
  EBUSY: 'Busy',
  EAGAIN: 'Busy',
  EMFILE: 'Busy',
  ENFILE: 'Busy',
  ETXTBSY: 'Busy',
  ENOTSUP: 'Unsupported',
  EOPNOTSUPP: 'Unsupported',
  ENOSYS: 'Unsupported',
  EXDEV: 'Io',
  EIO: 'Io',
};

/** Maps a Node errno code (`err.code`) to a kind; unknown or missing codes are `Io`. */
export function errnoToKind(errno: string | undefined): FileSystemErrorKind {
  return (errno !== undefined && ERRNO_KINDS[errno]) || 'Io';
}

/**
 * Turns anything an adapter caught into a `FileSystemError`. A `FileSystemError` passes through;
 * a Node system error is mapped by its errno; anything else becomes `Io` with the original as
 * `cause`. The message never includes the real path (Node's messages do, so they go to `cause`).
 */
export function toFileSystemError(error: unknown, path?: string): FileSystemError {
  if (isFileSystemError(error)) return error;
  const errno =
    typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string'
      ? (error as { code: string }).code
      : undefined;
  const kind = errnoToKind(errno);
  const options: FileSystemErrorOptions = { cause: error };
  return new FileSystemError(kind, undefined, {
    ...options,
    ...(path === undefined ? {} : { path }),
    ...(errno === undefined ? {} : { errno }),
  });
}
