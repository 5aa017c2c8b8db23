/**
 * Verbs the codec parses that this server answers 502 "not implemented" (RFC 959 §4.2.1), each
 * listed in README "Commands": MFCT (the FileSystem contract has no creation-time setter), MFF,
 * AVBL (no free-space query in the contract). They are not in FEAT.
 */
import { defineCommand } from './types.js';

function notImplemented(verb: string, why: string) {
  return defineCommand({
    verb,
    login: true,
    async handle(ctx) {
      await ctx.reply(502, `${verb} not implemented: ${why}.`);
    },
  });
}

export const MFCT = notImplemented('MFCT', 'creation times cannot be set');
export const MFF = notImplemented('MFF', 'use MFMT');
export const AVBL = notImplemented('AVBL', 'free space is not known');
