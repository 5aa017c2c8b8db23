/**
 * STOU (RFC 959 §4.1.3, RFC 1123 §4.1.2.9): store under a name unique in the directory; the
 * preliminary reply is `150 FILE: <name>` as RFC 1123 requires. An argument, when given, is used
 * as the name's stem.
 */
import { randomBytes } from 'node:crypto';
import type { CommandOf } from '@ftpkit/codec';
import { isFileSystemError } from '../fs/errors.js';
import { joinVirtualPath, virtualBasename, virtualDirname } from '../paths/virtual-path.js';
import { upload } from './shared/transfers.js';
import { type CommandContext, defineCommand, ReplyError } from './types.js';

async function exists(ctx: CommandContext, path: string): Promise<boolean> {
  try {
    await ctx.fileSystem.stat(path);
    return true;
  } catch (error) {
    if (isFileSystemError(error) && error.kind === 'NotFound') return false;
    throw error;
  }
}

export const STOU = defineCommand<CommandOf<'STOU'>>({
  verb: 'STOU',
  login: true,
  permission: 'write',
  transfer: true,
  async handle(ctx, command) {
    ctx.settings.restOffset = 0;
    const requested = command.path === undefined ? undefined : ctx.resolvePath(command.path);
    const dir = requested === undefined ? ctx.cwd : virtualDirname(requested);
    const stem = requested === undefined ? 'ftpkit' : virtualBasename(requested) || 'ftpkit';
    let path: string | undefined;
    if (requested !== undefined && !(await exists(ctx, requested))) path = requested;
    for (let i = 0; path === undefined && i < 16; i++) {
      const candidate = joinVirtualPath(dir, `${stem}.${randomBytes(4).toString('hex')}`);
      if (!(await exists(ctx, candidate))) path = candidate;
    }
    if (path === undefined) throw new ReplyError(450, 'Could not find a unique file name.');
    await upload(ctx, path, 'unique', `FILE: ${virtualBasename(path)}`);
  },
});
