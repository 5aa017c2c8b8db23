/** REST (RFC 3659 §5, stream mode): 350; the offset applies to the next RETR or STOR only. */
import type { CommandOf } from '@ftpkit/codec';
import { defineCommand } from './types.js';

export const REST = defineCommand<CommandOf<'REST'>>({
  verb: 'REST',
  login: true,
  features: () => ['REST STREAM'],
  async handle(ctx, command) {
    ctx.settings.restOffset = command.offset;
    await ctx.reply(350, `Restarting at ${command.offset}. Send STOR or RETR.`);
  },
});
