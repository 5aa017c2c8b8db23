/** CWD / XCWD (RFC 959 §4.1.1, RFC 775): 250, or 550 when the target is missing or not a directory. */
import type { CommandOf } from '@ftpkit/codec';
import { FileSystemError } from '../fs/errors.js';
import { defineCommand } from './types.js';

export const CWD = defineCommand<CommandOf<'CWD'>>({
  verb: 'CWD',
  login: true,
  permission: 'list',
  async handle(ctx, command) {
    const path = ctx.resolvePath(command.path);
    const stat = await ctx.fileSystem.stat(path);
    if (stat.type !== 'dir') throw new FileSystemError('NotADirectory', 'Not a directory.', { path });
    ctx.cwd = path;
    await ctx.reply(250, 'Directory successfully changed.');
  },
});
