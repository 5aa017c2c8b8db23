/** ACCT (RFC 959 §4.1.1): no accounts here; 202 "superfluous" is the RFC's answer for that. */
import { defineCommand } from './types.js';

export const ACCT = defineCommand({
  verb: 'ACCT',
  login: false,
  async handle(ctx) {
    await ctx.reply(202, 'ACCT not needed at this site.');
  },
});
