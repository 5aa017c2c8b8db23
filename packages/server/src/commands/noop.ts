/** NOOP (RFC 959 §4.1.3): 200, also during a transfer. */
import { defineCommand } from './types.js';

export const NOOP = defineCommand({
  verb: 'NOOP',
  login: false,
  tlsExempt: true,
  duringTransfer: true,
  async handle(ctx) {
    await ctx.reply(200, 'NOOP ok.');
  },
});
