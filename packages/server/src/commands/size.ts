/**
 * SIZE (RFC 3659 §4): 213 <bytes> for a file; 550 for a directory or a missing file. The size is
 * the stored size in every TYPE (vsftpd's behaviour): computing the ASCII size would mean reading
 * the whole file, and clients use SIZE in binary mode for resuming.
 */
import type { CommandOf } from '@ftpkit/codec';
import { defineCommand, ReplyError } from './types.js';

export const SIZE = defineCommand<CommandOf<'SIZE'>>({
  verb: 'SIZE',
  login: true,
  permission: 'list',
  features: () => ['SIZE'],
  async handle(ctx, command) {
    const stat = await ctx.fileSystem.stat(ctx.resolvePath(command.path));
    if (stat.type !== 'file') throw new ReplyError(550, 'Could not get file size.');
    await ctx.reply(213, String(stat.size));
  },
});
