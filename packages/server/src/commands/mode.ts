/** MODE (RFC 959 §4.1.2): Stream only (200); Block and Compressed → 504. */
import type { CommandOf } from '@ftpkit/codec';
import { defineCommand } from './types.js';

export const MODE = defineCommand<CommandOf<'MODE'>>({
  verb: 'MODE',
  login: true,
  async handle(ctx, command) {
    if (command.mode === 'S') await ctx.reply(200, 'Mode set to S.');
    else await ctx.reply(504, 'Only stream mode (S) is supported.');
  },
});
