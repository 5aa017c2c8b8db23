/**
 * Opening the data connection of one transfer, client side (RFC 959 §3.2, RFC 2428, RFC 4217 §9).
 *
 * Owns: passive mode (EPSV first, PASV when the server refuses it, remembered per client), the
 * choice of the passive host (the NAT fix, and not letting a 227 point us at a third party),
 * active mode (EPRT, then PORT, over a local listener that only accepts the server's IP), and the
 * PROT P handshake with the control connection's TLS session.
 *
 * When the PROT P handshake starts is the transfer's business (see transfer.ts): servers disagree.
 */
import {
  formatEprtArgument,
  formatHostPort,
  isIPv4,
  isIPv6,
  normalizeIp,
  parseEpsvReply,
  parsePasvReply,
} from '@ftpkit/codec';
import {
  type ClientHandshakeOptions,
  connectPassive,
  type DataChannel,
  openPassiveListener,
} from '@ftpkit/transport';
import type { ControlConnection } from './control.js';
import { FtpReplyError } from './errors.js';

/** A data connection being set up: passive ones are connected, active ones wait for the server. */
export interface PendingData {
  /** The connected data channel (active mode: after the server connected). */
  channel(): Promise<DataChannel>;
  /** Releases everything (listener, socket) when the transfer did not start. */
  dispose(): void;
}

export interface DataContext {
  readonly mode: 'passive' | 'active';
  readonly trustPassiveAddress: boolean;
  readonly activeAddress: string | undefined;
  readonly connectTimeout: number;
  readonly acceptTimeout: number;
  readonly dataTimeout: number;
  /** TLS options for PROT P data connections (without the session), or undefined for PROT C. */
  readonly tls: ClientHandshakeOptions | undefined;
  /** Per-client memory of refused extended commands, so they are tried once. */
  readonly refused: { epsv: boolean; eprt: boolean };
}

/** `receiving`: the transfer only reads the data connection (download, listing). */
export async function openData(
  conn: ControlConnection,
  ctx: DataContext,
  signal: AbortSignal | undefined,
  receiving = false,
): Promise<PendingData> {
  return ctx.mode === 'active' ? openActive(conn, ctx, signal) : openPassive(conn, ctx, signal, receiving);
}

async function openPassive(
  conn: ControlConnection,
  ctx: DataContext,
  signal: AbortSignal | undefined,
  receiving: boolean,
): Promise<PendingData> {
  const peer = conn.peerAddress;
  let host = peer;
  let port: number | undefined;
  if (!ctx.refused.epsv) {
    const reply = await conn.request('EPSV', undefined, signal);
    if (reply.code === 229) port = parseEpsvReply(reply.text);
    // 500/502: unknown; 501/522: not for this protocol; 504/550 and friends from odd servers.
    else if (reply.code >= 500) ctx.refused.epsv = true;
    else throw new FtpReplyError(reply, 'EPSV');
  }
  if (port === undefined) {
    const reply = await conn.request('PASV', undefined, signal);
    if (reply.code !== 227) throw new FtpReplyError(reply, 'PASV');
    const advertised = parsePasvReply(reply.text);
    host = choosePassiveHost(advertised.host, peer, ctx.trustPassiveAddress);
    port = advertised.port;
  }
  const data = await connectPassive({
    host,
    port,
    connectTimeout: ctx.connectTimeout,
    ...(signal === undefined ? {} : { signal }),
    channel: { idleTimeout: ctx.dataTimeout },
    // Plain downloads and listings read the socket through the transport's batches (onread):
    // about a third of the CPU per byte of a stream pipe. PROT P keeps the TLS socket's path.
    directRead: receiving && ctx.tls === undefined,
  });
  return {
    channel: () => Promise.resolve(data),
    dispose: () => data.abort(),
  };
}

async function openActive(
  conn: ControlConnection,
  ctx: DataContext,
  signal: AbortSignal | undefined,
): Promise<PendingData> {
  const local = ctx.activeAddress ?? conn.channel.localAddress ?? '127.0.0.1';
  const listener = await openPassiveListener({
    host: local,
    // Only the server may connect to us (RFC 2577 §3, port stealing, seen from the client side).
    controlPeerAddress: conn.peerAddress,
    acceptTimeout: ctx.acceptTimeout,
    channel: { idleTimeout: ctx.dataTimeout },
    ...(signal === undefined ? {} : { signal }),
  });
  try {
    const host = listener.advertisedAddress;
    const protocol = isIPv4(host) ? 1 : 2;
    let done = false;
    if (!ctx.refused.eprt) {
      const reply = await conn.request(
        'EPRT',
        formatEprtArgument({ protocol, host, port: listener.port }),
        signal,
      );
      if (reply.code === 200) done = true;
      else if (reply.code >= 500 && protocol === 1) ctx.refused.eprt = true;
      else throw new FtpReplyError(reply, 'EPRT');
    }
    if (!done) {
      const reply = await conn.request('PORT', formatHostPort({ host, port: listener.port }), signal);
      if (reply.code !== 200) throw new FtpReplyError(reply, 'PORT');
    }
  } catch (error) {
    void listener.close();
    throw error;
  }
  return {
    channel: () => listener.accept(signal === undefined ? {} : { signal }),
    dispose: () => void listener.close(),
  };
}

/** Starts the PROT P handshake, resuming the control connection's session. */
export function startDataTls(data: DataChannel, conn: ControlConnection, tls: ClientHandshakeOptions): void {
  // Read the session now, not at login: TLS 1.3 tickets arrive after the handshake and may be
  // replaced; vsftpd/ProFTPD refuse a data connection that does not resume this session.
  const session = conn.channel.tlsSession;
  // The outcome is observed through data.ready() by send/receive; never unhandled here.
  data.startTlsClient(session === undefined ? tls : { ...tls, session }).catch(() => {});
}

/**
 * Where to connect for a 227 reply. Default (`trust` false): always the control peer, as basic-ftp
 * and curl do (`--ftp-skip-pasv-ip`): a NAT'd server's private address is useless to us, and a
 * hostile server must not aim our connections at a third host. With `trust`, the advertised
 * address is used unless it is private or unroutable and differs from the control peer's.
 */
export function choosePassiveHost(advertised: string, controlPeer: string, trust: boolean): string {
  let normalized: string;
  try {
    normalized = normalizeIp(advertised);
  } catch {
    return controlPeer;
  }
  if (normalized === controlPeer) return normalized;
  if (!trust) return controlPeer;
  return isPrivateOrUnroutable(normalized) ? controlPeer : normalized;
}

/** RFC 1918, RFC 6598 (CGNAT), loopback, link-local, unspecified, multicast/reserved; IPv6 ULA/link-local. */
export function isPrivateOrUnroutable(ip: string): boolean {
  if (isIPv4(ip)) {
    const [a = 0, b = 0] = ip.split('.').map(Number);
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      a >= 224
    );
  }
  if (isIPv6(ip)) {
    const lower = ip.toLowerCase();
    return (
      lower === '::' ||
      lower === '::1' ||
      lower.startsWith('fc') ||
      lower.startsWith('fd') ||
      lower.startsWith('fe8') ||
      lower.startsWith('fe9') ||
      lower.startsWith('fea') ||
      lower.startsWith('feb')
    );
  }
  return true;
}
