/**
 * `ftpkit mirror URL LOCALDIR` and `ftpkit mirror --reverse LOCALDIR URL`: whole trees, with up
 * to `--parallel N` files in flight over a pool of N logged-in connections.
 *
 * Owns: walking the tree (remote listings or local readdir), the safety rule for names from a
 * server (never `..`, never a slash: a hostile listing must not write outside LOCALDIR), the
 * `--continue` decision per file (same size: skip; smaller: resume with REST; larger: start
 * over), and the schedule. A failed file does not stop the others: every failure is printed
 * and the command exits 8 (PARTIAL).
 */
import { mkdir, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type Client, type ClientPool, createPool, isSafeEntryName, joinRemote } from '@ftpkit/client';
import { expectPositionals, flag, integer, parse, str } from '../args.js';
import { CliError, describeFailure, EXIT_CODES, UsageError } from '../exit-codes.js';
import { type CliIo, note } from '../io.js';
import { createProgressBar, formatBytes } from '../progress.js';
import { CONNECTION_HELP, CONNECTION_OPTIONS, type Remote, resolveRemote } from '../remote.js';
import type { Command } from './command.js';

const USAGE = 'mirror [options] URL LOCALDIR | mirror --reverse [options] LOCALDIR URL';
const MAX_ENTRIES = 1_000_000;

export const mirror: Command = {
  name: 'mirror',
  summary: 'copy a directory tree (download, or upload with --reverse)',
  help: `Usage: ftpkit mirror [options] URL LOCALDIR
       ftpkit mirror --reverse [options] LOCALDIR URL

Copy the remote directory the URL names into LOCALDIR (created as needed), or with --reverse
the local LOCALDIR into the remote directory (created as needed). Symlinks, special files and
names that could escape the target directory are skipped and reported.

  -R, --reverse      upload LOCALDIR to URL instead of downloading
  -P, --parallel N   files in flight at once, over N connections (1-64, default 1)
  -c, --continue     skip files that are already complete (same size), resume smaller ones (REST)

${CONNECTION_HELP}

Examples:
  ftpkit mirror --parallel 4 ftp://ftp.example.com/pub/project/ ./project
  ftpkit mirror --reverse --continue ./site ftp://alice@ftp.example.com/www/`,
  async run(args, io) {
    const { values, positionals } = parse('mirror', args, {
      ...CONNECTION_OPTIONS,
      reverse: { type: 'boolean', short: 'R' },
      parallel: { type: 'string', short: 'P' },
      continue: { type: 'boolean', short: 'c' },
    });
    if (flag(values, 'help')) {
      io.stdout.write(`${mirror.help}\n`);
      return EXIT_CODES.OK;
    }
    expectPositionals('mirror', positionals, 2, 2, USAGE);
    const reverse = flag(values, 'reverse');
    const [first, second] = positionals as [string, string];
    const remote = resolveRemote(reverse ? second : first, values, io);
    const localDir = resolve(io.cwd, reverse ? first : second);
    const parallelText = str(values, 'parallel');
    const parallel = parallelText === undefined ? 1 : integer('--parallel', parallelText, 1, 64);
    const ctx: MirrorContext = {
      io,
      remote,
      localDir,
      parallel,
      resume: flag(values, 'continue'),
      quiet: flag(values, 'quiet'),
    };
    if (reverse) {
      const s = await stat(localDir).catch(() => undefined);
      if (s === undefined) throw new CliError(`mirror: ${first} does not exist`, EXIT_CODES.NOT_FOUND);
      if (!s.isDirectory())
        throw new UsageError(`mirror: ${first} is not a directory (use \`ftpkit put\` for files)`);
    }
    const pool = createPool(
      { ...remote.options, ...(io.stderr.isTTY === true && !ctx.quiet ? { progressInterval: 100 } : {}) },
      { size: parallel },
    );
    try {
      return reverse ? await upload(ctx, pool) : await download(ctx, pool);
    } finally {
      await pool.close();
    }
  },
};

interface MirrorContext {
  readonly io: CliIo;
  readonly remote: Remote;
  readonly localDir: string;
  readonly parallel: number;
  readonly resume: boolean;
  readonly quiet: boolean;
}

interface PlannedFile {
  readonly remotePath: string;
  readonly localPath: string;
  readonly size: number | undefined;
}

interface Plan {
  readonly dirs: string[];
  readonly files: PlannedFile[];
  readonly skipped: string[];
}

async function download(ctx: MirrorContext, pool: ClientPool): Promise<number> {
  const { io } = ctx;
  const plan: Plan = { dirs: [ctx.localDir], files: [], skipped: [] };
  await pool.use((client) => walkRemote(client, ctx.remote.path, ctx.localDir, plan, io.signal), {
    signal: io.signal,
  });
  for (const dir of plan.dirs) await mkdir(dir, { recursive: true });
  return run(
    ctx,
    plan,
    'download',
    async (file) => {
      let start = 0;
      if (ctx.resume) {
        const have = await stat(file.localPath).then(
          (s) => (s.isFile() ? s.size : undefined),
          () => undefined,
        );
        if (have !== undefined && file.size !== undefined && have === file.size) return 'skip';
        if (have !== undefined && (file.size === undefined || have < file.size)) start = have;
      }
      return start;
    },
    (file, options) => pool.download(file.remotePath, file.localPath, options),
  );
}

async function upload(ctx: MirrorContext, pool: ClientPool): Promise<number> {
  const { io } = ctx;
  const plan: Plan = { dirs: [], files: [], skipped: [] };
  if (ctx.remote.path !== '') plan.dirs.push(ctx.remote.path);
  await walkLocal(ctx.localDir, ctx.remote.path, plan);
  await pool.use(
    async (client) => {
      for (const dir of plan.dirs) await client.mkdir(dir, { recursive: true, signal: io.signal });
    },
    { signal: io.signal },
  );
  return run(
    ctx,
    plan,
    'upload',
    async (file) => {
      if (!ctx.resume) return 0;
      const have = await pool.use((c) =>
        c.size(file.remotePath, { signal: io.signal }).catch(() => undefined),
      );
      if (have !== undefined && have === file.size) return 'skip';
      return have !== undefined && file.size !== undefined && have < file.size ? have : 0;
    },
    (file, options) => pool.upload(file.localPath, file.remotePath, options),
  );
}

type Move = (
  file: PlannedFile,
  options: {
    signal: AbortSignal;
    start?: number;
    onProgress?: (p: { bytes: number }) => void;
    total?: number;
  },
) => Promise<{ bytes: number }>;

async function run(
  ctx: MirrorContext,
  plan: Plan,
  direction: 'download' | 'upload',
  decide: (file: PlannedFile) => Promise<number | 'skip'>,
  move: Move,
): Promise<number> {
  const { io, quiet } = ctx;
  const started = Date.now();
  for (const skipped of plan.skipped) if (!quiet) note(io, `mirror: skipped ${skipped}`);
  const bar = createProgressBar(io, quiet);
  const bytesTotal = plan.files.reduce((sum, f) => sum + (f.size ?? 0), 0);
  const running = new Map<PlannedFile, number>();
  let doneBytes = 0;
  let moved = 0;
  let upToDate = 0;
  let filesDone = 0;
  let next = 0;
  const failures: { path: string; message: string; exitCode: number }[] = [];
  const draw = () => {
    let bytes = doneBytes;
    for (const b of running.values()) bytes += b;
    bar.update({ label: `${filesDone}/${plan.files.length} files`, done: bytes, total: bytesTotal });
  };
  const worker = async () => {
    while (next < plan.files.length && !io.signal.aborted) {
      const file = plan.files[next++]!;
      const shown = direction === 'download' ? file.remotePath : file.localPath;
      try {
        const start = await decide(file);
        if (start === 'skip') {
          upToDate++;
          doneBytes += file.size ?? 0;
        } else {
          running.set(file, start);
          const { bytes } = await move(file, {
            signal: io.signal,
            ...(start > 0 ? { start } : {}),
            ...(file.size === undefined ? {} : { total: file.size }),
            onProgress: (p) => {
              running.set(file, start + p.bytes);
              draw();
            },
          });
          moved += bytes;
          doneBytes += start + bytes;
        }
      } catch (error) {
        if (io.signal.aborted) throw error;
        const failure = describeFailure(error);
        failures.push({ path: shown, message: failure.message, exitCode: failure.exitCode });
        bar.clear();
        note(io, `mirror: ${shown}: ${failure.message}`);
      } finally {
        running.delete(file);
        filesDone++;
        draw();
      }
    }
  };
  try {
    const workers = Array.from({ length: Math.max(1, Math.min(ctx.parallel, plan.files.length)) }, () =>
      worker(),
    );
    const results = await Promise.allSettled(workers);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  } finally {
    bar.clear();
  }
  if (!quiet) {
    const seconds = Math.max(0.001, (Date.now() - started) / 1000);
    const parts = [
      `${plan.files.length - failures.length - upToDate} files ${direction === 'download' ? 'downloaded' : 'uploaded'}`,
    ];
    if (upToDate > 0) parts.push(`${upToDate} up to date`);
    if (failures.length > 0) parts.push(`${failures.length} failed`);
    if (plan.skipped.length > 0) parts.push(`${plan.skipped.length} skipped`);
    note(
      io,
      `mirror: ${parts.join(', ')}; ${formatBytes(moved)} in ${seconds.toFixed(seconds < 10 ? 2 : 1)} s`,
    );
  }
  if (failures.length === 0) return EXIT_CODES.OK;
  return EXIT_CODES.PARTIAL;
}

async function walkRemote(
  client: Client,
  remoteDir: string,
  localDir: string,
  plan: Plan,
  signal: AbortSignal,
): Promise<void> {
  const listing = await client.list(remoteDir === '' ? undefined : remoteDir, { signal });
  for (const line of listing.unparsed)
    plan.skipped.push(`${remoteDir || '.'}: unparsed listing line "${line}"`);
  const entries = [...listing.entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (plan.files.length + plan.dirs.length > MAX_ENTRIES) {
      throw new CliError(`mirror: the tree has more than ${MAX_ENTRIES} entries`, EXIT_CODES.FAILURE);
    }
    const remotePath = joinRemote(remoteDir, entry.name);
    if (!isSafeEntryName(entry.name)) {
      plan.skipped.push(`${JSON.stringify(remotePath)} (unsafe name)`);
      continue;
    }
    const localPath = join(localDir, entry.name);
    if (entry.type === 'dir') {
      plan.dirs.push(localPath);
      await walkRemote(client, remotePath, localPath, plan, signal);
    } else if (entry.type === 'file') {
      plan.files.push({ remotePath, localPath, size: entry.size });
    } else {
      plan.skipped.push(`${remotePath} (${entry.type})`);
    }
  }
}

async function walkLocal(localDir: string, remoteDir: string, plan: Plan): Promise<void> {
  const entries = await readdir(localDir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (plan.files.length + plan.dirs.length > MAX_ENTRIES) {
      throw new CliError(`mirror: the tree has more than ${MAX_ENTRIES} entries`, EXIT_CODES.FAILURE);
    }
    const localPath = join(localDir, entry.name);
    const remotePath = joinRemote(remoteDir, entry.name);
    if (/[\r\n\0]/.test(entry.name))
      plan.skipped.push(`${JSON.stringify(localPath)} (name not allowed in FTP)`);
    else if (entry.isDirectory()) {
      plan.dirs.push(remotePath);
      await walkLocal(localPath, remotePath, plan);
    } else if (entry.isFile()) {
      plan.files.push({ remotePath, localPath, size: (await stat(localPath)).size });
    } else plan.skipped.push(`${localPath} (not a regular file)`);
  }
}
