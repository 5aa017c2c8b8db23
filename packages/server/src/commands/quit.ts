/** QUIT (RFC 959 §4.1.1): 221 and close (a running transfer has finished first: see the session). */
import { defineCommand } from './types.js';

export const QUIT = defineCommand({
  verb: 'QUIT',
  login: false,
  tlsExempt: true,
  async handle(ctx) {
    ctx.internals.logout('quit');
    await ctx.reply(221, 'Goodbye.');
    ctx.transition('quit');
    await ctx.internals.close();
  },
});
