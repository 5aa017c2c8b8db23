/**
 * MLSD (RFC 3659 §7): one fact line per entry (facts chosen with OPTS MLST), streamed in bounded
 * memory. A non-directory argument is 501 (RFC 3659 §7.2.1).
 */
import { Readable } from 'node:stream';
import { type CommandOf, createMlsxFormatter } from '@ftpkit/codec';
import { isFileSystemError } from '../fs/errors.js';
import { ListingChunks, permsByType } from './shared/listing.js';
import { defineCommand, ReplyError } from './types.js';

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
    const perms = permsByType(ctx.user!.permissions);
    // The fact selection is resolved once per listing, not once per entry.
    const format = createMlsxFormatter({ facts: ctx.settings.mlstFacts });
    async function* chunks() {
      const lines = new ListingChunks();
      for await (const entry of entries) {
        let line: string;
        try {
          line = format(entry, entry.type === 'dir' ? perms.dir : perms.other);
        } catch (error) {
          if (isFileSystemError(error)) throw error;
          // A name the codec cannot put on a line (CR/LF) is skipped rather than corrupting the listing.
          continue;
        }
        const chunk = lines.add(line);
        if (chunk !== undefined) yield chunk;
      }
      const last = lines.end();
      if (last !== undefined) yield last;
    }
    await ctx.sendData(Readable.from(chunks()), { preliminary: 'Here comes the directory listing.' });
    await ctx.reply(226, 'Directory send OK.');
  },
});
