/**
 * The bare Node pipe: what any Node program can push through loopback, with no FTP in the way.
 *
 *   node pipe.mjs send '<json>'   listens on 127.0.0.1:0, prints {"port": N}, streams the file
 *                                into the first connection (plain or TLS), then exits
 *   node pipe.mjs recv '<json>'   connects, reads to the end into nothing, prints
 *                                {"seconds": s, "cpu": s, "bytes": n}
 *
 * The two ends are separate processes, like an FTP server and its client. Chunk sizes follow
 * the transport benchmark (1 MiB file reads). Plain JavaScript run by plain `node`, as the
 * ftpkit server and client under test are (not through tsx, whose loader costs throughput).
 */
import { createReadStream } from 'node:fs';
import net from 'node:net';
import { pipeline } from 'node:stream/promises';
import tls from 'node:tls';

const [role, json] = process.argv.slice(2);
/** @type {{ file?: string, port?: number, tls?: { cert: string, key: string }, secure?: boolean }} */
const config = JSON.parse(json ?? '{}');
const CIPHERS = 'TLS_AES_128_GCM_SHA256:ECDHE-RSA-AES128-GCM-SHA256';

if (role === 'send') {
  /** @param {net.Socket} socket */
  const onSocket = (socket) => {
    const cpu0 = process.cpuUsage();
    server.close();
    pipeline(createReadStream(/** @type {string} */ (config.file), { highWaterMark: 1 << 20 }), socket).then(
      () => {
        const cpu = process.cpuUsage(cpu0);
        process.stdout.write(`${JSON.stringify({ cpu: (cpu.user + cpu.system) / 1e6 })}\n`);
        process.exit(0);
      },
      (error) => {
        process.stderr.write(`${error.message}\n`);
        process.exit(1);
      },
    );
  };
  const server =
    config.tls === undefined
      ? net.createServer(onSocket)
      : tls.createServer(
          { cert: config.tls.cert, key: config.tls.key, ciphers: CIPHERS, minVersion: 'TLSv1.2' },
          onSocket,
        );
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(
      `${JSON.stringify({ port: /** @type {net.AddressInfo} */ (server.address()).port })}\n`,
    );
  });
  setTimeout(() => process.exit(2), 600_000).unref();
} else {
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const socket = config.secure
    ? tls.connect({ host: '127.0.0.1', port: config.port, rejectUnauthorized: false, ciphers: CIPHERS })
    : net.connect({ host: '127.0.0.1', port: config.port });
  let bytes = 0;
  socket.on('data', (chunk) => {
    bytes += chunk.length;
  });
  socket.on('end', () => {
    const cpu = process.cpuUsage(cpu0);
    const seconds = (performance.now() - start) / 1000;
    process.stdout.write(`${JSON.stringify({ seconds, cpu: (cpu.user + cpu.system) / 1e6, bytes })}\n`);
    process.exit(0);
  });
  socket.on('error', (error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  });
}
