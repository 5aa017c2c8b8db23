/**
 * STOR (RFC 959 §4.1.3): 150, data, commit, 226. With a REST offset (RFC 3659 §5) it writes in
 * place from there (needs the append permission). Failed uploads are never published.
 */
import type { CommandOf } from '@ftpkit/codec';
import { upload } from './shared/transfers.js';
import { defineCommand } from './types.js';

export const STOR = defineCommand<CommandOf<'STOR'>>({
  verb: 'STOR',
  login: true,
  permission: 'write',
  transfer: true,
  async handle(ctx, command) {
    await upload(ctx, ctx.resolvePath(command.path), 'store');
  },
});
