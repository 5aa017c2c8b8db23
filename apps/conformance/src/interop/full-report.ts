/**
 * `ftpkit-conformance matrix`: everything in one report — the server transcripts against
 * ftpkit's server, vsftpd, pyftpdlib, ProFTPD and Pure-FTPd (plain and explicit FTPS), the client
 * transcripts against ftpkit's client and curl, and the interop matrix. Repository-only (it starts
 * the servers through `@ftpkit/server` and `@ftpkit/test-utils`, loaded on demand).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Transcript } from '../format/types.js';
import { replayAgainstClient } from '../replay/client.js';
import { replayAgainstServer } from '../replay/server.js';
import { curlTarget, ftpkitTarget } from '../replay/targets.js';
import type { HtmlSection } from '../report/html.js';
import type { TargetRun } from '../result.js';
import { runInteropMatrix } from './matrix.js';

/**
 * Transcripts run at once against each server. pyftpdlib 1.5.7 sometimes stops answering a new
 * session's USER/PASS while other sessions run active-mode transfers (reproduced with Python's
 * ftplib alone), so it gets one at a time: the report measures the corpus, not that peer bug.
 */
export const SERVER_CONCURRENCY = {
  ftpkit: 4,
  vsftpd: 4,
  pyftpdlib: 1,
  proftpd: 4,
  'pure-ftpd': 4,
} as const satisfies Record<string, number>;

export async function runFullMatrix(
  corpus: readonly Transcript[],
  options: { stepTimeout?: number; progress?: (text: string) => void } = {},
): Promise<HtmlSection[]> {
  const progress = options.progress ?? (() => {});
  const stepTimeout = options.stepTimeout ?? 10_000;
  const { createServer, StaticUserAuthenticator } = await import('@ftpkit/server');
  const { isPeerAvailable, startPeerServer } = await import('@ftpkit/test-utils');
  const serverRuns: TargetRun[] = [];
  for (const name of ['ftpkit', 'vsftpd', 'pyftpdlib', 'proftpd', 'pure-ftpd'] as const) {
    for (const tls of [false, true]) {
      const label = `${name}${tls ? '+tls' : ''}`;
      if (name !== 'ftpkit' && !isPeerAvailable(name)) {
        progress(`${label}: not available here, skipped`);
        continue;
      }
      progress(`server transcripts against ${label}`);
      const root = await mkdtemp(join(tmpdir(), 'ftpkit-conformance-matrix-'));
      try {
        let endpoint: { host: string; port: number; user: string; password: string; stop(): Promise<void> };
        if (name === 'ftpkit') {
          const server = createServer({
            authenticator: new StaticUserAuthenticator({
              users: [{ username: 'ftpkit', password: 'ftpkit-secret', root }],
              allowPlaintextPasswords: true,
            }),
            ...(tls ? { tls: true as const } : {}),
          });
          const address = await server.listen();
          endpoint = {
            host: address.host,
            port: address.port,
            user: 'ftpkit',
            password: 'ftpkit-secret',
            stop: () => server.close({ deadline: 2000 }),
          };
        } else {
          endpoint = await startPeerServer(name, { root, tls });
        }
        try {
          const run = await replayAgainstServer(
            corpus,
            {
              name,
              host: endpoint.host,
              port: endpoint.port,
              user: endpoint.user,
              password: endpoint.password,
              tls: tls ? 'explicit' : 'none',
              rejectUnauthorized: false,
            },
            { concurrency: SERVER_CONCURRENCY[name], stepTimeout },
          );
          serverRuns.push({ ...run, target: label });
        } finally {
          await endpoint.stop();
        }
      } finally {
        await rm(root, { recursive: true, force: true });
      }
    }
  }
  const clientRuns: TargetRun[] = [];
  for (const target of [ftpkitTarget(), curlTarget()]) {
    progress(`client transcripts against ${target.name}`);
    clientRuns.push(await replayAgainstClient(corpus, target, { concurrency: 2, stepTimeout }));
  }
  progress('interop matrix');
  const interop = await runInteropMatrix({ onResult: (r) => progress(`  ${r.target}: ${r.id} ${r.status}`) });
  return [
    {
      title: 'Server direction: transcripts × servers',
      note: 'The replayer plays the client. "+tls": @login negotiates AUTH TLS, PBSZ 0, PROT P.',
      runs: serverRuns,
    },
    {
      title: 'Client direction: transcripts × clients',
      note: 'The replayer plays a scripted server and checks the commands, bytes and outcome of each client.',
      runs: clientRuns,
    },
    {
      title: 'Interop matrix: scenarios × peers',
      note: 'Real peers moving a random file both ways, SHA-256 checked on the server disk and locally. Justified cells are documented peer quirks, each verified to fail the documented way.',
      runs: interop,
    },
  ];
}
