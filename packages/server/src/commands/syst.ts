/** SYST (RFC 959 §4.1.3): 215 UNIX Type: L8, which every client expects from a Unix-style server. */
import { defineCommand } from './types.js';

export const SYST = defineCommand({
  verb: 'SYST',
  login: false,
  tlsExempt: true,
  async handle(ctx) {
    await ctx.reply(215, 'UNIX Type: L8');
  },
});
