/** MFMT (draft-somers-ftp-mfxx): set the modification time; 213 Modify=<time>; <path>. 502 when the filesystem cannot. */
import { type CommandOf, formatTimeVal } from '@ftpkit/codec';
import { requireCapability } from '../fs/file-system.js';
import { defineCommand } from './types.js';

export const MFMT = defineCommand<CommandOf<'MFMT'>>({
  verb: 'MFMT',
  login: true,
  permission: 'setModified',
  features: () => ['MFMT'],
  async handle(ctx, command) {
    const fs = ctx.fileSystem;
    requireCapability(fs, 'setModified');
    const path = ctx.resolvePath(command.path);
    await fs.setModified!(path, command.time);
    await ctx.reply(213, `Modify=${formatTimeVal(command.time)}; ${command.path}`);
  },
});
