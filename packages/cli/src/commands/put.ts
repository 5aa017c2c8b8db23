/**
 * `ftpkit put LOCAL URL`: upload one file (or stdin with "-").
 *
 * A URL ending in "/" names a directory: the file keeps its local name there (as curl does).
 * `--continue` asks the server for the remote size (SIZE) and sends only the rest (REST + STOR).
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { joinRemote } from '@ftpkit/client';
import { expectPositionals, flag, parse } from '../args.js';
import { CliError, EXIT_CODES, UsageError } from '../exit-codes.js';
import { note } from '../io.js';
import { baseName, CONNECTION_HELP, CONNECTION_OPTIONS, open, resolveRemote } from '../remote.js';
import type { Command } from './command.js';
import { fileProgress, summary } from './transfer-common.js';

const USAGE = 'put [options] LOCAL URL';

export const put: Command = {
  name: 'put',
  summary: 'upload a file',
  help: `Usage: ftpkit ${USAGE}

Upload LOCAL ("-" reads stdin) to the URL. A URL ending in "/" is a directory: the file keeps
its name there.

  -c, --continue   resume a partial upload: send only what the remote file lacks (SIZE, REST)

${CONNECTION_HELP}

Examples:
  ftpkit put report.pdf ftp://alice@ftp.example.com/incoming/
  ftpkit put --continue big.iso ftp://alice@ftp.example.com/big.iso
  tar c dir | ftpkit put - ftp://alice@127.0.0.1:2121/dir.tar`,
  async run(args, io) {
    const { values, positionals } = parse('put', args, {
      ...CONNECTION_OPTIONS,
      continue: { type: 'boolean', short: 'c' },
    });
    if (flag(values, 'help')) {
      io.stdout.write(`${put.help}\n`);
      return EXIT_CODES.OK;
    }
    expectPositionals('put', positionals, 2, 2, USAGE);
    const [source, url] = positionals as [string, string];
    const remote = resolveRemote(url, values, io);
    const quiet = flag(values, 'quiet');
    const resume = flag(values, 'continue');
    const fromStdin = source === '-';
    if (fromStdin && resume) throw new UsageError('put: --continue cannot resume from stdin');
    const local = resolve(io.cwd, source);
    let localSize = 0;
    if (!fromStdin) {
      const s = await stat(local).catch((error: NodeJS.ErrnoException) => {
        throw new CliError(
          `put: cannot read ${source}: ${error.code ?? error.message}`,
          error.code === 'ENOENT' ? EXIT_CODES.NOT_FOUND : EXIT_CODES.FAILURE,
        );
      });
      if (!s.isFile())
        throw new UsageError(
          `put: ${source} is not a file (use \`ftpkit mirror --reverse\` for directories)`,
        );
      localSize = s.size;
    }
    let target = remote.path;
    if (target === '' || remote.endsWithSlash) {
      if (fromStdin) throw new UsageError('put: uploading stdin needs a URL that names the file');
      target = joinRemote(remote.endsWithSlash ? target : '', baseName(local));
    }
    const name = baseName(target);
    const { bar, onProgress } = fileProgress(io, quiet, name);
    const client = await open(remote, io, onProgress === undefined ? {} : { progressInterval: 100 });
    const started = Date.now();
    try {
      let start = 0;
      if (resume) {
        const remoteSize = await client.size(target, { signal: io.signal }).catch(() => 0);
        if (remoteSize === localSize) {
          if (!quiet) note(io, `${name}: already complete (${remoteSize} bytes), nothing to resume`);
          return EXIT_CODES.OK;
        }
        if (remoteSize > localSize) {
          throw new CliError(
            `put: the remote file (${remoteSize} bytes) is larger than the local one (${localSize} bytes); not resuming`,
            EXIT_CODES.FAILURE,
          );
        }
        start = remoteSize;
      }
      const { bytes } = await client.upload(fromStdin ? io.stdin : local, target, {
        signal: io.signal,
        ...(start > 0 ? { start } : {}),
        ...(onProgress === undefined ? {} : { onProgress, total: localSize }),
      });
      bar.clear();
      summary(
        io,
        quiet,
        `${source} → ${target}${start > 0 ? ` (resumed at byte ${start})` : ''}`,
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
