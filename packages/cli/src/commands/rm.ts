/** `ftpkit rm URL`: delete a remote file; `-r` removes a directory and everything in it. */
import { isFtpReplyError } from '@ftpkit/client';
import { expectPositionals, flag, parse } from '../args.js';
import { EXIT_CODES, UsageError } from '../exit-codes.js';
import { note } from '../io.js';
import { CONNECTION_HELP, CONNECTION_OPTIONS, open, resolveRemote } from '../remote.js';
import type { Command } from './command.js';

const USAGE = 'rm [options] URL';

export const rm: Command = {
  name: 'rm',
  summary: 'delete a remote file (or a directory tree with -r)',
  help: `Usage: ftpkit ${USAGE}

Delete the file the URL names (DELE). With -r, a directory is removed with everything in it
(RMD after emptying it); a file is deleted as without -r.

  -r, --recursive   remove directories and their contents

${CONNECTION_HELP}

Examples:
  ftpkit rm ftp://alice@ftp.example.com/incoming/old.zip
  ftpkit rm -r ftp://alice@ftp.example.com/tmp/build/`,
  async run(args, io) {
    const { values, positionals } = parse('rm', args, {
      ...CONNECTION_OPTIONS,
      recursive: { type: 'boolean', short: 'r' },
    });
    if (flag(values, 'help')) {
      io.stdout.write(`${rm.help}\n`);
      return EXIT_CODES.OK;
    }
    expectPositionals('rm', positionals, 1, 1, USAGE);
    const remote = resolveRemote(positionals[0]!, values, io);
    if (remote.path === '' || remote.path === '/')
      throw new UsageError('rm: refusing to remove the login or root directory');
    const client = await open(remote, io);
    try {
      if (flag(values, 'recursive')) {
        // DELE first: a file goes at once; a directory is refused (550) and removed as a tree.
        try {
          await client.remove(remote.path, { signal: io.signal });
        } catch (error) {
          if (!isFtpReplyError(error) || error.replyCode !== 550) throw error;
          await client.removeDir(remote.path, { recursive: true, signal: io.signal }).catch(() => {
            throw error;
          });
        }
      } else {
        await client.remove(remote.path, { signal: io.signal });
      }
      if (!flag(values, 'quiet')) note(io, `removed ${remote.path}`);
    } finally {
      await client.close();
    }
    return EXIT_CODES.OK;
  },
};
