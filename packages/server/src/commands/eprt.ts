/**
 * EPRT (RFC 2428 §2): PORT for IPv4 and IPv6. The same bounce rules as PORT (501); a protocol
 * other than the control connection's gets 522 with the supported one (RFC 2428 §2).
 */
import { type CommandOf, formatNetworkProtocolNotSupportedText, isIPv4 } from '@ftpkit/codec';
import { activeTarget } from './shared/active.js';
import { defineCommand } from './types.js';

export const EPRT = defineCommand<CommandOf<'EPRT'>>({
  verb: 'EPRT',
  login: true,
  features: () => ['EPRT'],
  async handle(ctx, command) {
    const controlFamily = isIPv4(ctx.remoteAddress) ? 1 : 2;
    if (command.address.protocol !== controlFamily) {
      await ctx.reply(522, formatNetworkProtocolNotSupportedText([controlFamily]));
      return;
    }
    activeTarget(ctx, command.address.host, command.address.port, 'EPRT');
    await ctx.reply(200, 'EPRT command successful.');
  },
});
