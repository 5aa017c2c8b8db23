/** SMNT (RFC 959 §4.1.1): structure mounts do not exist here; 502 like vsftpd and pyftpdlib. */
import { defineCommand } from './types.js';

export const SMNT = defineCommand({
  verb: 'SMNT',
  login: true,
  async handle(ctx) {
    await ctx.reply(502, 'SMNT not implemented.');
  },
});
