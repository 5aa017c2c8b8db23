/** `ftpkit ls URL`: a directory listing (MLSD when offered, else LIST parsed), or one file's entry. */
import { type Client, isFtpReplyError, type ListingEntry } from '@ftpkit/client';
import { expectPositionals, flag, parse } from '../args.js';
import { EXIT_CODES } from '../exit-codes.js';
import { CONNECTION_HELP, CONNECTION_OPTIONS, open, resolveRemote } from '../remote.js';
import type { Command } from './command.js';

const USAGE = 'ls [options] URL';

export const ls: Command = {
  name: 'ls',
  summary: 'list a remote directory',
  help: `Usage: ftpkit ${USAGE}

List the directory the URL names (the login directory for ftp://host/). Directories end in "/".
Lines of a listing format no parser knows are printed as received.

  -l, --long   type, size, modification time (UTC) and name
      --json   one JSON array of entries (name, type, size, modified)

${CONNECTION_HELP}

Examples:
  ftpkit ls ftp://ftp.example.com/pub/
  ftpkit ls -l --user alice ftp://127.0.0.1:2121/
  FTPKIT_PASSWORD=secret ftpkit ls --tls --ca ca.pem ftp://alice@ftp.example.com/`,
  async run(args, io) {
    const { values, positionals } = parse('ls', args, {
      ...CONNECTION_OPTIONS,
      long: { type: 'boolean', short: 'l' },
      json: { type: 'boolean' },
    });
    if (flag(values, 'help')) {
      io.stdout.write(`${ls.help}\n`);
      return EXIT_CODES.OK;
    }
    expectPositionals('ls', positionals, 1, 1, USAGE);
    const remote = resolveRemote(positionals[0]!, values, io);
    const client = await open(remote, io);
    try {
      const { entries, unparsed } = await listOrStat(client, remote.path, io.signal);
      const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      if (flag(values, 'json')) {
        const json = sorted.map((e) => ({
          name: e.name,
          type: e.type,
          ...(e.size === undefined ? {} : { size: e.size }),
          ...(e.modified === undefined ? {} : { modified: e.modified.toISOString() }),
        }));
        io.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
      } else if (flag(values, 'long')) {
        const width = Math.max(1, ...sorted.map((e) => String(e.size ?? '-').length));
        for (const e of sorted) io.stdout.write(`${longLine(e, width)}\n`);
      } else {
        for (const e of sorted) io.stdout.write(`${e.name}${e.type === 'dir' ? '/' : ''}\n`);
      }
      if (!flag(values, 'json')) for (const line of unparsed) io.stdout.write(`${line}\n`);
    } finally {
      await client.close();
    }
    return EXIT_CODES.OK;
  },
};

async function listOrStat(
  client: Client,
  path: string,
  signal: AbortSignal,
): Promise<{ entries: readonly ListingEntry[]; unparsed: readonly string[] }> {
  try {
    return await client.list(path === '' ? undefined : path, { signal });
  } catch (error) {
    // MLSD on a file is refused (RFC 3659 §7.2: its argument must be a directory): show the entry.
    if (path === '' || !isFtpReplyError(error) || (error.replyCode !== 501 && error.replyCode !== 550))
      throw error;
    const entry = await client.stat(path, { signal }).catch(() => {
      throw error;
    });
    if (entry.type === 'dir') throw error;
    return { entries: [entry], unparsed: [] };
  }
}

const TYPE_CHAR: Record<string, string> = { dir: 'd', file: '-', symlink: 'l' };

function longLine(e: ListingEntry, sizeWidth: number): string {
  const type = TYPE_CHAR[e.type] ?? '?';
  const size = String(e.size ?? '-').padStart(sizeWidth);
  const date =
    e.modified === undefined ? '                ' : e.modified.toISOString().slice(0, 16).replace('T', ' ');
  const name = `${e.name}${e.type === 'dir' ? '/' : ''}${e.target === undefined ? '' : ` -> ${e.target}`}`;
  return `${type} ${size} ${date} ${name}`;
}
