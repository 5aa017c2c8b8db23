/**
 * LIST (RFC 959 §4.1.3): `ls -l` lines from the codec's `createListFormatter` (GNU ls layout, which
 * curl, lftp, FileZilla and basic-ftp all parse), sorted by name, CRLF-terminated. A file argument
 * lists that file. `ls` flags (`-la`) are accepted and ignored: every entry is always shown.
 * A missing path is 450 (RFC 959 §5.4 gives LIST no 550).
 */
import { Readable } from 'node:stream';
import { type CommandOf, createListFormatter, type FileRecord, isCodecError } from '@ftpkit/codec';
import { listingError } from './shared/list-errors.js';
import { CHUNK_CHARS, listTarget } from './shared/listing.js';
import { defineCommand } from './types.js';

export const LIST = defineCommand<CommandOf<'LIST'>>({
  verb: 'LIST',
  login: true,
  permission: 'list',
  transfer: true,
  async handle(ctx, command) {
    const path = ctx.resolvePath(command.path);
    const target = await listTarget(ctx.fileSystem, path, ctx.signal).catch(listingError);
    await ctx.sendData(Readable.from(chunks(target.entries)), {
      preliminary: 'Here comes the directory listing.',
    });
    await ctx.reply(226, 'Directory send OK.');
  },
});

/**
 * The sorted listing in ~64 KiB chunks, formatted as the data connection drains: the client reads
 * the first lines while the rest are formatted, and the whole text is never held at once. The
 * codec measures the column widths over every entry first, so the chunks align as one listing.
 */
function* chunks(entries: readonly FileRecord[]): Generator<Buffer> {
  const format = createListFormatter(entries);
  let pending = '';
  for (const entry of entries) {
    try {
      pending += `${format(entry)}\r\n`;
    } catch (error) {
      if (!isCodecError(error)) throw error;
      // A name the codec cannot put on a line (CR/LF/NUL) is left out, as MLSD does, rather than
      // failing the whole listing or corrupting the lines after it.
      continue;
    }
    if (pending.length >= CHUNK_CHARS) {
      yield Buffer.from(pending, 'utf8');
      pending = '';
    }
  }
  if (pending.length > 0) yield Buffer.from(pending, 'utf8');
}
