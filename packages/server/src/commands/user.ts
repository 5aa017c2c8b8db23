/** USER (RFC 959 §4.1.1): 331 for every name, known or not (no enumeration); 530 once logged in. */
import type { CommandOf } from '@ftpkit/codec';
import { defineCommand } from './types.js';

export const USER = defineCommand<CommandOf<'USER'>>({
  verb: 'USER',
  login: false,
  async handle(ctx, command) {
    if (ctx.state !== 'awaiting-user' && ctx.state !== 'awaiting-password') {
      // vsftpd's answer: switching users needs REIN (or a new connection).
      await ctx.reply(530, "Can't change to another user.");
      return;
    }
    ctx.settings.pendingUser = command.username;
    ctx.transition('user');
    await ctx.reply(331, 'Please specify the password.');
  },
});
