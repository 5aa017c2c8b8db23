/** NLST (RFC 959 §4.1.3): bare names, one per line (CRLF), sorted; a file argument lists itself. */
import { Readable } from 'node:stream';
import type { CommandOf } from '@ftpkit/codec';
import { listingError } from './shared/list-errors.js';
import { listTarget } from './shared/listing.js';
import { defineCommand } from './types.js';

export const NLST = defineCommand<CommandOf<'NLST'>>({
  verb: 'NLST',
  login: true,
  permission: 'list',
  transfer: true,
  async handle(ctx, command) {
    const path = ctx.resolvePath(command.path);
    const target = await listTarget(ctx.fileSystem, path, ctx.signal).catch(listingError);
    const names = target.directory
      ? target.entries.map((e) => e.name)
      : [command.path ?? target.entries[0]!.name];
    const body = names.length === 0 ? '' : `${names.join('\r\n')}\r\n`;
    await ctx.sendData(Readable.from([Buffer.from(body, 'utf8')]), {
      preliminary: 'Here comes the directory listing.',
    });
    await ctx.reply(226, 'Directory send OK.');
  },
});
