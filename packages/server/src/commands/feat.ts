/**
 * FEAT (RFC 2389 §3): 211 listing exactly the extensions this session can use: each enabled verb
 * contributes its lines (`features` in its definition), in registry order. RFC 959 verbs are never
 * listed (RFC 2389 §3.2).
 */
import { formatFeatReply } from '@ftpkit/codec';
import { defineCommand } from './types.js';

export const FEAT = defineCommand({
  verb: 'FEAT',
  login: false,
  tlsExempt: true,
  features: () => ['UTF8', 'TVFS'],
  async handle(ctx) {
    const registry = ctx.internals.registry;
    const seen = new Set<string>();
    const features: string[] = [];
    for (const verb of registry.verbs) {
      for (const line of registry.get(verb)?.features?.(ctx) ?? []) {
        if (seen.has(line)) continue;
        seen.add(line);
        features.push(line);
      }
    }
    // formatFeatReply validates every line against RFC 2389's grammar; send the same lines.
    formatFeatReply(features);
    if (features.length === 0) await ctx.reply(211, 'No features.');
    else await ctx.reply(211, ['Features:', ...features.map((f) => ` ${f}`), 'End']);
  },
});
