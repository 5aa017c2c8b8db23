/**
 * The two record shapes every listing module shares.
 *
 * `FileRecord` is what a server feeds the formatters (`ls -l` lines, MLSx fact lines): stat-like,
 * decided by the filesystem. `ListingEntry` is what the client-side parsers (Unix, DOS/IIS, MLSD)
 * return: only what the line really said, everything else left undefined.
 */

/** The kind of a directory entry. `cdir`/`pdir` come only from MLSx (RFC 3659 §7.5.1). */
export type EntryType = 'file' | 'dir' | 'cdir' | 'pdir' | 'symlink' | 'other';

/** Input of the server-side formatters. */
export interface FileRecord {
  readonly name: string;
  readonly type: EntryType;
  readonly size: number;
  /** Last modification, UTC. */
  readonly modified: Date;
  /** Creation time, when the filesystem knows it (MLSx `create`). */
  readonly created?: Date;
  /** Unix permission bits (the low 12 bits of st_mode). Default 0o644 for files, 0o755 for dirs. */
  readonly mode?: number;
  /** Hard links (`ls -l` column 2). Default 1. */
  readonly nlink?: number;
  /** Owner name or numeric id. Default `'ftp'`. */
  readonly owner?: string | number;
  /** Group name or numeric id. Default `'ftp'`. */
  readonly group?: string | number;
  /** Symlink target, shown after `->` in `ls -l`. */
  readonly target?: string;
  /** MLSx `unique`: a value that identifies the file across names (e.g. dev+inode in hex). */
  readonly unique?: string;
  /** MLSx `perm` letters for the current user (RFC 3659 §7.5.5), e.g. `'adfrw'`. */
  readonly perm?: string;
  /** MLSx `media-type`, `charset`, `lang` and any other facts to publish as is. */
  readonly extraFacts?: Readonly<Record<string, string>>;
}

/** Output of the client-side listing parsers. */
export interface ListingEntry {
  readonly name: string;
  readonly type: EntryType;
  /** Size in bytes, when the line gave one. */
  readonly size?: number;
  /**
   * Modification time when the line gave one. Unix `ls -l` lines without a year and DOS lines
   * carry no time zone: the parsers read them as UTC and say so with `modifiedPrecision`.
   */
  readonly modified?: Date;
  /** How much of `modified` the line really gave. */
  readonly modifiedPrecision?: 'day' | 'minute' | 'second' | 'millisecond';
  /** Unix permission bits, when the line gave them (`-rwxr-xr-x` → 0o755, incl. setuid/sticky). */
  readonly mode?: number;
  readonly nlink?: number;
  readonly owner?: string;
  readonly group?: string;
  /** Symlink target (`name -> target`). */
  readonly target?: string;
  /** All MLSx facts, keys lower-cased (RFC 3659 §7.1: fact names are case-insensitive). */
  readonly facts?: Readonly<Record<string, string>>;
  /** The line as received. */
  readonly raw: string;
}

/**
 * The permission bits a formatter shows when a record has no `mode` (`ls -l` and `UNIX.mode`
 * must agree). A symlink's own bits are 0777 on Linux, which `ls -l` prints.
 */
export const DEFAULT_MODES: Readonly<Record<EntryType, number>> = {
  file: 0o644,
  dir: 0o755,
  cdir: 0o755,
  pdir: 0o755,
  symlink: 0o777,
  other: 0o644,
};

/** The st_mode file-type mask (S_IFMT), for callers that pass a whole `fs.Stats.mode`. */
export const S_IFMT = 0o170000;

/**
 * The special file types an `other` record can carry in its mode, with the `ls -l` type letter
 * and the MLSx `OS.unix=` name of each. A Map, not an object literal: Biome's
 * useSimpleNumberKeys "fix" once rewrote octal keys wrongly (0o010000 became 2401).
 */
export const SPECIAL_FILE_TYPES: ReadonlyMap<
  number,
  { readonly lsLetter: string; readonly mlsxName: string }
> = new Map([
  [0o010000, { lsLetter: 'p', mlsxName: 'fifo' }], // S_IFIFO
  [0o020000, { lsLetter: 'c', mlsxName: 'chr' }], // S_IFCHR
  [0o060000, { lsLetter: 'b', mlsxName: 'blk' }], // S_IFBLK
  [0o140000, { lsLetter: 's', mlsxName: 'socket' }], // S_IFSOCK
]);
