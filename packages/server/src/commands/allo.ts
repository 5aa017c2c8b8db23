/** ALLO (RFC 959 §4.1.3): nothing to reserve here; 202 "superfluous" as RFC 959 §5.4 allows. */
import { defineCommand } from './types.js';

export const ALLO = defineCommand({
  verb: 'ALLO',
  login: true,
  async handle(ctx) {
    await ctx.reply(202, 'No storage allocation necessary.');
  },
});
