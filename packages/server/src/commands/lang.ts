/** LANG (RFC 2640 §4): English only; `LANG`, `LANG EN`, `LANG en-US` → 200, anything else 504. */
import type { CommandOf } from '@ftpkit/codec';
import { defineCommand } from './types.js';

export const LANG = defineCommand<CommandOf<'LANG'>>({
  verb: 'LANG',
  login: false,
  tlsExempt: true,
  features: () => ['LANG EN*'],
  async handle(ctx, command) {
    if (command.tag === undefined || /^en(-[A-Za-z0-9]{1,8})*$/i.test(command.tag)) {
      await ctx.reply(200, 'Language set to EN.');
    } else {
      await ctx.reply(504, 'Unsupported language.');
    }
  },
});
