/** APPE (RFC 959 §4.1.3): append, creating the file when missing. Needs the append permission. */
import type { CommandOf } from '@ftpkit/codec';
import { upload } from './shared/transfers.js';
import { defineCommand } from './types.js';

export const APPE = defineCommand<CommandOf<'APPE'>>({
  verb: 'APPE',
  login: true,
  permission: 'append',
  transfer: true,
  async handle(ctx, command) {
    ctx.settings.restOffset = 0;
    await upload(ctx, ctx.resolvePath(command.path), 'append');
  },
});
