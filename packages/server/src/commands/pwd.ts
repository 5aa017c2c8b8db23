/** PWD / XPWD (RFC 959 §4.1.3, Appendix II): 257 "<path>" with embedded quotes doubled. */
import { formatPathnameReplyText } from '@ftpkit/codec';
import { defineCommand } from './types.js';

export const PWD = defineCommand({
  verb: 'PWD',
  login: true,
  async handle(ctx) {
    await ctx.reply(257, formatPathnameReplyText(ctx.cwd, 'is the current directory'));
  },
});
