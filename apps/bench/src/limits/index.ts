/**
 * The limits beside every figure: a bare Node `net` and `tls` pipe of the same bytes over loopback,
 * iperf3's single-stream loopback TCP, and `openssl speed -evp aes-128-gcm` for one core's TLS
 * ceiling. Each is a Target like a server or client, so it runs interleaved in the same rounds.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCertificate, freePort, PYTHON, spawnPeer } from '@ftpkit/test-utils';
import { runCommand } from '../command.ts';
import type { Sample, Target } from '../harness.ts';

const here = dirname(fileURLToPath(import.meta.url));
const GB = 1e9;

export type PipeDirection = 'node-sends' | 'node-receives';

/**
 * The bare pipe of `file` (size `bytes`) over loopback, in GB/s, with Node at one end and a native
 * reader or writer (pipe.py: the kernel's sendfile or recv_into, OpenSSL for TLS) at the other:
 * `node-sends` is the ceiling for ftpkit's server (its client in the benchmark is curl, native),
 * `node-receives` the ceiling for ftpkit's client (its server is vsftpd, native).
 */
export function nodePipeTarget(
  file: string,
  bytes: number,
  secure: boolean,
  timeoutMs: number,
  direction: PipeDirection = 'node-sends',
  work = tmpdir(),
): Target {
  const nodeScript = join(here, 'pipe.mjs');
  const pyScript = join(here, 'pipe.py');
  return {
    name: secure ? 'limit: Node tls pipe' : 'limit: Node net pipe',
    kind: 'limit',
    note:
      direction === 'node-sends'
        ? 'Node sends (file → socket), a native reader discards'
        : 'a native sender (sendfile), Node reads and discards',
    async run(): Promise<Sample> {
      const config: Record<string, unknown> = { file };
      if (secure) {
        const certificate = createCertificate({ keyType: 'rsa' });
        if (direction === 'node-sends') config.tls = { cert: certificate.cert, key: certificate.key };
        else {
          writeFileSync(join(work, 'pipe-cert.pem'), certificate.cert);
          writeFileSync(join(work, 'pipe-key.pem'), certificate.key, { mode: 0o600 });
          config.tls = { cert: join(work, 'pipe-cert.pem'), key: join(work, 'pipe-key.pem') };
        }
      }
      const sender =
        direction === 'node-sends'
          ? spawnPeer(process.execPath, [nodeScript, 'send', JSON.stringify(config)], {
              cwd: join(here, '..', '..'),
            })
          : spawnPeer(PYTHON, [pyScript, 'send', JSON.stringify(config)]);
      try {
        const port = await new Promise<number>((resolve, reject) => {
          let out = '';
          const timer = setTimeout(
            () => reject(new Error(`pipe sender did not start: ${sender.output()}`)),
            20_000,
          );
          sender.child.stdout?.on('data', (c: Buffer) => {
            out += c.toString();
            const m = /"port":\s*(\d+)/.exec(out);
            if (m) {
              clearTimeout(timer);
              resolve(Number(m[1]));
            }
          });
        });
        const receiver = JSON.stringify({ port, secure });
        const result =
          direction === 'node-sends'
            ? await runCommand(PYTHON, [pyScript, 'recv', receiver], { timeoutMs })
            : await runCommand(process.execPath, [nodeScript, 'recv', receiver], {
                timeoutMs,
                cwd: join(here, '..', '..'),
              });
        // The sender prints its own CPU seconds as it exits (its /proc entry is gone by then).
        const deadline = Date.now() + 5000;
        while (!/"cpu":/.test(sender.output()) && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 20));
        const sent = /"cpu":\s*([\d.e-]+)/.exec(sender.output());
        const senderCpu = sent ? Number(sent[1]) : Number.NaN;
        const report = JSON.parse(result.stdout.trim().split('\n').pop()!) as {
          seconds: number;
          cpu: number;
          bytes: number;
        };
        if (report.bytes !== bytes) throw new Error(`pipe moved ${report.bytes} of ${bytes} bytes`);
        // "server" = the sending end, "client" = the receiving end, as in the FTP download rows.
        const sample: Sample = {
          value: bytes / report.seconds / GB,
          seconds: report.seconds,
          clientCpu: report.cpu,
        };
        return Number.isFinite(senderCpu) ? { ...sample, serverCpu: senderCpu } : sample;
      } finally {
        await sender.stop(1000);
      }
    },
  };
}

export const iperf3Available = () => existsSync('/usr/bin/iperf3');

/** iperf3, one TCP stream over loopback for `seconds`, in GB/s (received). */
export function iperf3Target(seconds: number): Target {
  return {
    name: 'limit: iperf3 (1 stream)',
    kind: 'limit',
    note: 'iperf3 -c 127.0.0.1 -P 1',
    async run(): Promise<Sample> {
      const port = await freePort();
      const server = spawnPeer('/usr/bin/iperf3', [
        '--server',
        '--one-off',
        '--bind',
        '127.0.0.1',
        '--port',
        String(port),
      ]);
      try {
        // iperf3 prints "Server listening" once bound.
        const deadline = Date.now() + 10_000;
        while (!server.output().includes('listening') && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 50));
        const result = await runCommand(
          '/usr/bin/iperf3',
          [
            '--client',
            '127.0.0.1',
            '--port',
            String(port),
            '--time',
            String(seconds),
            '--parallel',
            '1',
            '--json',
          ],
          { timeoutMs: (seconds + 20) * 1000 },
        );
        const report = JSON.parse(result.stdout) as { end: { sum_received: { bits_per_second: number } } };
        return { value: report.end.sum_received.bits_per_second / 8 / GB, seconds };
      } finally {
        await server.stop(1000);
      }
    },
  };
}

/** One core's AES-128-GCM throughput on 16 KiB records (a TLS record's size), GB/s. */
export function opensslSpeed(seconds = 2): number | null {
  try {
    const out = execFileSync(
      'openssl',
      ['speed', '-mr', '-seconds', String(seconds), '-bytes', '16384', '-evp', 'aes-128-gcm'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: (seconds + 20) * 1000 },
    );
    // Machine-readable: "+F:<n>:aes-128-gcm:<bytes/s for each size>".
    const line = out.split('\n').find((l) => l.startsWith('+F:'));
    if (line === undefined) return null;
    const value = Number(line.split(':').pop());
    return Number.isFinite(value) ? value / GB : null;
  } catch {
    return null;
  }
}
