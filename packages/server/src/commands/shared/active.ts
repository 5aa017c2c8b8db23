/** The PORT/EPRT checks (RFC 2577 §3) shared by both verbs; throws ReplyError 501 on refusal. */
import { isTransportError, validateActiveTarget } from '@ftpkit/transport';
import { type CommandContext, ReplyError } from '../types.js';

export function activeTarget(ctx: CommandContext, host: string, port: number, verb: string): void {
  if (!ctx.options.active.enabled) throw new ReplyError(502, 'Active mode is disabled: use PASV or EPSV.');
  if (ctx.settings.epsvAll) throw new ReplyError(501, `${verb} not allowed after EPSV ALL.`);
  try {
    validateActiveTarget(
      { host, port },
      {
        controlPeerAddress: ctx.remoteAddress,
        allowThirdParty: ctx.options.active.allowThirdParty,
        allowPrivilegedPorts: ctx.options.active.allowPrivilegedPorts,
      },
    );
  } catch (error) {
    if (isTransportError(error)) {
      throw new ReplyError(
        501,
        port < 1024 && !ctx.options.active.allowPrivilegedPorts
          ? 'Illegal PORT command: privileged port refused.'
          : 'Illegal PORT command: data connections go to the control address only.',
      );
    }
    throw error;
  }
  ctx.internals.prepareActive(host, port);
}
