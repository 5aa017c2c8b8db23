/**
 * OPTS (RFC 2389 §4): `OPTS UTF8 ON` (RFC 2640; paths are always UTF-8 here), `OPTS MLST
 * <facts>` (RFC 3659 §7.9) and `OPTS HASH [<algorithm>]` (draft-bryan-ftpext-hash). Anything
 * else is 501.
 */
import { type CommandOf, parseFactNames } from '@ftpkit/codec';
import type { HashAlgorithmName } from '../options.js';
import { SUPPORTED_MLST_FACTS } from '../session/mlst-facts.js';
import { defineCommand } from './types.js';

export const OPTS = defineCommand<CommandOf<'OPTS'>>({
  verb: 'OPTS',
  login: false,
  tlsExempt: true,
  async handle(ctx, command) {
    const value = command.value?.trim();
    switch (command.name) {
      case 'UTF8':
      case 'UTF-8':
        if (value === undefined || value.toUpperCase() === 'ON') await ctx.reply(200, 'Always in UTF8 mode.');
        else await ctx.reply(504, 'UTF8 cannot be switched off.');
        return;
      case 'MLST': {
        let names: string[];
        try {
          names = parseFactNames(value ?? '');
        } catch {
          await ctx.reply(501, 'Invalid MLST options.');
          return;
        }
        const wanted = new Set(names.map((n) => n.toLowerCase()));
        const chosen = SUPPORTED_MLST_FACTS.filter((f) => wanted.has(f.toLowerCase()));
        ctx.settings.mlstFacts = chosen;
        await ctx.reply(200, `MLST OPTS ${chosen.map((f) => `${f};`).join('')}`);
        return;
      }
      case 'HASH': {
        if (value === undefined) {
          await ctx.reply(200, ctx.settings.hashAlgorithm);
          return;
        }
        const algorithm = ctx.options.hashAlgorithms.find((a) => a === value.toUpperCase());
        if (algorithm === undefined) {
          await ctx.reply(501, 'Unknown algorithm.');
          return;
        }
        ctx.settings.hashAlgorithm = algorithm as HashAlgorithmName;
        await ctx.reply(200, algorithm);
        return;
      }
      default:
        await ctx.reply(501, 'Option not understood.');
    }
  },
});
