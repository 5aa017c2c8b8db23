/**
 * Remote path helpers (POSIX-style, as FTP servers present paths) and the guard that keeps a
 * hostile listing from writing outside the local target directory.
 */

/** `dir` + `/` + `name`, without doubling slashes; `''` and `.` mean the current directory. */
export function joinRemote(dir: string, name: string): string {
  if (dir === '' || dir === '.') return name;
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

/** The parent of a remote path and its last component (`/a/b` → `/a`, `b`; `b` → `''`, `b`). */
export function splitRemote(path: string): { parent: string; name: string } {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  const slash = trimmed.lastIndexOf('/');
  if (slash === -1) return { parent: '', name: trimmed };
  return { parent: slash === 0 ? '/' : trimmed.slice(0, slash), name: trimmed.slice(slash + 1) };
}

/**
 * True for a listing name that is safe to use as one local path component. A server controls
 * these names: `..`, `a/../../x`, an absolute path or a NUL would let it write anywhere.
 */
export function isSafeEntryName(name: string): boolean {
  return (
    name !== '' &&
    name !== '.' &&
    name !== '..' &&
    !name.includes('/') &&
    !name.includes('\\') &&
    !name.includes('\0') &&
    !/[\r\n]/.test(name)
  );
}
