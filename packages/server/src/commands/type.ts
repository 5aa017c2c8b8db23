/**
 * TYPE (RFC 959 §4.1.2): A and A N (ASCII, line endings converted both ways), I, and L 8 (the
 * same as I on 8-bit bytes) → 200. A T, A C, E and other L byte sizes → 504.
 */
import type { CommandOf } from '@ftpkit/codec';
import { defineCommand } from './types.js';

export const TYPE = defineCommand<CommandOf<'TYPE'>>({
  verb: 'TYPE',
  login: true,
  async handle(ctx, command) {
    if (command.type === 'A' && (command.format === undefined || command.format === 'N')) {
      ctx.settings.type = 'A';
      await ctx.reply(200, 'Switching to ASCII mode.');
    } else if (command.type === 'I' || (command.type === 'L' && command.byteSize === 8)) {
      ctx.settings.type = 'I';
      await ctx.reply(200, 'Switching to Binary mode.');
    } else {
      await ctx.reply(504, 'Command not implemented for that parameter.');
    }
  },
});
