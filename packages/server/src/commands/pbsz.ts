/** PBSZ (RFC 2228 §3, RFC 4217 §8): 200 PBSZ=0 on a TLS control connection; 503 before AUTH TLS. */
import { defineCommand } from './types.js';

export const PBSZ = defineCommand({
  verb: 'PBSZ',
  login: false,
  tlsExempt: true,
  features: (ctx) => (ctx.internals.tlsAvailable ? ['PBSZ'] : []),
  async handle(ctx) {
    if (!ctx.secure) {
      await ctx.reply(503, 'PBSZ needs AUTH TLS first.');
      return;
    }
    ctx.settings.pbsz = true;
    await ctx.reply(200, 'PBSZ=0');
  },
});
