/**
 * Client direction: the replayer plays a scripted server. ftpkit's client and curl must pass every
 * MUST client transcript (curl's justified exceptions cite RFC text); clients that misbehave —
 * never connect, hang, send the wrong command, skip TLS session reuse — fail, and the run goes on.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@ftpkit/test-utils';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.ts';
import { filterTranscripts, loadCorpus } from '../src/corpus.ts';
import { parseTranscript, TranscriptSyntaxError } from '../src/format/parse.ts';
import { replayAgainstClient } from '../src/replay/client.ts';
import {
  commandTarget,
  curlTarget,
  expandCommand,
  ftpkitTarget,
  parseCommandOptions,
  splitWords,
} from '../src/replay/targets.ts';
import { type TargetRun, unjustifiedMustFailures } from '../src/result.ts';

const corpus = loadCorpus();
const clientCorpus = corpus.filter((t) => t.direction === 'client');
const OPTIONS = { stepTimeout: 8000, concurrency: 2 } as const;

function describeFailures(run: TargetRun): string {
  return unjustifiedMustFailures(run)
    .map((r) => `${r.id}: ${r.reason}\n${r.exchange.map((e) => `    ${e.kind}: ${e.text}`).join('\n')}`)
    .join('\n');
}

describe('client transcripts: the format', () => {
  it('parses C: as command patterns and S: as reply lines', () => {
    const t = parseTranscript(
      [
        'title: t',
        'rfc: 959 §5.4',
        'level: MUST',
        'direction: client',
        'operation: download path=a/b.bin tls active',
        'answer: SIZE 213 {size}',
        'local: "abc"',
        '---',
        'S: 220 hi',
        'C: TYPE I|TYPE A',
        'C: EPRT |1|127.0.0.1|5000||PORT *',
        'C: /^LIST( .*)?$/i',
        '@data passive tls',
        '@seen USER {user}',
        '@outcome output contains a,b lacks c',
      ].join('\n'),
      't.ftp',
    );
    expect(t.operation).toMatchObject({
      name: 'download',
      path: 'a/b.bin',
      tls: true,
      active: true,
      resume: false,
    });
    expect(t.answers[0]?.verb).toBe('SIZE');
    expect(t.steps[0]).toMatchObject({ kind: 'reply-line' });
    const types = t.steps[1]!.kind === 'expect-command' ? t.steps[1]!.patterns.map((p) => p.source) : [];
    expect(types).toEqual(['TYPE I', 'TYPE A']);
    const eprt = t.steps[2]!.kind === 'expect-command' ? t.steps[2]!.patterns.map((p) => p.source) : [];
    expect(eprt).toEqual(['EPRT |1|127.0.0.1|5000|', 'PORT *']);
    expect(t.steps[4]).toMatchObject({ kind: 'data', action: { kind: 'passive', tls: true } });
    expect(t.steps[6]).toMatchObject({
      kind: 'outcome',
      check: { kind: 'output', contains: ['a', 'b'], lacks: ['c'] },
    });
  });

  it('refuses what a client transcript cannot mean, with file:line', () => {
    const head = 'title: t\nrfc: 959\nlevel: MUST\ndirection: client\n';
    const bad = [
      [`${head}---\nS: 220 x\n`, 'needs `operation:`'],
      [`${head}operation: fetch\n---\nS: 220\n`, 'download, upload or list'],
      [`${head}operation: list\n---\n@login\n`, 'not available in a client transcript'],
      [`${head}operation: list\nanswer: PWD\n---\nS: 220\n`, 'answer must be'],
      [`${head}operation: list\n---\n@outcome maybe\n`, '@outcome takes'],
      [
        'title: t\nrfc: 959\nlevel: MUST\noperation: list\n---\nC: NOOP\nS: 200\n',
        'belong to client transcripts',
      ],
    ] as const;
    for (const [text, message] of bad) {
      const error = (() => {
        try {
          parseTranscript(text, 'bad.ftp');
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(TranscriptSyntaxError);
      expect((error as Error).message).toContain(message);
      expect((error as Error).message).toMatch(/^bad\.ftp:\d+: /);
    }
  });

  it('expands command templates without a shell: placeholders, quotes, {flag?words}', () => {
    const values = new Map([
      ['url', 'ftp://u:p@h:1/a%20b'],
      ['local', '/tmp/x y'],
      ['tls', '1'],
      ['active', ''],
      ['host', '127.0.0.1'],
    ]);
    expect(
      expandCommand('curl -sS {tls?--ssl-reqd -k} {active?-P {host}} -o {local} "{url}"', values),
    ).toEqual(['curl', '-sS', '--ssl-reqd', '-k', '-o', '/tmp/x y', 'ftp://u:p@h:1/a%20b']);
    expect(splitWords(`a 'b c' "d"e`)).toEqual(['a', 'b c', 'de']);
    expect(() => expandCommand('curl {nope}', values)).toThrow(/unknown placeholder \{nope\}/);
    expect(parseCommandOptions(['curl {url}', 'upload=curl -T {local} {url}'])).toEqual({
      default: 'curl {url}',
      upload: 'curl -T {local} {url}',
    });
  });

  it('the corpus has client transcripts for every operation and area the issue names', () => {
    const ids = clientCorpus.map((t) => t.id);
    for (const id of [
      'client/download-passive',
      'client/upload-passive',
      'client/list',
      'client/login-failure',
      'client/epsv-refused-pasv-fallback',
      'client/pasv-227-no-parentheses',
      'client/pasv-227-equals-form',
      'client/multiline-split',
      'client/ftps-explicit',
      'client/ftps-session-reuse',
      'client/resume-download-rest',
      'client/download-active',
    ]) {
      expect(ids).toContain(id);
    }
  });
});

describe('client transcripts against real clients', () => {
  it("ftpkit's client (@ftpkit/client) passes every client transcript", async () => {
    const run = await replayAgainstClient(clientCorpus, ftpkitTarget(), OPTIONS);
    expect(describeFailures(run)).toBe('');
    expect(run.results.filter((r) => r.status === 'fail').map((r) => r.id)).toEqual([]);
    expect(run.results).toHaveLength(clientCorpus.length);
  });

  it('curl passes every MUST client transcript (its exceptions are justified)', async () => {
    expect(existsSync('/usr/bin/curl'), 'curl is missing: run scripts/install-system-deps.sh').toBe(true);
    const run = await replayAgainstClient(clientCorpus, curlTarget(), OPTIONS);
    expect(describeFailures(run)).toBe('');
    for (const r of run.results.filter((x) => x.status === 'fail'))
      expect(r.justification).toMatch(/RFC \d+/);
    expect(run.results.filter((r) => r.status === 'pass').length).toBeGreaterThanOrEqual(
      clientCorpus.length - 2,
    );
  });
});

describe('client transcripts against misbehaving clients', () => {
  const pick = (filter: string) => filterTranscripts(clientCorpus, filter);

  it('a client that exits without connecting, or hangs, fails each transcript and the run goes on', async () => {
    const gone = await replayAgainstClient(
      pick('client/download-passive,client/list'),
      commandTarget('true', { default: '/bin/true' }),
      {
        stepTimeout: 2000,
      },
    );
    expect(gone.results.map((r) => r.status)).toEqual(['fail', 'fail']);
    expect(gone.results[0]!.reason).toMatch(/exited \(exit status 0\) without connecting/);
    const started = Date.now();
    const hung = await replayAgainstClient(
      pick('client/download-passive'),
      commandTarget('sleep', { default: 'sleep 60' }),
      {
        stepTimeout: 800,
      },
    );
    expect(hung.results[0]).toMatchObject({
      status: 'fail',
      reason: 'the client did not connect within 800 ms',
    });
    // The sleeping process was killed, not waited for.
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('a client that sends the wrong command fails with the exchange', async () => {
    // NLST where the transcript expects RETR.
    const run = await replayAgainstClient(
      pick('client/download-passive'),
      commandTarget('curl-nlst', { download: '/usr/bin/curl -sS --max-time 5 -l {url}/' }),
      { stepTimeout: 3000 },
    );
    expect(run.results[0]!.status).toBe('fail');
    expect(run.results[0]!.reason).toMatch(/expected RETR .*the client sent "(NLST|CWD)/);
    expect(run.results[0]!.exchange.some((e) => e.kind === 'C' && e.text === 'PASS ****')).toBe(true);
  });

  it('a client that does not resume the TLS session on the data connection fails ftps-session-reuse', async () => {
    // Stock Python ftplib does not resume TLS sessions (PASV, then a fresh handshake).
    const script = [
      'import ftplib,ssl,sys',
      'c=ssl.create_default_context(); c.check_hostname=False; c.verify_mode=ssl.CERT_NONE',
      'f=ftplib.FTP_TLS(context=c,timeout=5); f.connect(sys.argv[1],int(sys.argv[2]))',
      'f.login(sys.argv[3],sys.argv[4]); f.prot_p()',
      "f.storbinary('STOR '+sys.argv[5], open(sys.argv[6],'rb')); f.quit()",
    ].join('\n');
    await using dir = await tempDir('ftpkit-conformance-ftplib-');
    const file = join(dir.path, 'upload.py');
    writeFileSync(file, script);
    const target = commandTarget('ftplib', {
      upload: `/usr/bin/python3 ${file} {host} {port} {user} {password} {path} {local}`,
    });
    const run = await replayAgainstClient(pick('client/ftps-session-reuse,client/ftps-explicit'), target, {
      stepTimeout: 4000,
    });
    const byId = new Map(run.results.map((r) => [r.id, r]));
    expect(byId.get('client/ftps-explicit')?.status).toBe('n/a'); // a download: no template
    const reuse = byId.get('client/ftps-session-reuse')!;
    expect(reuse.status).toBe('fail');
    expect(reuse.reason).toMatch(/session/i);
  });
});

describe('ftpkit-conformance client', () => {
  it('runs a command template and a built-in target, with reports; exit 2 on usage errors', async () => {
    await using reports = await tempDir('ftpkit-conformance-client-reports-');
    let out = '';
    const io = { stdout: (t: string) => (out += t), stderr: (t: string) => (out += t) };
    const status = await main(
      [
        'client',
        '--command',
        '/usr/bin/curl -sS --max-time 8 -o {local} {url}',
        '--filter',
        'client/download-passive,client/download-missing',
        '--name',
        'my-curl',
        '--report',
        reports.path,
        '--no-color',
      ],
      io,
    );
    expect(out).toMatch(/\n2 passed, 0 failed\n/);
    expect(status).toBe(0);
    expect(readFileSync(join(reports.path, 'junit.xml'), 'utf8')).toContain('<testsuite name="my-curl"');
    expect(readFileSync(join(reports.path, 'index.html'), 'utf8')).toContain(
      'href="#x-my-curl-client-download-passive"',
    );

    out = '';
    expect(await main(['client', '--target', 'ftpkit', '--filter', 'client/list', '--no-color'], io)).toBe(0);
    expect(out).toMatch(/\n1 passed, 0 failed\n/);
    for (const args of [
      ['client'],
      ['client', '--target', 'wget'],
      ['client', '--target', 'curl', '--command', 'x'],
    ]) {
      expect(await main(args, io)).toBe(2);
    }
  });
});
