/** CDUP / XCUP (RFC 959 §4.1.1): 200 as in RFC 959 §5.4 (the parent of '/' is '/'). */
import { virtualDirname } from '../paths/virtual-path.js';
import { defineCommand } from './types.js';

export const CDUP = defineCommand({
  verb: 'CDUP',
  login: true,
  permission: 'list',
  async handle(ctx) {
    const path = virtualDirname(ctx.cwd);
    await ctx.fileSystem.stat(path);
    ctx.cwd = path;
    await ctx.reply(200, 'Directory successfully changed.');
  },
});
