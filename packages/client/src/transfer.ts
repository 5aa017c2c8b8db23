/**
 * One data transfer on a logged-in control connection: RETR, STOR, APPE, LIST, MLSD (RFC 959
 * §4.1.3, §5.4 sequencing).
 *
 * Owns: the command sequence (data connection, REST, the command, 1yz, data, 2yz), waiting for
 * the final reply without a limit while bytes move and within `replyTimeout` once they stopped,
 * keepalive NOOPs during long transfers (their 200s may arrive before or after the 226: vsftpd
 * reads the control connection only after a transfer, pyftpdlib at once), progress sampled by a
 * timer (no per-chunk work), and cancellation: the data connection is cut, ABOR is sent, and
 * exactly the replies still owed are read so the connection stays usable.
 */
import type { Reply } from '@ftpkit/codec';
import type { DataChannel, TransferResult } from '@ftpkit/transport';
import type { ControlConnection } from './control.js';
import { type DataContext, openData, type PendingData, startDataTls } from './data.js';
import { abortedError, ClientError, ClientErrorCodes, FtpReplyError, isAborted } from './errors.js';

/** A progress sample of one transfer. */
export interface TransferProgress {
  /** Remote path of the transfer. */
  readonly name: string;
  readonly direction: 'download' | 'upload' | 'list';
  /** Bytes moved by this transfer so far (not counting `offset`). */
  readonly bytes: number;
  /** The resume offset the transfer started at (REST), 0 otherwise. */
  readonly offset: number;
  /** Size of the whole file when known (`offset + bytes` reaches it at the end). */
  readonly total: number | undefined;
  /** True on the last event of the transfer (sent on success only). */
  readonly done: boolean;
}

export interface TransferSpec {
  readonly verb: 'RETR' | 'STOR' | 'APPE' | 'LIST' | 'MLSD' | 'NLST';
  readonly path: string | undefined;
  readonly direction: TransferProgress['direction'];
  readonly start: number;
  readonly total: number | undefined;
  readonly signal: AbortSignal | undefined;
  /** Moves the bytes; must honour `signal` (the transport's send/receive do). */
  run(data: DataChannel, signal: AbortSignal | undefined): Promise<TransferResult>;
  readonly onProgress: ((progress: TransferProgress) => void) | undefined;
}

/** How long a 1yz may take before the PROT P hello is sent anyway (see runTransfer). */
export const EARLY_TLS_DELAY = 300;

export interface TransferContext extends DataContext {
  /** Per-client memory: this server answers the transfer command only after the data handshake. */
  readonly tlsTiming: { early: boolean };
  readonly replyTimeout: number;
  readonly progressInterval: number;
  /** NOOP interval during the transfer; 0 = none. */
  readonly keepaliveInterval: number;
  /** Counts NOOPs sent, for tests and diagnostics. */
  onKeepalive(): void;
}

export async function runTransfer(
  conn: ControlConnection,
  ctx: TransferContext,
  spec: TransferSpec,
): Promise<number> {
  const signal = spec.signal;
  if (isAborted(signal)) throw abortedError(signal, spec.verb);
  let pending: PendingData | undefined;
  let data: DataChannel | undefined;
  let commandLine: string | undefined;
  let finalSeen = false;
  const noops = { owed: 0 };
  let noopTimer: NodeJS.Timeout | undefined;
  let progressTimer: NodeJS.Timeout | undefined;
  const name = spec.path ?? '';
  const progress = (done: boolean) =>
    spec.onProgress?.({
      name,
      direction: spec.direction,
      bytes: data?.bytes ?? 0,
      offset: spec.start,
      total: spec.total,
      done,
    });
  try {
    await conn.settle();
    pending = await openData(conn, ctx, signal, spec.direction !== 'upload');
    if (spec.start > 0) {
      const rest = await conn.request('REST', String(spec.start), signal);
      if (rest.code !== 350) throw new FtpReplyError(rest, `REST ${spec.start}`);
    }
    // PROT P timing (RFC 4217 §9 leaves it open, servers disagree): pyftpdlib closes a data
    // connection whose ClientHello arrives before it has read the transfer command, ftp-srv
    // answers the command only after the data handshake. So: hello after the 1yz reply, unless
    // the 1yz is late (EARLY_TLS_DELAY), then hello anyway; a server that turns out to wait for
    // it is remembered, and later transfers send the hello at once.
    const tls = ctx.tls;
    let channel: Promise<DataChannel> | undefined;
    let tlsStarted = false;
    let tlsDone = false;
    const connected = (): Promise<DataChannel> => {
      channel ??= pending!.channel();
      return channel.then((d) => {
        if (tls !== undefined && !tlsStarted) {
          tlsStarted = true;
          startDataTls(d, conn, tls);
          d.ready().then(
            () => {
              tlsDone = true;
            },
            () => {},
          );
        }
        return d;
      });
    };
    if (tls !== undefined && ctx.tlsTiming.early) connected().catch(() => {});
    commandLine = await conn.send(spec.verb, spec.path);
    let earlyTimer: NodeJS.Timeout | undefined;
    if (tls !== undefined && !tlsStarted) {
      earlyTimer = setTimeout(() => connected().catch(() => {}), EARLY_TLS_DELAY);
    }
    let first: Reply;
    try {
      do first = await conn.read({ timeout: ctx.replyTimeout, ...(signal === undefined ? {} : { signal }) });
      while (first.code < 100);
    } finally {
      if (earlyTimer !== undefined) clearTimeout(earlyTimer);
    }
    if (tlsDone && first.code < 200) ctx.tlsTiming.early = true;
    if (first.code >= 300) {
      finalSeen = true;
      throw new FtpReplyError(first, commandLine);
    }
    const preliminary = first.code < 200;
    if (!preliminary) {
      // A 2yz without 1yz: some servers answer an empty listing so. An upload cannot have happened.
      finalSeen = true;
      if (spec.direction === 'upload') {
        throw new ClientError(
          ClientErrorCodes.PROTOCOL,
          `${commandLine}: ${first.code} before any data was sent`,
        );
      }
    }
    data = await connected();
    const moving = data;
    if (spec.onProgress !== undefined && ctx.progressInterval > 0) {
      progressTimer = setInterval(() => progress(false), ctx.progressInterval);
      progressTimer.unref();
    }
    if (preliminary && ctx.keepaliveInterval > 0) {
      noopTimer = setInterval(() => {
        noops.owed++;
        ctx.onKeepalive();
        conn.send('NOOP').catch(() => {});
      }, ctx.keepaliveInterval);
      noopTimer.unref();
    }
    let dataError: unknown;
    let dataDone = false;
    const dataSettled = spec.run(moving, signal).then(
      () => {
        dataDone = true;
      },
      (error: unknown) => {
        dataDone = true;
        dataError = error;
      },
    );
    let final = first;
    if (preliminary) {
      try {
        final = await readFinal(conn, ctx, dataSettled, () => dataDone, noops, signal);
        finalSeen = true;
      } catch (error) {
        if (isAborted(signal)) throw error;
        // The control connection died or timed out: the data error (with its byte count) says more.
        await dataSettled;
        throw dataError ?? error;
      } finally {
        if (noopTimer !== undefined) clearInterval(noopTimer);
        noopTimer = undefined;
      }
    }
    await dataSettled;
    if (isAborted(signal)) throw abortedError(signal, spec.verb);
    while (noops.owed > 0) {
      const reply = await conn.read();
      if (reply.code >= 200) noops.owed--;
    }
    if (final.code >= 300) throw new FtpReplyError(final, commandLine, { cause: dataError });
    if (dataError !== undefined) throw dataError;
    if (progressTimer !== undefined) clearInterval(progressTimer);
    progressTimer = undefined;
    progress(true);
    void moving.close();
    return moving.bytes;
  } catch (error) {
    if (noopTimer !== undefined) clearInterval(noopTimer);
    if (data === undefined) pending?.dispose();
    else data.abort();
    if (isAborted(signal)) {
      if (commandLine !== undefined && conn.usable) await abortTransfer(conn, ctx, finalSeen, noops.owed);
      throw abortedError(signal, spec.verb);
    }
    // The server still owes the transfer's final reply (426 after we cut the data connection,
    // 425 when it could not connect) and any NOOP replies: the next request skips them.
    if (commandLine !== undefined && conn.usable) conn.owed += (finalSeen ? 0 : 1) + noops.owed;
    throw error;
  } finally {
    if (progressTimer !== undefined) clearInterval(progressTimer);
  }
}

/**
 * The transfer's final reply. No limit while data moves (a long transfer is not a silent
 * server); `replyTimeout` once the data connection is done. NOOP replies owed are skipped.
 */
async function readFinal(
  conn: ControlConnection,
  ctx: TransferContext,
  dataSettled: Promise<void>,
  dataDone: () => boolean,
  noops: { owed: number },
  signal: AbortSignal | undefined,
): Promise<Reply> {
  // One lazy timer per connection bounds the wait (ControlConnection.limitReads): no timer,
  // AbortController or promise race per transfer.
  let waiting = true;
  const limit = () => {
    if (waiting && ctx.replyTimeout > 0) {
      conn.limitReads(ctx.replyTimeout, 'after the data connection ended');
    }
  };
  if (dataDone()) limit();
  else void dataSettled.then(limit);
  const options = signal === undefined ? {} : { signal };
  try {
    for (;;) {
      const reply = await conn.read(options);
      if (reply.code < 200) continue;
      if (noops.owed > 0 && reply.code === 200) {
        noops.owed--;
        continue;
      }
      return reply;
    }
  } finally {
    waiting = false;
    if (conn.usable) conn.limitReads(0, '');
  }
}

/**
 * ABOR after the data connection was cut (RFC 959 §4.1.3): the transfer command's final reply
 * (unless already read: typically 426) and ABOR's own (225/226) follow, plus any owed NOOP
 * replies. Reading exactly those keeps the next command's reply matched. Failure closes the
 * connection (its state is unknown), never hangs: each read has the reply timeout.
 */
async function abortTransfer(
  conn: ControlConnection,
  ctx: TransferContext,
  finalSeen: boolean,
  owedNoops: number,
): Promise<void> {
  try {
    await conn.send('ABOR');
    let owed = (finalSeen ? 0 : 1) + 1 + owedNoops;
    while (owed > 0) {
      const reply = await conn.read({ timeout: ctx.replyTimeout });
      if (reply.code >= 200) owed--;
    }
  } catch (error) {
    conn.fail(error as Error);
  }
}
