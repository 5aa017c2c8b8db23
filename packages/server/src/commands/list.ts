/**
 * LIST (RFC 959 §4.1.3): `ls -l` lines from the codec's `formatListLines` (GNU ls layout, which
 * curl, lftp, FileZilla and basic-ftp all parse), sorted by name, CRLF-terminated. A file argument
 * lists that file. `ls` flags (`-la`) are accepted and ignored: every entry is always shown.
 * A missing path is 450 (RFC 959 §5.4 gives LIST no 550).
 */
import { Readable } from 'node:stream';
import { type CommandOf, formatListLines } from '@ftpkit/codec';
import { listingError } from './shared/list-errors.js';
import { listTarget } from './shared/listing.js';
import { defineCommand } from './types.js';

export const LIST = defineCommand<CommandOf<'LIST'>>({
  verb: 'LIST',
  login: true,
  permission: 'list',
  transfer: true,
  async handle(ctx, command) {
    const path = ctx.resolvePath(command.path);
    const target = await listTarget(ctx.fileSystem, path, ctx.signal).catch(listingError);
    const lines = formatListLines(target.entries);
    const body = lines.length === 0 ? '' : `${lines.join('\r\n')}\r\n`;
    await ctx.sendData(Readable.from([Buffer.from(body, 'utf8')]), {
      preliminary: 'Here comes the directory listing.',
    });
    await ctx.reply(226, 'Directory send OK.');
  },
});
