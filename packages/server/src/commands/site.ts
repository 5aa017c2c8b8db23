/**
 * SITE (RFC 959 §4.1.3): dispatches to the SITE subcommand table (built-in `SITE HELP`, plus the
 * server's `siteCommands`). Unknown subcommand → 504; each subcommand's own login (530) and
 * permission (550) rule is checked here, before its handler.
 */
import type { CommandOf } from '@ftpkit/codec';
import { NOT_LOGGED_IN_TEXT, PERMISSION_DENIED_TEXT } from '../policy/layers.js';
import { defineCommand, type SiteCommandDefinition } from './types.js';

export const SITE = defineCommand<CommandOf<'SITE'>>({
  verb: 'SITE',
  login: false,
  async handle(ctx, command) {
    const site = ctx.internals.registry.site(command.subcommand);
    if (site === undefined) {
      await ctx.reply(504, `Unknown SITE command ${command.subcommand}.`);
      return;
    }
    if (site.login !== false && ctx.user === undefined) {
      await ctx.reply(530, NOT_LOGGED_IN_TEXT);
      return;
    }
    if (site.permission !== undefined && ctx.user?.permissions[site.permission] !== true) {
      await ctx.reply(550, PERMISSION_DENIED_TEXT);
      return;
    }
    await site.handle(ctx, command.argument);
  },
});

export const SITE_HELP: SiteCommandDefinition = {
  name: 'HELP',
  login: false,
  help: 'SITE HELP: list the SITE commands.',
  async handle(ctx) {
    const registry = ctx.internals.registry;
    const lines = registry.siteNames.map((name) => ` ${registry.site(name)?.help ?? name}`);
    await ctx.reply(214, ['SITE commands:', ...lines, 'End']);
  },
};
