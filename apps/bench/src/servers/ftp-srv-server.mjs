/**
 * ftp-srv (npm) as a child process of the bench: one user, a local root, loopback passive ports.
 *
 *   node ftp-srv-server.mjs '<json config>'     prints {"port": N} once listening
 */
import { readFileSync } from 'node:fs';
import { FtpSrv } from 'ftp-srv';

const config = JSON.parse(process.argv[2] ?? '{}');
const silent = {
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error() {},
  fatal() {},
  child() {
    return silent;
  },
};
const server = new FtpSrv({
  url: `ftp://127.0.0.1:${config.port}`,
  pasv_url: '127.0.0.1',
  pasv_min: config.passivePorts[0],
  pasv_max: config.passivePorts[1],
  anonymous: false,
  greeting: 'ftp-srv ready',
  log: silent,
  ...(config.tls ? { tls: { cert: readFileSync(config.tls.cert), key: readFileSync(config.tls.key) } } : {}),
});
server.on('login', ({ username, password }, resolve, reject) => {
  if (username === config.user && password === config.password) resolve({ root: config.root });
  else reject(new Error('Login incorrect.'));
});
server.on('client-error', () => {});
await server.listen();
process.stdout.write(`${JSON.stringify({ port: config.port })}\n`);
const stop = () => {
  server.close().finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 3000).unref();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
