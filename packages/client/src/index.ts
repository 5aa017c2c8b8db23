/**
 * @ftpkit/client — the promise-based FTP/FTPS client: one control connection per `Client`, many
 * in a `ClientPool`. This file is the only public entry point.
 */

export type { ListingEntry, Reply } from '@ftpkit/codec';
export {
  Client,
  type ClientEvents,
  connect,
  type HashResult,
  type Listing,
  type OperationOptions,
  type TransferOptions,
  type TransferProgress,
  type TransferSummary,
  type UploadOptions,
} from './client.js';
export { choosePassiveHost, isPrivateOrUnroutable } from './data.js';
export {
  ClientError,
  type ClientErrorCode,
  ClientErrorCodes,
  FtpReplyError,
  isClientError,
  isFtpReplyError,
} from './errors.js';
export type { LogFn, Logger } from './logger.js';
export {
  type AutoReconnectOptions,
  type ClientOptions,
  type ClientTlsSettings,
  DEFAULTS,
  type ParsedFtpUrl,
  parseFtpUrl,
} from './options.js';
export { isSafeEntryName, joinRemote, splitRemote } from './paths.js';
export { ClientPool, createPool, type PoolOptions } from './pool.js';
export type { TreeFile, TreeOptions, TreeProgress, TreeResult } from './tree.js';
