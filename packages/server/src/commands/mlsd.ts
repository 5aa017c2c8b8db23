/**
 * MLSD (RFC 3659 §7): one fact line per entry (facts chosen with OPTS MLST), streamed in bounded
 * memory. A non-directory argument is 501 (RFC 3659 §7.2.1).
 */
import { Readable } from 'node:stream';
import { type CommandOf, formatMlsxFacts } from '@ftpkit/codec';
import { isFileSystemError } from '../fs/errors.js';
import { withPerm } from './shared/listing.js';
import { defineCommand, ReplyError } from './types.js';

/** UTF-16 code units gathered before a chunk is written (≥ 64 KiB once encoded). */
const CHUNK_CHARS = 64 * 1024;

export const MLSD = defineCommand<CommandOf<'MLSD'>>({
  verb: 'MLSD',
  login: true,
  permission: 'list',
  transfer: true,
  async handle(ctx, command) {
    const fs = ctx.fileSystem;
    const path = ctx.resolvePath(command.path);
    const stat = await fs.stat(path);
    if (stat.type !== 'dir') throw new ReplyError(501, 'Not a directory.');
    const entries = await fs.list(path, { signal: ctx.signal });
    const permissions = ctx.user!.permissions;
    const facts = ctx.settings.mlstFacts;
    // Lines are gathered into ~64 KiB chunks: one data-socket write per chunk, not per entry.
    async function* chunks() {
      let pending = '';
      for await (const entry of entries) {
        try {
          pending += `${formatMlsxFacts(withPerm(entry, permissions), { facts })}\r\n`;
        } catch (error) {
          if (isFileSystemError(error)) throw error;
          // A name the codec cannot put on a line (CR/LF) is skipped rather than corrupting the listing.
          continue;
        }
        if (pending.length >= CHUNK_CHARS) {
          yield Buffer.from(pending, 'utf8');
          pending = '';
        }
      }
      if (pending.length > 0) yield Buffer.from(pending, 'utf8');
    }
    await ctx.sendData(Readable.from(chunks()), { preliminary: 'Here comes the directory listing.' });
    await ctx.reply(226, 'Directory send OK.');
  },
});
