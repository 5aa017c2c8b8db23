/**
 * PASV (RFC 959 §4.1.2): 227 with the listener's address (or the masquerade address). An IPv6
 * control connection cannot be expressed in 227: 425 pointing to EPSV. After EPSV ALL: 501.
 */
import { formatPasvReplyText, isIPv4 } from '@ftpkit/codec';
import { defineCommand } from './types.js';

export const PASV = defineCommand({
  verb: 'PASV',
  login: true,
  async handle(ctx) {
    if (ctx.settings.epsvAll) {
      await ctx.reply(501, 'PASV not allowed after EPSV ALL.');
      return;
    }
    if (!isIPv4(ctx.localAddress) && ctx.options.passive.masqueradeAddress === undefined) {
      await ctx.reply(425, 'PASV needs IPv4: use EPSV.');
      return;
    }
    const { host, port } = await ctx.internals.preparePassive(false);
    if (!isIPv4(host)) {
      await ctx.internals.clearPendingData();
      await ctx.reply(425, 'PASV needs IPv4: use EPSV.');
      return;
    }
    await ctx.reply(227, formatPasvReplyText({ host, port }));
  },
});
