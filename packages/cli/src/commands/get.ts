/**
 * `ftpkit get URL [LOCAL]`: download one file.
 *
 * A fresh download goes to `LOCAL.ftpkit-part` and is renamed to LOCAL only when complete, so a
 * failed download never clobbers an existing LOCAL nor leaves an empty file behind; a partial
 * download is kept for `--continue`, which resumes (REST) from the `.ftpkit-part` file, or from
 * LOCAL itself when only that exists (a file an interrupted curl or ftpkit left).
 */
import { rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { expectPositionals, flag, parse } from '../args.js';
import { CliError, EXIT_CODES, UsageError } from '../exit-codes.js';
import { note } from '../io.js';
import { baseName, CONNECTION_HELP, CONNECTION_OPTIONS, open, resolveRemote } from '../remote.js';
import type { Command } from './command.js';
import { fileProgress, summary } from './transfer-common.js';

const USAGE = 'get [options] URL [LOCAL]';
export const PART_SUFFIX = '.ftpkit-part';

export const get: Command = {
  name: 'get',
  summary: 'download a file',
  help: `Usage: ftpkit ${USAGE}

Download the file the URL names to LOCAL (default: its name, in the current directory; into
LOCAL when LOCAL is a directory; "-" writes to stdout). The download is written to
LOCAL${PART_SUFFIX} and renamed when complete; an interrupted one is kept for --continue.

  -c, --continue   resume a partial download (REST) from LOCAL${PART_SUFFIX}, or from LOCAL

${CONNECTION_HELP}

Examples:
  ftpkit get ftp://ftp.example.com/pub/file.iso
  ftpkit get --continue ftp://ftp.example.com/pub/file.iso downloads/
  ftpkit get --tls --user alice ftp://ftp.example.com/report.pdf - > report.pdf`,
  async run(args, io) {
    const { values, positionals } = parse('get', args, {
      ...CONNECTION_OPTIONS,
      continue: { type: 'boolean', short: 'c' },
    });
    if (flag(values, 'help')) {
      io.stdout.write(`${get.help}\n`);
      return EXIT_CODES.OK;
    }
    expectPositionals('get', positionals, 1, 2, USAGE);
    const remote = resolveRemote(positionals[0]!, values, io);
    if (remote.path === '' || remote.endsWithSlash) {
      throw new UsageError(
        `get: the URL names a directory, not a file (use \`ftpkit mirror\` for directories)`,
      );
    }
    const quiet = flag(values, 'quiet');
    const resume = flag(values, 'continue');
    const name = baseName(remote.path);
    const toStdout = positionals[1] === '-';
    if (toStdout && resume) throw new UsageError('get: --continue cannot resume into stdout');
    let local = resolve(io.cwd, positionals[1] ?? name);
    if (!toStdout && (await isDirectory(local))) local = join(local, name);
    const part = local + PART_SUFFIX;

    const { bar, onProgress } = fileProgress(io, quiet, name);
    const client = await open(remote, io, onProgress === undefined ? {} : { progressInterval: 100 });
    const started = Date.now();
    try {
      if (toStdout) {
        const { bytes } = await client.download(remote.path, io.stdout, {
          signal: io.signal,
          ...(onProgress === undefined ? {} : { onProgress }),
        });
        bar.clear();
        summary(io, quiet, `${name} → stdout`, bytes, started);
        return EXIT_CODES.OK;
      }
      let start = 0;
      let target = part;
      if (resume) {
        const partSize = await sizeOf(part);
        const localSize = partSize === undefined ? await sizeOf(local) : undefined;
        if (partSize !== undefined) start = partSize;
        else if (localSize !== undefined) {
          start = localSize;
          target = local;
        }
        if (start > 0) {
          const remoteSize = await client.size(remote.path, { signal: io.signal }).catch(() => undefined);
          if (remoteSize !== undefined && start === remoteSize) {
            if (target === part) await rename(part, local);
            if (!quiet) note(io, `${name}: already complete (${remoteSize} bytes), nothing to resume`);
            return EXIT_CODES.OK;
          }
          if (remoteSize !== undefined && start > remoteSize) {
            throw new CliError(
              `get: the local file (${start} bytes) is larger than the remote one (${remoteSize} bytes); not resuming`,
              EXIT_CODES.FAILURE,
            );
          }
        }
      }
      let bytes: number;
      try {
        ({ bytes } = await client.download(remote.path, target, {
          signal: io.signal,
          ...(start > 0 ? { start } : {}),
          ...(onProgress === undefined ? {} : { onProgress }),
        }));
      } catch (error) {
        bar.clear();
        const kept = (await sizeOf(target)) ?? 0;
        if (target === part && start === 0 && kept === 0) await rm(part, { force: true });
        else if (kept > start)
          note(io, `ftpkit: partial download kept in ${target} (${kept} bytes); resume with --continue`);
        throw error;
      }
      if (target === part) await rename(part, local);
      bar.clear();
      summary(
        io,
        quiet,
        `${name} → ${local}${start > 0 ? ` (resumed at byte ${start})` : ''}`,
        bytes,
        started,
      );
    } finally {
      bar.clear();
      await client.close();
    }
    return EXIT_CODES.OK;
  },
};

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

async function sizeOf(path: string): Promise<number | undefined> {
  return stat(path).then(
    (s) => (s.isFile() ? s.size : undefined),
    () => undefined,
  );
}
