/** STRU (RFC 959 §4.1.2): File only (200); Record and Page → 504. */
import type { CommandOf } from '@ftpkit/codec';
import { defineCommand } from './types.js';

export const STRU = defineCommand<CommandOf<'STRU'>>({
  verb: 'STRU',
  login: true,
  async handle(ctx, command) {
    if (command.structure === 'F') await ctx.reply(200, 'Structure set to F.');
    else await ctx.reply(504, 'Only file structure (F) is supported.');
  },
});
