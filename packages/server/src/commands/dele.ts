/** DELE (RFC 959 §4.1.3): 250; 550 for a missing file or a directory. */
import type { CommandOf } from '@ftpkit/codec';
import { defineCommand } from './types.js';

export const DELE = defineCommand<CommandOf<'DELE'>>({
  verb: 'DELE',
  login: true,
  permission: 'delete',
  async handle(ctx, command) {
    const path = ctx.resolvePath(command.path);
    await ctx.fileSystem.delete(path);
    await ctx.reply(250, 'Delete operation successful.');
    ctx.emit('delete', {
      sessionId: ctx.id,
      remoteAddress: ctx.remoteAddress,
      user: ctx.user!.username,
      path,
    });
  },
});
