/**
 * ftpkit's server as a child process of the bench, so that its CPU and memory are read from
 * /proc exactly as the peer daemons' are. Configured like the peers: one user with a local
 * directory, loopback only, limits raised so that they never bound a benchmark.
 *
 *   node ftpkit-server.mjs '<json config>'
 *
 * Plain JavaScript on the built packages (dist), as users run them: through tsx, every closure
 * the sources create would carry esbuild's keepNames `__name` property (a 256-byte property
 * store each: ~2.6 KiB of heap per idle session) and its call cost.
 *
 * Prints `{"port": N}` once listening; exits on SIGTERM after closing.
 */
import { createServer, LocalFileSystem, StaticUserAuthenticator } from '@ftpkit/server';

/** @type {{ root: string, user: string, password: string, tls?: { cert: string, key: string } }} */
const config = JSON.parse(process.argv[2] ?? '{}');
const server = createServer({
  host: '127.0.0.1',
  authenticator: new StaticUserAuthenticator({
    users: [
      { username: config.user, password: config.password, root: new LocalFileSystem({ root: config.root }) },
    ],
    allowPlaintextPasswords: true,
  }),
  ...(config.tls === undefined ? {} : { tls: { cert: config.tls.cert, key: config.tls.key } }),
  // vsftpd's require_ssl_reuse is on in the peer config too; curl resumes the session.
  limits: { maxSessions: 100_000, maxSessionsPerIp: 100_000, idleTimeout: 0, loginDelay: false, ban: false },
  // No passive port range, so no per-IP passive cap (the default) and each session keeps its
  // passive port between transfers (passive.keepListening's default), as a user's server would.
});
const address = await server.listen();
process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);
const stop = () => {
  void server.close({ deadline: 1000 }).finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 3000).unref();
};
process.once('SIGTERM', stop);
// SIGUSR2: print where the memory is (after a full GC when run with --expose-gc), so the idle
// sessions scenario can say whether the JS heap or native buffers bound the figure.
process.on('SIGUSR2', () => {
  globalThis.gc?.();
  const m = process.memoryUsage();
  process.stdout.write(
    `${JSON.stringify({ memory: { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers } })}\n`,
  );
});
process.once('SIGINT', stop);
