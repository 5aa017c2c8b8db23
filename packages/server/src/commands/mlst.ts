/** MLST (RFC 3659 §7): 250 with one fact line for the path (default: the working directory). */
import { type CommandOf, formatMlstEntryLine, formatMlstFeature } from '@ftpkit/codec';
import { SUPPORTED_MLST_FACTS } from '../session/mlst-facts.js';
import { withPerm } from './shared/listing.js';
import { defineCommand } from './types.js';

export const MLST = defineCommand<CommandOf<'MLST'>>({
  verb: 'MLST',
  login: true,
  permission: 'list',
  features: (ctx) => [`MLST ${formatMlstFeature(SUPPORTED_MLST_FACTS, ctx.settings.mlstFacts)}`],
  async handle(ctx, command) {
    const path = ctx.resolvePath(command.path);
    const stat = await ctx.fileSystem.stat(path);
    const line = formatMlstEntryLine(
      { ...withPerm(stat, ctx.user!.permissions), name: path },
      { facts: ctx.settings.mlstFacts },
    );
    await ctx.reply(250, [`Listing ${path}`, line, 'End']);
  },
});
