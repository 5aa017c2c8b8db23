// Barrel for the addresses area: the only file src/index.ts re-exports from it.
export {
  type ExtendedAddress,
  formatEprtArgument,
  formatEpsvReplyText,
  formatNetworkProtocolNotSupportedText,
  NETWORK_PROTOCOL_NOT_SUPPORTED,
  parseEprtArgument,
  parseEpsvReply,
} from './extended.js';
export {
  formatHostPort,
  formatPasvReplyText,
  type HostPort,
  parseHostPort,
  parsePasvReply,
} from './host-port.js';
export { isIPv4, isIPv6, normalizeIp } from './ip.js';
