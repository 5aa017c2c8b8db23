/**
 * @ftpkit/test-utils — private helpers for ftpkit tests (never a runtime dependency).
 *
 * Owns: certificates for real TLS handshakes, the leak check every socket test ends with,
 * loopback and in-memory socket pairs, temp dirs that clean themselves up.
 */
export { createCertificate, type TestCertificate } from './certificates.js';
export { duplexPair } from './duplex-pair.js';
export { fdCount, type HandleTracker, trackHandles } from './leaks.js';
export { type LoopbackPair, type LoopbackPairOptions, loopbackPair } from './loopback.js';
export {
  freePort,
  isPeerAvailable,
  type PeerServer,
  type PeerServerName,
  type PeerServerOptions,
  PYTHON,
  type SpawnedPeer,
  spawnPeer,
  startPeerServer,
  waitForGreeting,
  writeCertificateFiles,
} from './peers/index.js';
export { type ConnectOptions, connectData, RawClient, type Reply, readAll, writeAll } from './raw-client.js';
export { type RunResult, run } from './run.js';
export { type TempDir, tempDir } from './temp-dir.js';
