/**
 * `ftpkit mv URL NEWNAME`: rename (RNFR/RNTO). A NEWNAME without "/" stays in the same
 * directory; one with "/" is a path like the URL's (relative to the login directory, or
 * absolute when it starts with "/").
 */
import { joinRemote, splitRemote } from '@ftpkit/client';
import { expectPositionals, flag, parse } from '../args.js';
import { EXIT_CODES, UsageError } from '../exit-codes.js';
import { note } from '../io.js';
import { CONNECTION_HELP, CONNECTION_OPTIONS, open, resolveRemote } from '../remote.js';
import type { Command } from './command.js';

const USAGE = 'mv [options] URL NEWNAME';

export const mv: Command = {
  name: 'mv',
  summary: 'rename or move a remote file or directory',
  help: `Usage: ftpkit ${USAGE}

Rename what the URL names (RNFR, RNTO). NEWNAME without "/" is a new name in the same
directory; with "/" it is a path relative to the login directory ("/..." absolute).

${CONNECTION_HELP}

Examples:
  ftpkit mv ftp://alice@ftp.example.com/incoming/a.txt b.txt
  ftpkit mv ftp://alice@ftp.example.com/incoming/a.txt archive/2024/a.txt`,
  async run(args, io) {
    const { values, positionals } = parse('mv', args, CONNECTION_OPTIONS);
    if (flag(values, 'help')) {
      io.stdout.write(`${mv.help}\n`);
      return EXIT_CODES.OK;
    }
    expectPositionals('mv', positionals, 2, 2, USAGE);
    const [url, newName] = positionals as [string, string];
    const remote = resolveRemote(url, values, io);
    if (remote.path === '' || remote.path === '/')
      throw new UsageError('mv: the URL names nothing to rename');
    if (newName === '' || /[\r\n\0]/.test(newName))
      throw new UsageError('mv: NEWNAME must be a non-empty name');
    const to = newName.includes('/') ? newName : joinRemote(splitRemote(remote.path).parent, newName);
    const client = await open(remote, io);
    try {
      await client.rename(remote.path, to, { signal: io.signal });
      if (!flag(values, 'quiet')) note(io, `renamed ${remote.path} → ${to}`);
    } finally {
      await client.close();
    }
    return EXIT_CODES.OK;
  },
};
