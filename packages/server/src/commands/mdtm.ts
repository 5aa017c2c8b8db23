/** MDTM (RFC 3659 §3): 213 YYYYMMDDHHMMSS (UTC) for a file; 550 otherwise. */
import { type CommandOf, formatTimeVal } from '@ftpkit/codec';
import { defineCommand, ReplyError } from './types.js';

export const MDTM = defineCommand<CommandOf<'MDTM'>>({
  verb: 'MDTM',
  login: true,
  permission: 'list',
  features: () => ['MDTM'],
  async handle(ctx, command) {
    const stat = await ctx.fileSystem.stat(ctx.resolvePath(command.path));
    if (stat.type !== 'file') throw new ReplyError(550, 'Could not get file modification time.');
    await ctx.reply(213, formatTimeVal(stat.modified));
  },
});
