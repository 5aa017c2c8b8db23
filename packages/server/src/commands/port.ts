/**
 * PORT (RFC 959 §4.1.2): the client's data address. Refused (501) unless it is the control
 * peer's IP and an unprivileged port (RFC 2577 §3: the FTP bounce attack), after EPSV ALL, or
 * when active mode is off. 200 otherwise; the connection is made when the transfer starts.
 */
import type { CommandOf } from '@ftpkit/codec';
import { activeTarget } from './shared/active.js';
import { defineCommand } from './types.js';

export const PORT = defineCommand<CommandOf<'PORT'>>({
  verb: 'PORT',
  login: true,
  async handle(ctx, command) {
    activeTarget(ctx, command.address.host, command.address.port, 'PORT');
    await ctx.reply(200, 'PORT command successful. Consider using PASV.');
  },
});
