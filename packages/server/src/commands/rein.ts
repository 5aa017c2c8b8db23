/**
 * REIN (RFC 959 §4.1.1): log out, forget every setting, keep the connection; 220 for the next
 * user. A TLS control connection stays TLS (Node cannot downgrade a socket; staying protected is
 * the safe side of RFC 4217 §11's REIN note), so PBSZ/PROT are kept in step with it.
 */
import { DEFAULT_MLST_FACTS } from '../session/mlst-facts.js';
import { defineCommand } from './types.js';

export const REIN = defineCommand({
  verb: 'REIN',
  login: false,
  tlsExempt: true,
  async handle(ctx) {
    await ctx.internals.clearPendingData();
    ctx.internals.logout('rein');
    const s = ctx.settings;
    s.type = 'A';
    s.restOffset = 0;
    s.renameFrom = undefined;
    s.epsvAll = false;
    s.mlstFacts = DEFAULT_MLST_FACTS;
    s.hashAlgorithm = ctx.options.hashAlgorithms[0] ?? 'SHA-256';
    s.pendingUser = undefined;
    s.virtualHost = undefined;
    if (!ctx.secure) {
      s.pbsz = false;
      s.prot = 'C';
    }
    ctx.cwd = '/';
    ctx.transition('rein');
    await ctx.reply(220, 'Service ready for new user.');
  },
});
