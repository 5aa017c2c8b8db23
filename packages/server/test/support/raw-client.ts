/** The raw FTP test client lives in @ftpkit/test-utils, shared by every suite that needs one. */
export {
  type ConnectOptions,
  connectData,
  RawClient,
  type Reply,
  readAll,
  writeAll,
} from '@ftpkit/test-utils';
