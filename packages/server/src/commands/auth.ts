/**
 * AUTH (RFC 2228 §3, RFC 4217 §4): `AUTH TLS` (and its legacy aliases `AUTH SSL`, `TLS-C`) →
 * 234, then the control connection becomes TLS in place. 502 when the server has no TLS, 503 when
 * the connection is already protected, 504 for other mechanisms. PBSZ/PROT start afresh.
 */
import type { CommandOf } from '@ftpkit/codec';
import { defineCommand } from './types.js';

const TLS_MECHANISMS = new Set(['TLS', 'TLS-C', 'SSL', 'TLS-P']);

export const AUTH = defineCommand<CommandOf<'AUTH'>>({
  verb: 'AUTH',
  login: false,
  tlsExempt: true,
  features: (ctx) => (ctx.internals.tlsAvailable ? ['AUTH TLS'] : []),
  async handle(ctx, command) {
    if (!ctx.internals.tlsAvailable) {
      await ctx.reply(502, 'TLS is not configured on this server.');
      return;
    }
    if (!TLS_MECHANISMS.has(command.mechanism)) {
      await ctx.reply(504, 'Unknown security mechanism.');
      return;
    }
    if (ctx.secure) {
      await ctx.reply(503, 'Already using TLS.');
      return;
    }
    await ctx.reply(234, 'Proceed with negotiation.');
    ctx.settings.pbsz = false;
    ctx.settings.prot = 'C';
    await ctx.internals.upgradeTls();
  },
});
