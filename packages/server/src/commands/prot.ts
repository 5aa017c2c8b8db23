/**
 * PROT (RFC 2228 §3, RFC 4217 §9): C and P → 200 (C refused with 534 under requireProtP); S and E
 * → 536 "not supported by mechanism"; before AUTH TLS or PBSZ → 503.
 */
import type { CommandOf } from '@ftpkit/codec';
import { defineCommand } from './types.js';

export const PROT = defineCommand<CommandOf<'PROT'>>({
  verb: 'PROT',
  login: false,
  tlsExempt: true,
  features: (ctx) => (ctx.internals.tlsAvailable ? ['PROT'] : []),
  async handle(ctx, command) {
    if (!ctx.secure) {
      await ctx.reply(503, 'PROT needs AUTH TLS first.');
      return;
    }
    if (!ctx.settings.pbsz) {
      await ctx.reply(503, 'PBSZ required first.');
      return;
    }
    switch (command.level) {
      case 'P':
        ctx.settings.prot = 'P';
        await ctx.reply(200, 'PROT now Private.');
        return;
      case 'C':
        if (ctx.options.requireProtP) {
          await ctx.reply(534, 'PROT C refused: data connections must be protected.');
          return;
        }
        ctx.settings.prot = 'C';
        await ctx.reply(200, 'PROT now Clear.');
        return;
      default:
        await ctx.reply(536, 'PROT level not supported by mechanism.');
    }
  },
});
