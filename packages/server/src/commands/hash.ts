/**
 * HASH (draft-bryan-ftpext-hash-02): 213 <algorithm> 0-<size> <hex digest> <path>. The algorithm
 * is chosen with OPTS HASH (FEAT marks the current one with `*`). 550 for a directory.
 */
import type { CommandOf } from '@ftpkit/codec';
import { hashFile } from './shared/hash.js';
import { defineCommand, ReplyError } from './types.js';

export const HASH = defineCommand<CommandOf<'HASH'>>({
  verb: 'HASH',
  login: true,
  permission: 'read',
  features: (ctx) =>
    ctx.options.hashAlgorithms.length === 0
      ? []
      : [
          `HASH ${ctx.options.hashAlgorithms.map((a) => (a === ctx.settings.hashAlgorithm ? `${a}*` : a)).join(';')}`,
        ],
  async handle(ctx, command) {
    const path = ctx.resolvePath(command.path);
    const stat = await ctx.fileSystem.stat(path);
    if (stat.type === 'dir') throw new ReplyError(550, 'Is a directory.');
    const algorithm = ctx.settings.hashAlgorithm;
    const digest = await hashFile(ctx.fileSystem, path, algorithm, ctx.signal);
    await ctx.reply(213, `${algorithm} 0-${stat.size} ${digest} ${command.path}`);
  },
});
