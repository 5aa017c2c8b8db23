/**
 * @ftpkit/transport — every socket of ftpkit: the control channel (framed lines, backpressure,
 * AUTH TLS, implicit TLS, idle timeouts) and data channels (passive pool, active with bounce
 * protection, PROT P with session reuse, ASCII/throttle/counting transforms).
 *
 * Knows FTP's framing and its two channels; never what a command or a reply means. This file is
 * the only public entry point.
 */

export {
  type ClientUpgradeOptions,
  ControlChannel,
  type ControlChannelOptions,
  type ControlItem,
  type NextOptions,
  type ServerUpgradeOptions,
} from './control/control-channel.js';
export {
  type ConnectControlOptions,
  type ControlListener,
  type ControlListenerOptions,
  connectControl,
  listenControl,
} from './control/endpoints.js';
export {
  type ActiveConnectOptions,
  type ActiveTargetPolicy,
  type ConnectPassiveOptions,
  connectActive,
  connectPassive,
  validateActiveTarget,
} from './data/active.js';
export {
  CHUNK_WRITTEN,
  DataChannel,
  type DataChannelOptions,
  type DataClientTlsOptions,
  type DataServerTlsOptions,
  type ReusingReadable,
  type TransferOptions,
  type TransferResult,
} from './data/data-channel.js';
export {
  openPassiveListener,
  openPassivePort,
  type PassiveAcceptOptions,
  type PassiveListener,
  type PassiveListenerOptions,
  type PassivePort,
  type PassivePortOptions,
  PassivePortPool,
  type PortRange,
} from './data/passive.js';
export { ReadBufferPool, readFileRangeSync } from './data/read-buffers.js';
export { AsciiDecoder, AsciiEncoder, ByteCounter, Throttle } from './data/transforms.js';
export {
  isTransportError,
  TransferAbortedError,
  TransportError,
  type TransportErrorCode,
  TransportErrorCodes,
  type TransportErrorOptions,
} from './errors.js';
export { childLogger, type LogFn, type Logger, silentLogger } from './logger.js';
export {
  type ClientHandshakeOptions,
  DEFAULT_HANDSHAKE_TIMEOUT,
  type ServerHandshakeOptions,
} from './tls/secure-socket.js';
export {
  createSelfSignedCertificate,
  type SelfSignedCertificate,
  type SelfSignedOptions,
} from './tls/self-signed.js';
export {
  type ClientTlsOptions,
  createClientSecureContext,
  createServerSecureContext,
  DEFAULT_CIPHERS,
  DEFAULT_MIN_VERSION,
  type ServerTlsOptions,
  type TlsOptions,
} from './tls/tls-options.js';
