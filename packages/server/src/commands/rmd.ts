/** RMD / XRMD (RFC 959 §4.1.3): 250; 550 for missing, non-empty or not a directory. */
import type { CommandOf } from '@ftpkit/codec';
import { defineCommand } from './types.js';

export const RMD = defineCommand<CommandOf<'RMD'>>({
  verb: 'RMD',
  login: true,
  permission: 'rmdir',
  async handle(ctx, command) {
    const path = ctx.resolvePath(command.path);
    await ctx.fileSystem.rmdir(path);
    await ctx.reply(250, 'Remove directory operation successful.');
    ctx.emit('rmdir', {
      sessionId: ctx.id,
      remoteAddress: ctx.remoteAddress,
      user: ctx.user!.username,
      path,
    });
  },
});
