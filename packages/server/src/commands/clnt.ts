/** CLNT (draft-peterson-streamlined-ftp-command-extensions): remembers the client's name; 200. */
import type { CommandOf } from '@ftpkit/codec';
import { defineCommand } from './types.js';

export const CLNT = defineCommand<CommandOf<'CLNT'>>({
  verb: 'CLNT',
  login: false,
  tlsExempt: true,
  features: () => ['CLNT'],
  async handle(ctx, command) {
    ctx.settings.clientName = command.client.slice(0, 256);
    await ctx.reply(200, 'Noted.');
  },
});
