/** `ftpkit mkdir URL`: create a remote directory; `-p` creates missing parents too (and accepts an existing one). */
import { expectPositionals, flag, parse } from '../args.js';
import { EXIT_CODES, UsageError } from '../exit-codes.js';
import { note } from '../io.js';
import { CONNECTION_HELP, CONNECTION_OPTIONS, open, resolveRemote } from '../remote.js';
import type { Command } from './command.js';

const USAGE = 'mkdir [options] URL';

export const mkdir: Command = {
  name: 'mkdir',
  summary: 'create a remote directory',
  help: `Usage: ftpkit ${USAGE}

Create the directory the URL names (MKD).

  -p, --parents   create missing parent directories too; an existing directory is not an error

${CONNECTION_HELP}

Examples:
  ftpkit mkdir ftp://alice@ftp.example.com/incoming/2024
  ftpkit mkdir -p ftp://alice@127.0.0.1:2121/a/b/c`,
  async run(args, io) {
    const { values, positionals } = parse('mkdir', args, {
      ...CONNECTION_OPTIONS,
      parents: { type: 'boolean', short: 'p' },
    });
    if (flag(values, 'help')) {
      io.stdout.write(`${mkdir.help}\n`);
      return EXIT_CODES.OK;
    }
    expectPositionals('mkdir', positionals, 1, 1, USAGE);
    const remote = resolveRemote(positionals[0]!, values, io);
    if (remote.path === '' || remote.path === '/')
      throw new UsageError('mkdir: the URL names no directory to create');
    const client = await open(remote, io);
    try {
      await client.mkdir(remote.path, { recursive: flag(values, 'parents'), signal: io.signal });
      if (!flag(values, 'quiet')) note(io, `created ${remote.path}`);
    } finally {
      await client.close();
    }
    return EXIT_CODES.OK;
  },
};
