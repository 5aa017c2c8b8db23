/**
 * Whole-tree transfers: walking a remote tree (listings) or a local one (readdir) into a plan,
 * then running its files with a concurrency (1 on a `Client`, N on a `ClientPool`), with
 * per-tree progress.
 *
 * Owns: the plan, the safety rule for names that come from a server (never `..`, never a slash:
 * a hostile listing must not write outside the target directory), the entry cap, and the
 * scheduling. Which connection moves a file is the caller's business.
 */
import { mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ListingEntry } from '@ftpkit/codec';
import { abortedError, ClientError, ClientErrorCodes, isAborted } from './errors.js';
import { isSafeEntryName, joinRemote } from './paths.js';
import type { TransferProgress } from './transfer.js';

export interface TreeFile {
  readonly remotePath: string;
  readonly localPath: string;
  /** Size when the listing (or local stat) gave one. */
  readonly size: number | undefined;
}

export interface TreePlan {
  /** Directories to create first (local for downloads, remote for uploads), parents first. */
  readonly dirs: readonly string[];
  readonly files: readonly TreeFile[];
  /** Entries left out: unsafe names, symlinks, special files, unparsed listing lines. */
  readonly skipped: readonly string[];
}

/** A progress sample of a whole tree. */
export interface TreeProgress {
  readonly filesDone: number;
  readonly filesTotal: number;
  /** Bytes of finished files plus the running ones' progress. */
  readonly bytes: number;
  /** Sum of known file sizes (files whose size is unknown count as 0). */
  readonly bytesTotal: number;
  /** The sample that caused this event, when it came from one file. */
  readonly file: TransferProgress | undefined;
}

export interface TreeOptions {
  readonly signal?: AbortSignal;
  /** Per-tree progress: after each file and on every file's progress sample. */
  readonly onProgress?: (progress: TreeProgress) => void;
  /** Keep going after a failed file and report all failures at the end. Default false. */
  readonly continueOnError?: boolean;
}

export interface TreeResult {
  readonly files: number;
  readonly bytes: number;
  /** Entries not transferred (see `TreePlan.skipped`). */
  readonly skipped: readonly string[];
  /** Failures with `continueOnError` (otherwise the first one is thrown). */
  readonly errors: readonly { readonly path: string; readonly error: Error }[];
}

/** What the walker needs from a client: a listing. */
export interface Lister {
  list(
    path: string,
    options: { signal?: AbortSignal },
  ): Promise<{
    entries: readonly ListingEntry[];
    unparsed: readonly string[];
  }>;
}

export async function downloadTreePlan(
  lister: Lister,
  remoteDir: string,
  localDir: string,
  maxEntries: number,
  signal: AbortSignal | undefined,
): Promise<TreePlan> {
  const dirs: string[] = [localDir];
  const files: TreeFile[] = [];
  const skipped: string[] = [];
  let count = 0;
  const walk = async (remote: string, local: string): Promise<void> => {
    const listing = await lister.list(remote, signal === undefined ? {} : { signal });
    for (const line of listing.unparsed) skipped.push(`${remote}: ${line}`);
    for (const entry of listing.entries) {
      if (++count > maxEntries) {
        throw new ClientError(
          ClientErrorCodes.LISTING_TOO_LARGE,
          `The tree has more than ${maxEntries} entries`,
        );
      }
      const remotePath = joinRemote(remote, entry.name);
      if (!isSafeEntryName(entry.name)) {
        skipped.push(remotePath);
        continue;
      }
      const localPath = join(local, entry.name);
      if (entry.type === 'dir') {
        dirs.push(localPath);
        await walk(remotePath, localPath);
      } else if (entry.type === 'file') {
        files.push({ remotePath, localPath, size: entry.size });
      } else {
        skipped.push(remotePath);
      }
    }
  };
  await walk(remoteDir, localDir);
  for (const dir of dirs) await mkdir(dir, { recursive: true });
  return { dirs, files, skipped };
}

export async function uploadTreePlan(
  localDir: string,
  remoteDir: string,
  maxEntries: number,
): Promise<TreePlan> {
  const dirs: string[] = [remoteDir];
  const files: TreeFile[] = [];
  const skipped: string[] = [];
  let count = 0;
  const walk = async (local: string, remote: string): Promise<void> => {
    const entries = await readdir(local, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (++count > maxEntries) {
        throw new ClientError(
          ClientErrorCodes.LISTING_TOO_LARGE,
          `The tree has more than ${maxEntries} entries`,
        );
      }
      const localPath = join(local, entry.name);
      const remotePath = joinRemote(remote, entry.name);
      if (/[\r\n\0]/.test(entry.name)) skipped.push(localPath);
      else if (entry.isDirectory()) {
        dirs.push(remotePath);
        await walk(localPath, remotePath);
      } else if (entry.isFile()) {
        files.push({ remotePath, localPath, size: (await stat(localPath)).size });
      } else skipped.push(localPath);
    }
  };
  await walk(localDir, remoteDir);
  return { dirs, files, skipped };
}

/** Runs the plan's files, `concurrency` at a time; the first failure stops scheduling (unless `continueOnError`). */
export async function runTree(
  plan: TreePlan,
  concurrency: number,
  options: TreeOptions,
  move: (
    file: TreeFile,
    fileOptions: { signal?: AbortSignal; onProgress?: (p: TransferProgress) => void; total?: number },
  ) => Promise<{ bytes: number }>,
): Promise<TreeResult> {
  const signal = options.signal;
  const files = plan.files;
  const bytesTotal = files.reduce((sum, f) => sum + (f.size ?? 0), 0);
  const running = new Map<TreeFile, number>();
  let doneBytes = 0;
  let filesDone = 0;
  let next = 0;
  const errors: { path: string; error: Error }[] = [];
  let stop = false;
  const emit = (file: TransferProgress | undefined) => {
    if (options.onProgress === undefined) return;
    let bytes = doneBytes;
    for (const b of running.values()) bytes += b;
    options.onProgress({ filesDone, filesTotal: files.length, bytes, bytesTotal, file });
  };
  const worker = async () => {
    while (!stop && next < files.length) {
      if (isAborted(signal)) throw abortedError(signal, 'Tree transfer');
      const file = files[next++]!;
      running.set(file, 0);
      try {
        const { bytes } = await move(file, {
          ...(signal === undefined ? {} : { signal }),
          ...(file.size === undefined ? {} : { total: file.size }),
          ...(options.onProgress === undefined
            ? {}
            : {
                onProgress: (p: TransferProgress) => {
                  running.set(file, p.bytes);
                  if (!p.done) emit(p);
                },
              }),
        });
        doneBytes += bytes;
        filesDone++;
        running.delete(file);
        emit(undefined);
      } catch (error) {
        running.delete(file);
        if (isAborted(signal) || options.continueOnError !== true) {
          stop = true;
          throw error;
        }
        errors.push({ path: file.remotePath, error: error as Error });
      }
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(concurrency, files.length)) }, () => worker());
  const results = await Promise.allSettled(workers);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  emit(undefined);
  return { files: filesDone, bytes: doneBytes, skipped: plan.skipped, errors };
}
