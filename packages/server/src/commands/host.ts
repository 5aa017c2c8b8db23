/**
 * HOST (RFC 7151): before USER, selects a virtual host (its greeting and authenticator); 220.
 * After USER or login: 503. A name that is not configured: 504 (RFC 7151 §3.2 lets a server
 * refuse hosts it does not serve). Without any virtual hosts every name selects the server itself.
 */
import type { CommandOf } from '@ftpkit/codec';
import { defineCommand } from './types.js';

export const HOST = defineCommand<CommandOf<'HOST'>>({
  verb: 'HOST',
  login: false,
  tlsExempt: true,
  features: () => ['HOST'],
  async handle(ctx, command) {
    if (ctx.state !== 'awaiting-user' || ctx.user !== undefined) {
      await ctx.reply(503, 'HOST must come before USER.');
      return;
    }
    const name = command.hostname.toLowerCase();
    const hosts = ctx.options.virtualHosts;
    const options = hosts.get(name) ?? hosts.get(name.replace(/^\[(.*)\]$/, '$1'));
    if (options === undefined && hosts.size > 0) {
      await ctx.reply(504, 'Unknown host.');
      return;
    }
    ctx.settings.virtualHost = options === undefined ? undefined : { name, options };
    ctx.transition('host');
    await ctx.reply(220, options?.greeting ?? ctx.options.greeting);
  },
});
