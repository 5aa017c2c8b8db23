/** MKD / XMKD (RFC 959 §4.1.3, Appendix II): 257 "<path>" created; 550 when it exists. */
import { type CommandOf, formatPathnameReplyText } from '@ftpkit/codec';
import { defineCommand } from './types.js';

export const MKD = defineCommand<CommandOf<'MKD'>>({
  verb: 'MKD',
  login: true,
  permission: 'mkdir',
  async handle(ctx, command) {
    const path = ctx.resolvePath(command.path);
    await ctx.fileSystem.mkdir(path);
    await ctx.reply(257, formatPathnameReplyText(path, 'created'));
    ctx.emit('mkdir', {
      sessionId: ctx.id,
      remoteAddress: ctx.remoteAddress,
      user: ctx.user!.username,
      path,
    });
  },
});
