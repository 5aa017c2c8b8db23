/**
 * Virtual paths: the one place a client's path becomes a path the filesystem may see.
 *
 * Owns: resolving a client path against the working directory, clamping it to the root, and the
 * small helpers handlers need (join, dirname, basename, segments). Pure: no `node:` imports, no I/O.
 * Never imports the filesystem; filesystems receive only what this module returns.
 *
 * A virtual path is a normalised POSIX path: it starts with '/', has no '.', '..' or empty
 * segments and no trailing '/' (except the root itself). `..` at the root stays at the root,
 * like `cd ..` in `/` on Unix and like pyftpdlib's `ftpnorm`.
 *
 * Backslash: an ordinary character, not a separator. vsftpd and pyftpdlib on Unix do the same
 * (a file may legally be called `a\b` there). Filesystems that run where '\' IS a separator
 * (LocalFileSystem on Windows) must refuse such names rather than split on them; the jail here
 * cannot be bypassed with `..\..` because `..\..` is one segment named `..\..`, never `..`.
 *
 * UTF-8 (RFC 2640) is kept as is: no Unicode normalisation, no case folding.
 */

import { ServerErrorCodes, VirtualPathError } from '../errors.js';

/** Linux PATH_MAX, in UTF-8 bytes. */
export const DEFAULT_MAX_PATH_LENGTH = 4096;
/** Linux NAME_MAX, in UTF-8 bytes. */
export const DEFAULT_MAX_SEGMENT_LENGTH = 255;

export interface VirtualPathOptions {
  /** Longest resolved path, in UTF-8 bytes. Default 4096. */
  readonly maxPathLength?: number;
  /** Longest single segment (file name), in UTF-8 bytes. Default 255. */
  readonly maxSegmentLength?: number;
}

/** The root of every user's tree. */
export const VIRTUAL_ROOT = '/';

/**
 * Resolves `input` (as a client sent it) against `cwd` and returns a normalised virtual path.
 *
 * - absolute input (leading '/') ignores `cwd`; empty input means `cwd`;
 * - '.', empty segments and doubled '/' are dropped; '..' pops one segment and stops at '/';
 * - a NUL anywhere → `VirtualPathError` `FTPKIT_ERR_PATH_INVALID` (reply 501);
 * - a result longer than `maxPathLength` or a segment longer than `maxSegmentLength` (UTF-8
 *   bytes) → `VirtualPathError` `FTPKIT_ERR_PATH_TOO_LONG` (reply 553).
 *
 * `cwd` is normalised too, so a session can never smuggle a bad working directory through.
 */
export function resolveVirtualPath(cwd: string, input: string, options: VirtualPathOptions = {}): string {
  if (input.includes('\0') || cwd.includes('\0')) {
    throw new VirtualPathError(ServerErrorCodes.PATH_INVALID, 'Path contains a NUL byte', { input });
  }
  const segments: string[] = [];
  if (!input.startsWith('/')) pushSegments(segments, cwd);
  pushSegments(segments, input);
  const maxSegment = options.maxSegmentLength ?? DEFAULT_MAX_SEGMENT_LENGTH;
  const maxPath = options.maxPathLength ?? DEFAULT_MAX_PATH_LENGTH;
  let total = 0;
  for (const segment of segments) {
    const length = utf8Length(segment);
    if (length > maxSegment) {
      throw new VirtualPathError(
        ServerErrorCodes.PATH_TOO_LONG,
        `Path segment is longer than ${maxSegment} bytes`,
        { input },
      );
    }
    total += length + 1;
  }
  if (Math.max(total, 1) > maxPath) {
    throw new VirtualPathError(ServerErrorCodes.PATH_TOO_LONG, `Path is longer than ${maxPath} bytes`, {
      input,
    });
  }
  return segments.length === 0 ? VIRTUAL_ROOT : `/${segments.join('/')}`;
}

function pushSegments(into: string[], path: string): void {
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') into.pop();
    else into.push(segment);
  }
}

/** True when `path` is already a normalised virtual path (what `resolveVirtualPath` returns). */
export function isVirtualPath(path: string): boolean {
  if (path === VIRTUAL_ROOT) return true;
  if (!path.startsWith('/') || path.endsWith('/') || path.includes('\0')) return false;
  for (const segment of path.slice(1).split('/')) {
    if (segment === '' || segment === '.' || segment === '..') return false;
  }
  return true;
}

/** The segments of a virtual path; `[]` for the root. */
export function virtualPathSegments(path: string): string[] {
  return path === VIRTUAL_ROOT ? [] : path.slice(1).split('/');
}

/** The parent of a virtual path; the root is its own parent. */
export function virtualDirname(path: string): string {
  const index = path.lastIndexOf('/');
  return index <= 0 ? VIRTUAL_ROOT : path.slice(0, index);
}

/** The last segment of a virtual path; `''` for the root. */
export function virtualBasename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * Joins a virtual directory and one entry name (from a listing). Unlike `resolveVirtualPath` the
 * name is not interpreted: a name with '/' or equal to '.'/'..' is refused with `PATH_INVALID`.
 */
export function joinVirtualPath(dir: string, name: string): string {
  if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) {
    throw new VirtualPathError(ServerErrorCodes.PATH_INVALID, 'Not a single path segment', { input: name });
  }
  return dir === VIRTUAL_ROOT ? `/${name}` : `${dir}/${name}`;
}

/** True when `path` is `ancestor` or lies below it (both normalised). */
export function isVirtualPathWithin(path: string, ancestor: string): boolean {
  if (ancestor === VIRTUAL_ROOT) return path.startsWith('/');
  return path === ancestor || path.startsWith(`${ancestor}/`);
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}
