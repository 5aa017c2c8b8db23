/**
 * ABOR (RFC 959 §4.1.3, §5.4): during a transfer, the transfer answers 426 and ABOR then 226.
 * With no transfer: 225 (and a prepared passive listener is closed).
 */
import { defineCommand } from './types.js';

export const ABOR = defineCommand({
  verb: 'ABOR',
  login: true,
  duringTransfer: true,
  async handle(ctx) {
    if (await ctx.internals.abortTransfer()) {
      await ctx.reply(226, 'ABOR successful.');
      return;
    }
    await ctx.internals.clearPendingData();
    await ctx.reply(225, 'No transfer to abort.');
  },
});
