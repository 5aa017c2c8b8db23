/** RNTO (RFC 959 §4.1.3): must follow RNFR at once (else 503); 250 or 550/553. */
import type { CommandOf } from '@ftpkit/codec';
import { defineCommand } from './types.js';

export const RNTO = defineCommand<CommandOf<'RNTO'>>({
  verb: 'RNTO',
  login: true,
  permission: 'rename',
  async handle(ctx, command) {
    const from = ctx.settings.renameFrom;
    if (ctx.state !== 'rename-pending' || from === undefined) {
      await ctx.reply(503, 'RNFR required first.');
      return;
    }
    ctx.settings.renameFrom = undefined;
    ctx.transition('rnto');
    const to = ctx.resolvePath(command.path);
    await ctx.fileSystem.rename(from, to);
    await ctx.reply(250, 'Rename successful.');
    ctx.emit('rename', {
      sessionId: ctx.id,
      remoteAddress: ctx.remoteAddress,
      user: ctx.user!.username,
      from,
      to,
    });
  },
});
