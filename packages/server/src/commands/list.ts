/**
 * LIST (RFC 959 §4.1.3): `ls -l` lines from the codec's `createListFormatter` (GNU ls layout, which
 * curl, lftp, FileZilla and basic-ftp all parse), sorted by name, CRLF-terminated. A file argument
 * lists that file. `ls` flags (`-la`) are accepted and ignored: every entry is always shown.
 * A missing path is 450 (RFC 959 §5.4 gives LIST no 550).
 *
 * A directory on a filesystem that lists in name order (`capabilities.sortedList`) is streamed as
 * its entries are stat'ed: the column widths are measured over the first WIDTH_SAMPLE entries, so
 * a directory up to that size lists exactly as `ls -l` aligns it, and in a larger one a later
 * entry with a wider value widens only its own line (clients split on runs of spaces). Other
 * filesystems' entries are collected and sorted first.
 */
import { Readable } from 'node:stream';
import {
  type CommandOf,
  createListFormatter,
  type FileRecord,
  isCodecError,
  type ListFormatter,
} from '@ftpkit/codec';
import { listingError } from './shared/list-errors.js';
import { ListingChunks, listTarget } from './shared/listing.js';
import { defineCommand } from './types.js';

/** Entries whose widths set a streamed listing's columns: one LocalFileSystem batch. */
const WIDTH_SAMPLE = 1024;

export const LIST = defineCommand<CommandOf<'LIST'>>({
  verb: 'LIST',
  login: true,
  permission: 'list',
  transfer: true,
  async handle(ctx, command) {
    const path = ctx.resolvePath(command.path);
    const fs = ctx.fileSystem;
    let entries: AsyncIterable<FileRecord> | Iterable<FileRecord>;
    if (fs.capabilities.sortedList && (await fs.stat(path).catch(listingError)).type === 'dir') {
      entries = await fs.list(path, { sorted: true, signal: ctx.signal }).catch(listingError);
    } else entries = (await listTarget(fs, path, ctx.signal).catch(listingError)).entries;
    await ctx.sendData(Readable.from(chunks(entries)), {
      preliminary: 'Here comes the directory listing.',
    });
    await ctx.reply(226, 'Directory send OK.');
  },
});

/**
 * The listing in ~64 KiB chunks, formatted as the data connection drains: the client reads the
 * first lines while the rest are stat'ed and formatted, and the whole text is never held at once.
 */
async function* chunks(entries: AsyncIterable<FileRecord> | Iterable<FileRecord>): AsyncGenerator<Buffer> {
  const lines = new ListingChunks();
  let sample: FileRecord[] | undefined = [];
  let format: ListFormatter | undefined;
  for await (const entry of entries) {
    if (format === undefined) {
      sample!.push(entry);
      if (sample!.length < WIDTH_SAMPLE) continue;
      format = createListFormatter(sample!);
      for (const chunk of formatAll(format, sample!, lines)) yield chunk;
      sample = undefined;
      continue;
    }
    const chunk = addLine(format, entry, lines);
    if (chunk !== undefined) yield chunk;
  }
  if (sample !== undefined)
    for (const chunk of formatAll(createListFormatter(sample), sample, lines)) yield chunk;
  const last = lines.end();
  if (last !== undefined) yield last;
}

function* formatAll(
  format: ListFormatter,
  entries: readonly FileRecord[],
  lines: ListingChunks,
): Generator<Buffer> {
  for (const entry of entries) {
    const chunk = addLine(format, entry, lines);
    if (chunk !== undefined) yield chunk;
  }
}

function addLine(format: ListFormatter, entry: FileRecord, lines: ListingChunks): Buffer | undefined {
  let line: string;
  try {
    line = format(entry);
  } catch (error) {
    if (!isCodecError(error)) throw error;
    // A name the codec cannot put on a line (CR/LF/NUL) is left out, as MLSD does, rather than
    // failing the whole listing or corrupting the lines after it.
    return undefined;
  }
  return lines.add(line);
}
