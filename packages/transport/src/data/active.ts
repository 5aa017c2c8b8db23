/**
 * Active data connections (RFC 959 PORT, RFC 2428 EPRT): the server connects to the client.
 *
 * Owns: validating the target against FTP bounce attacks (RFC 2577 §3: only the control peer's
 * IP, only unprivileged ports, unless configured otherwise), the optional local source port
 * (classic port 20, i.e. control port − 1), and the bounded connect.
 */

import { connectTcp } from '../control/endpoints.js';
import { TransportError, TransportErrorCodes } from '../errors.js';
import { sameHost } from '../util/ip.js';
import { assertTimeout } from '../util/wait.js';
import { DataChannel, type DataChannelOptions, directReadSetup } from './data-channel.js';

export interface ActiveTargetPolicy {
  /** The control connection's remote address. */
  readonly controlPeerAddress: string;
  /** Allow a target host other than the control peer (FXP). Default false (RFC 2577 §3). */
  readonly allowThirdParty?: boolean;
  /** Allow target ports below 1024. Default false (RFC 2577 §3). */
  readonly allowPrivilegedPorts?: boolean;
}

export interface ActiveConnectOptions extends ActiveTargetPolicy {
  /** The PORT/EPRT target. */
  readonly host: string;
  readonly port: number;
  /** Source address: the control connection's local address, so the data leaves the same interface. */
  readonly localAddress?: string;
  /**
   * Source port, e.g. 20 or control port − 1 (RFC 959 §3.2 default L−1). Default: any. Binding a
   * privileged port needs the privilege; a refusal is a FTPKIT_ERR_SOCKET with syscallCode EACCES.
   */
  readonly localPort?: number;
  /** Default 10 000 ms. */
  readonly connectTimeout?: number;
  readonly signal?: AbortSignal;
  readonly channel?: DataChannelOptions;
}

/** Throws FTPKIT_ERR_BOUNCE_REFUSED unless the target is allowed; call it when PORT arrives. */
export function validateActiveTarget(
  target: { host: string; port: number },
  policy: ActiveTargetPolicy,
): void {
  if (!Number.isInteger(target.port) || target.port < 1 || target.port > 65_535) {
    throw new TransportError(TransportErrorCodes.BOUNCE_REFUSED, `Invalid data port ${target.port}`);
  }
  if (!(policy.allowPrivilegedPorts ?? false) && target.port < 1024) {
    throw new TransportError(
      TransportErrorCodes.BOUNCE_REFUSED,
      `Refused to connect to privileged port ${target.port} (RFC 2577 §3)`,
    );
  }
  if (!(policy.allowThirdParty ?? false) && !sameHost(target.host, policy.controlPeerAddress)) {
    throw new TransportError(
      TransportErrorCodes.BOUNCE_REFUSED,
      `Refused to connect to ${target.host}: the control connection is from ${policy.controlPeerAddress} (RFC 2577 §3)`,
    );
  }
}

/** Validates the target, then connects. The DataChannel is ready for `startTlsServer`/`send`. */
export async function connectActive(options: ActiveConnectOptions): Promise<DataChannel> {
  validateActiveTarget(options, options);
  const timeout = assertTimeout('connectTimeout', options.connectTimeout, 10_000);
  const socket = await connectTcp(
    {
      host: options.host,
      port: options.port,
      ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
      ...(options.localPort === undefined ? {} : { localPort: options.localPort }),
    },
    timeout,
    options.signal,
    'Active data connect',
  );
  return new DataChannel(socket, options.channel);
}

export interface ConnectPassiveOptions {
  /** The host from the 227/229 reply (a careful client uses the control host instead). */
  readonly host: string;
  readonly port: number;
  readonly localAddress?: string;
  /** Default 10 000 ms. */
  readonly connectTimeout?: number;
  readonly signal?: AbortSignal;
  readonly channel?: DataChannelOptions;
  /**
   * The connection will only `receive()` (a download or a listing) and stays plain TCP: its
   * reads go straight into the channel's own 1 MiB batches (net's `onread`) instead of through
   * the socket's Readable, a fraction of the CPU per byte. TLS cannot start on such a channel;
   * `send()` still works. Default false.
   */
  readonly directRead?: boolean;
}

/** Client role, passive mode: connects to the server's advertised data port. */
export async function connectPassive(options: ConnectPassiveOptions): Promise<DataChannel> {
  const timeout = assertTimeout('connectTimeout', options.connectTimeout, 10_000);
  const direct = options.directRead === true ? directReadSetup() : undefined;
  const socket = await connectTcp(
    {
      host: options.host,
      port: options.port,
      ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
      ...direct?.connectOptions,
    },
    timeout,
    options.signal,
    'Passive data connect',
  );
  direct?.register(socket);
  return new DataChannel(socket, options.channel);
}
