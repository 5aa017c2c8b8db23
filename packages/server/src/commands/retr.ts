/** RETR (RFC 959 §4.1.3; REST STREAM offsets, RFC 3659 §5): 150, data, 226; 550 / 425 / 426 / 451. */
import type { CommandOf } from '@ftpkit/codec';
import { download } from './shared/transfers.js';
import { defineCommand } from './types.js';

export const RETR = defineCommand<CommandOf<'RETR'>>({
  verb: 'RETR',
  login: true,
  permission: 'read',
  transfer: true,
  async handle(ctx, command) {
    await download(ctx, ctx.resolvePath(command.path));
  },
});
