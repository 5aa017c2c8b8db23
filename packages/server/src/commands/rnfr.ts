/** RNFR (RFC 959 §4.1.3): 350 when the source exists (enters rename-pending); 550 otherwise. */
import type { CommandOf } from '@ftpkit/codec';
import { defineCommand } from './types.js';

export const RNFR = defineCommand<CommandOf<'RNFR'>>({
  verb: 'RNFR',
  login: true,
  permission: 'rename',
  async handle(ctx, command) {
    const path = ctx.resolvePath(command.path);
    if (path === '/') {
      await ctx.reply(550, 'Permission denied.');
      return;
    }
    await ctx.fileSystem.stat(path);
    ctx.settings.renameFrom = path;
    ctx.transition('rnfr');
    await ctx.reply(350, 'Ready for RNTO.');
  },
});
