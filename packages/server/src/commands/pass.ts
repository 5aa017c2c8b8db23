/**
 * PASS (RFC 959 §4.1.1): 230 or (after the growing failed-login delay) 530 "Login incorrect."
 * with the same text for every reason. PASS without USER → 503 (RFC 959 §5.4 sequence).
 */
import type { CommandOf } from '@ftpkit/codec';
import { defineCommand } from './types.js';

export const PASS = defineCommand<CommandOf<'PASS'>>({
  verb: 'PASS',
  login: false,
  async handle(ctx, command) {
    if (ctx.user !== undefined) {
      await ctx.reply(503, 'Already logged in.');
      return;
    }
    const username = ctx.settings.pendingUser;
    if (ctx.state !== 'awaiting-password' || username === undefined) {
      await ctx.reply(503, 'Login with USER first.');
      return;
    }
    await ctx.internals.login(username, command.password);
  },
});
