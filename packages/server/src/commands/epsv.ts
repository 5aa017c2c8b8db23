/**
 * EPSV (RFC 2428 §3): 229 (|||port|). `EPSV 1`/`EPSV 2` must match the control connection's
 * family (else 522 naming the supported one); `EPSV ALL` → 200 and from then on PORT, EPRT and
 * PASV are refused (RFC 2428 §4).
 */
import {
  type CommandOf,
  formatEpsvReplyText,
  formatNetworkProtocolNotSupportedText,
  isIPv4,
} from '@ftpkit/codec';
import { defineCommand } from './types.js';

export const EPSV = defineCommand<CommandOf<'EPSV'>>({
  verb: 'EPSV',
  login: true,
  features: () => ['EPSV'],
  async handle(ctx, command) {
    if (command.argument === 'ALL') {
      ctx.settings.epsvAll = true;
      await ctx.reply(200, 'EPSV ALL ok.');
      return;
    }
    const family = isIPv4(ctx.localAddress) ? 1 : 2;
    if (command.argument !== undefined && command.argument !== family) {
      await ctx.reply(522, formatNetworkProtocolNotSupportedText([family]));
      return;
    }
    const { port } = await ctx.internals.preparePassive(true);
    await ctx.reply(229, formatEpsvReplyText(port));
  },
});
