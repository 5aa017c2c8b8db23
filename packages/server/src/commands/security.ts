/**
 * The RFC 2228 verbs that TLS (RFC 4217) does not use, answered with RFC 2228's refusals:
 * CCC → 533 on a control connection that is not protected (RFC 2228 §3: "If the command is not
 * integrity-protected, the server must respond with a 533 reply code"), else 534 (policy: the
 * control connection stays protected, vsftpd/pyftpdlib do the same);
 * ADAT → 503 (AUTH TLS answered 234, not 334, so there is no ADAT exchange to continue);
 * MIC, CONF, ENC → 537 (command protection level not supported by the security mechanism).
 */
import { defineCommand } from './types.js';

export const CCC = defineCommand({
  verb: 'CCC',
  login: false,
  tlsExempt: true,
  async handle(ctx) {
    if (!ctx.secure) await ctx.reply(533, 'CCC refused: the control connection is not protected.');
    else await ctx.reply(534, 'CCC refused: the control connection stays protected.');
  },
});

export const ADAT = defineCommand({
  verb: 'ADAT',
  login: false,
  tlsExempt: true,
  async handle(ctx) {
    await ctx.reply(503, 'ADAT is not used with AUTH TLS.');
  },
});

function protectedCommand(verb: string) {
  return defineCommand({
    verb,
    login: false,
    tlsExempt: true,
    async handle(ctx) {
      await ctx.reply(537, 'Command protection level not supported by security mechanism.');
    },
  });
}

export const MIC = protectedCommand('MIC');
export const CONF = protectedCommand('CONF');
export const ENC = protectedCommand('ENC');
