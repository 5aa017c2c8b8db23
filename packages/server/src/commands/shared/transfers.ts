/**
 * The upload and download flows shared by RETR, STOR, APPE and STOU: open the file, move the
 * bytes over the data connection (TYPE A converted both ways), reply 226, and report the outcome
 * as exactly one event.
 *
 * Upload lifecycle (the "explicit lifecycle"): the file is committed only after the data
 * connection ended cleanly (EOF); then 226 and `upload`. Otherwise the upload is aborted — with
 * an atomic-capable filesystem nothing ever appears under the real name — and one of
 * `upload-aborted` (ABOR), `upload-connection-lost` (reset, stall, TLS failure) or
 * `upload-failed` (the storage refused: disk full 452, quota 552, ...) is emitted with the bytes
 * received.
 */

import type { Readable } from 'node:stream';
import { FileSystemError } from '../../fs/errors.js';
import { type FileStat, requireCapability } from '../../fs/file-system.js';
import { OPEN_READ_FAST, type OpenReadFast } from '../../fs/internal.js';
import { virtualBasename } from '../../paths/virtual-path.js';
import { isTransferError, TransferError } from '../../session/session.js';
import type { CommandContext } from '../types.js';

/** A RETR body this small may have its 150 sent with the 226 (DataTransferOptions.small). */
const SMALL_BODY_BYTES = 64 * 1024;

function typeName(ctx: CommandContext): string {
  return ctx.settings.type === 'A' ? 'ASCII' : 'BINARY';
}

/** Takes (and clears) the REST offset: it applies to the next transfer only (RFC 3659 §5.3). */
export function takeRestOffset(ctx: CommandContext): number {
  const offset = ctx.settings.restOffset;
  ctx.settings.restOffset = 0;
  return offset;
}

function asTransferError(error: unknown): TransferError {
  if (isTransferError(error)) return error;
  if (error instanceof FileSystemError || (error as { name?: string })?.name === 'FileSystemError') {
    const e = error as FileSystemError;
    return new TransferError(e.replyCode, e.message, 'storage', 0, error);
  }
  return new TransferError(451, 'Requested action aborted: local error in processing.', 'storage', 0, error);
}

export type UploadMode = 'store' | 'append' | 'unique';

export async function upload(
  ctx: CommandContext,
  path: string,
  mode: UploadMode,
  preliminary?: string,
): Promise<void> {
  const fs = ctx.fileSystem;
  const user = ctx.user!;
  const offset = mode === 'store' ? takeRestOffset(ctx) : 0;
  if (offset > 0) {
    // Writing into an existing file is an append-class right (Permissions.append: "REST + STOR").
    if (!user.permissions.append) throw new FileSystemError('PermissionDenied', 'Permission denied.');
    requireCapability(fs, 'restartWrite');
  }
  if (mode === 'append') requireCapability(fs, 'append');
  const target = await fs.createWriteStream(
    path,
    offset > 0 ? { start: offset } : mode === 'append' ? { append: true } : {},
  );
  const base = {
    sessionId: ctx.id,
    remoteAddress: ctx.remoteAddress,
    user: user.username,
    path,
    offset,
    mode,
  } as const;
  let bytes = 0;
  try {
    const result = await ctx.receiveData(target.stream, {
      preliminary: preliminary ?? `Ok to send data (${typeName(ctx)} mode).`,
      ascii: true,
    });
    bytes = result.bytes;
    await target.commit();
  } catch (error) {
    await target.abort(error).catch(() => {});
    const failure = asTransferError(error);
    const payload = {
      ...base,
      bytes: Math.max(bytes, failure.bytes, target.bytesWritten),
      duration: ctx.elapsed(),
      replyCode: failure.replyCode,
      error,
    };
    if (failure.kind === 'aborted') ctx.emit('upload-aborted', payload);
    else if (failure.kind === 'connection-lost' || failure.kind === 'tls')
      ctx.emit('upload-connection-lost', payload);
    else if (failure.kind === 'storage') ctx.emit('upload-failed', payload);
    throw failure;
  }
  await ctx.reply(
    226,
    mode === 'unique' ? `Transfer complete: ${virtualBasename(path)}` : 'Transfer complete.',
  );
  ctx.emit('upload', { ...base, bytes, duration: ctx.elapsed() });
}

export async function download(ctx: CommandContext, path: string): Promise<void> {
  const fs = ctx.fileSystem;
  const offset = takeRestOffset(ctx);
  if (offset > 0) requireCapability(fs, 'restartRead');
  // A shipped adapter may open and stat in one checked step; otherwise (or when it declines)
  // stat, then open, as any FileSystem.
  const fast = OPEN_READ_FAST in fs ? await (fs as OpenReadFast)[OPEN_READ_FAST](path, offset) : undefined;
  let stat: FileStat;
  let source: Readable;
  if (fast !== undefined) {
    stat = fast.stat;
    source = fast.stream;
  } else {
    stat = await fs.stat(path);
    if (stat.type === 'dir') throw new FileSystemError('IsADirectory', 'Is a directory.', { path });
    source = await fs.createReadStream(path, offset > 0 ? { start: offset } : {});
  }
  const base = {
    sessionId: ctx.id,
    remoteAddress: ctx.remoteAddress,
    user: ctx.user!.username,
    path,
    offset,
    mode: 'retrieve',
  } as const;
  let bytes: number;
  try {
    const name = virtualBasename(path);
    const result = await ctx.sendData(source, {
      preliminary: `Opening ${typeName(ctx)} mode data connection for ${name} (${stat.size} bytes).`,
      ascii: true,
      small: stat.size - offset <= SMALL_BODY_BYTES,
    });
    bytes = result.bytes;
  } catch (error) {
    source.destroy();
    const failure = asTransferError(error);
    if (failure.kind !== 'setup') {
      ctx.emit('download-failed', {
        ...base,
        bytes: failure.bytes,
        duration: ctx.elapsed(),
        replyCode: failure.replyCode,
        error,
      });
    }
    throw failure;
  }
  await ctx.reply(226, 'Transfer complete.');
  ctx.emit('download', { ...base, bytes, duration: ctx.elapsed() });
}
