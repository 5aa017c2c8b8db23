/**
 * STAT (RFC 959 §4.1.3): without an argument, 211 server/session status (213 with the transfer's
 * status during a transfer); with a path, the listing over the control connection: 212 for a
 * directory, 213 for a file, 450 when missing.
 */
import { type CommandOf, formatListLines } from '@ftpkit/codec';
import { NOT_LOGGED_IN_TEXT, PERMISSION_DENIED_TEXT } from '../policy/layers.js';
import { listingError } from './shared/list-errors.js';
import { listTarget } from './shared/listing.js';
import { defineCommand } from './types.js';

export const STAT = defineCommand<CommandOf<'STAT'>>({
  verb: 'STAT',
  login: false,
  duringTransfer: true,
  async handle(ctx, command) {
    const status = ctx.internals.transferStatus;
    if (status !== undefined) {
      await ctx.reply(213, `Status: ${status}`);
      return;
    }
    if (command.path === undefined) {
      const s = ctx.settings;
      await ctx.reply(211, [
        'FTP server status:',
        `Connected to ${ctx.localAddress}`,
        `Connected from ${ctx.remoteAddress}`,
        ctx.user === undefined ? 'Not logged in' : `Logged in as ${ctx.user.username}`,
        `TYPE: ${s.type === 'A' ? 'ASCII' : 'BINARY'}, STRUcture: File, MODE: Stream`,
        `Control connection: ${ctx.secure ? 'TLS' : 'plain'}; data protection: ${s.prot === 'P' ? 'private' : 'clear'}`,
        'End of status',
      ]);
      return;
    }
    if (ctx.user === undefined) {
      await ctx.reply(530, NOT_LOGGED_IN_TEXT);
      return;
    }
    if (!ctx.user.permissions.list) {
      await ctx.reply(550, PERMISSION_DENIED_TEXT);
      return;
    }
    const target = await listTarget(ctx.fileSystem, ctx.resolvePath(command.path)).catch(listingError);
    const lines = formatListLines(target.entries);
    await ctx.reply(target.directory ? 212 : 213, [`Status of ${target.path}:`, ...lines, 'End of status']);
  },
});
