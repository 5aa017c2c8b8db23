/**
 * The corpus against trusted servers (vsftpd, pyftpdlib, ProFTPD, Pure-FTPd; plain and explicit
 * FTPS) and against ftpkit's own server. A MUST transcript a trusted server fails must carry a
 * justification for it; ftpkit's server must pass every MUST transcript outright.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, StaticUserAuthenticator } from '@ftpkit/server';
import { isPeerAvailable, type PeerServerName, startPeerServer, tempDir } from '@ftpkit/test-utils';
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../src/corpus.ts';
import { SERVER_CONCURRENCY } from '../src/interop/full-report.ts';
import { replayAgainstServer } from '../src/replay/server.ts';
import { formatHtml } from '../src/report/html.ts';
import { formatJUnit } from '../src/report/junit.ts';
import { type TargetRun, unjustifiedMustFailures } from '../src/result.ts';

const corpus = loadCorpus();
const OPTIONS = { concurrency: 4, stepTimeout: 10_000 } as const;

function describeFailures(run: TargetRun): string {
  return unjustifiedMustFailures(run)
    .map((r) => `${r.id}: ${r.reason}\n${r.exchange.map((e) => `    ${e.kind}: ${e.text}`).join('\n')}`)
    .join('\n');
}

const runs: TargetRun[] = [];

describe.each(['vsftpd', 'pyftpdlib', 'proftpd', 'pure-ftpd'] as const)(
  'the corpus against %s',
  (name: PeerServerName) => {
    it.each([false, true])('has no unjustified MUST failure (tls: %s)', async (tls) => {
      expect(isPeerAvailable(name), `${name} is missing: run scripts/install-system-deps.sh`).toBe(true);
      await using root = await tempDir('ftpkit-conformance-peer-');
      const peer = await startPeerServer(name, { root: root.path, tls });
      try {
        const run = await replayAgainstServer(
          corpus,
          {
            name,
            host: peer.host,
            port: peer.port,
            user: peer.user,
            password: peer.password,
            tls: tls ? 'explicit' : 'none',
            rejectUnauthorized: false,
          },
          { ...OPTIONS, concurrency: SERVER_CONCURRENCY[name] },
        );
        runs.push({ ...run, target: `${name}${tls ? '+tls' : ''}` });
        expect(describeFailures(run)).toBe('');
        // The corpus is not vacuous against a real server: most of it applies and passes.
        expect(run.results.filter((r) => r.status === 'pass').length).toBeGreaterThan(tls ? 80 : 65);
      } finally {
        await peer.stop();
      }
    });
  },
);

describe('the corpus against ftpkit server (@ftpkit/server createServer)', () => {
  it.each([false, true])('passes every MUST transcript (tls: %s)', async (tls) => {
    await using root = await tempDir('ftpkit-conformance-ftpkit-');
    const server = createServer({
      authenticator: new StaticUserAuthenticator({
        users: [{ username: 'ftpkit', password: 'ftpkit-secret', root: root.path }],
        allowPlaintextPasswords: true,
      }),
      ...(tls ? { tls: true as const } : {}),
    });
    const address = await server.listen();
    try {
      const run = await replayAgainstServer(
        corpus,
        {
          name: 'ftpkit',
          host: address.host,
          port: address.port,
          user: 'ftpkit',
          password: 'ftpkit-secret',
          tls: tls ? 'explicit' : 'none',
          rejectUnauthorized: false,
        },
        OPTIONS,
      );
      runs.push({ ...run, target: `ftpkit${tls ? '+tls' : ''}` });
      expect(describeFailures(run)).toBe('');
    } finally {
      await server.close({ deadline: 2000 });
    }
  });
});

describe('the matrix report', () => {
  it('renders every run that completed into one HTML page and one JUnit file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ftpkit-conformance-report-'));
    try {
      expect(runs.length).toBeGreaterThan(0);
      const html = formatHtml(runs);
      for (const run of runs) expect(html).toContain(`">${run.target}</th>`);
      expect(html.match(/<tr><th scope="row">/g)?.length).toBe(
        corpus.filter((t) => t.direction === 'server').length,
      );
      const junit = formatJUnit(runs);
      expect(junit.match(/<testsuite /g)?.length).toBe(runs.length);
      // FTPKIT_CONFORMANCE_REPORT=DIR keeps the matrix of this run (the README's table comes from it).
      for (const out of [dir, process.env.FTPKIT_CONFORMANCE_REPORT].filter((d) => d !== undefined)) {
        mkdirSync(out, { recursive: true });
        writeFileSync(join(out, 'index.html'), html);
        writeFileSync(join(out, 'junit.xml'), junit);
        expect(readFileSync(join(out, 'index.html'), 'utf8')).toBe(html);
      }
      expect(readFileSync(new URL('../README.md', import.meta.url), 'utf8')).toContain(
        'ftpkit-conformance server',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
