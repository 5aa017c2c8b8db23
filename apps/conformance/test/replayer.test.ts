/**
 * The replayer survives anything a target does: each misbehaving fake server below fails its
 * transcript, and the run carries on to the next one.
 */
import { type ControlChannel, type ControlListener, listenControl } from '@ftpkit/transport';
import { afterEach, describe, expect, it } from 'vitest';
import { parseTranscript } from '../src/format/parse.ts';
import { replayAgainstServer } from '../src/replay/server.ts';

type Behaviour = (channel: ControlChannel, line: string) => Promise<void> | void;

const listeners: ControlListener[] = [];
afterEach(async () => {
  for (const l of listeners.splice(0)) await l.close({ destroyConnections: true });
});

/** A fake server: greets, answers USER/PASS/NOOP, and hands every other line to `behaviour`. */
async function fake(behaviour: Behaviour, greeting = '220 fake ready'): Promise<ControlListener> {
  const listener = await listenControl({
    channel: { idleTimeout: 0 },
    onConnection(channel) {
      void (async () => {
        try {
          await channel.write(`${greeting}\r\n`);
          for await (const item of channel) {
            if (item.type !== 'line') continue;
            if (item.text.startsWith('USER')) await channel.writeLine('331 send password');
            else if (item.text.startsWith('PASS')) await channel.writeLine('230 in');
            else if (item.text === 'FEAT') await channel.writeLine('211 no features');
            else await behaviour(channel, item.text);
          }
        } catch {
          // the replayer hung up
        }
      })();
    },
  });
  listeners.push(listener);
  return listener;
}

const NOOP_TRANSCRIPT = parseTranscript(
  'title: NOOP\nrfc: 959 §5.4\nlevel: MUST\n---\n@login\nC: NOOP\nS: 200\nC: NOOP\nS: 200\n',
  'noop.ftp',
  'noop',
);

async function runAgainst(behaviour: Behaviour, greeting?: string) {
  const listener = await fake(behaviour, greeting);
  const run = await replayAgainstServer(
    [NOOP_TRANSCRIPT, NOOP_TRANSCRIPT],
    { name: 'fake', host: listener.host, port: listener.port, user: 'u', password: 'p' },
    { stepTimeout: 400 },
  );
  return run.results;
}

describe('the server replayer against misbehaving targets', () => {
  it('passes a well-behaved target', async () => {
    const results = await runAgainst((channel) => channel.writeLine('200 ok'));
    expect(results.map((r) => r.status)).toEqual(['pass', 'pass']);
    expect(results[0]!.exchange.map((e) => `${e.kind}: ${e.text}`)).toEqual([
      'S: 220 fake ready',
      'C: USER u',
      'S: 331 send password',
      'C: PASS ****',
      'S: 230 in',
      'C: NOOP',
      'S: 200 ok',
      'C: NOOP',
      'S: 200 ok',
    ]);
  });

  it('fails a target that hangs, by the per-step timeout, and goes on', async () => {
    const results = await runAgainst(() => {});
    expect(results.map((r) => r.status)).toEqual(['fail', 'fail']);
    expect(results[0]!.reason).toBe('no complete reply within 400 ms');
    expect(results[0]!.failedLine).toBe(7);
  });

  it('fails a target that closes early', async () => {
    const results = await runAgainst((channel) => channel.destroy());
    expect(results.map((r) => r.status)).toEqual(['fail', 'fail']);
    expect(results[0]!.reason).toMatch(/closed the control connection|control connection failed/);
  });

  it('fails a target that sends garbage', async () => {
    const results = await runAgainst((channel) => channel.write('\x00\xff garbage without a code\r\n'));
    expect(results.map((r) => r.status)).toEqual(['fail', 'fail']);
    expect(results[0]!.reason).toMatch(/malformed reply/);
  });

  it('fails a target that sends a gigantic reply (one endless line, then endless lines)', async () => {
    const longLine = await runAgainst((channel) => channel.write(`200 ${'x'.repeat(100_000)}\r\n`));
    expect(longLine.map((r) => r.status)).toEqual(['fail', 'fail']);
    expect(longLine[0]!.reason).toMatch(/unreadable reply line|too long/i);
    const manyLines = await runAgainst((channel) =>
      channel.write(`200-start\r\n${' filler line\r\n'.repeat(30_000)}`),
    );
    expect(manyLines.map((r) => r.status)).toEqual(['fail', 'fail']);
    expect(manyLines[0]!.reason).toMatch(/malformed reply/);
  });

  it('fails a target whose greeting is not 220, and one that refuses connections', async () => {
    const results = await runAgainst((channel) => channel.writeLine('200 ok'), '421 go away');
    expect(results[0]!.reason).toBe('greeting: expected 220, got 421');
    const closed = await listenControl({ onConnection: (c) => c.destroy() });
    const { port } = closed;
    await closed.close();
    const run = await replayAgainstServer(
      [NOOP_TRANSCRIPT],
      { name: 'none', host: '127.0.0.1', port, user: 'u', password: 'p' },
      { stepTimeout: 400 },
    );
    expect(run.results[0]!.status).toBe('fail');
    expect(run.results[0]!.reason).toMatch(/cannot connect/);
  });

  it('marks a transcript not applicable when the target lacks TLS or a FEAT label', async () => {
    const listener = await fake((channel) => channel.writeLine('200 ok'));
    const needs = [
      parseTranscript('title: t\nrfc: 4217\nlevel: MUST\nrequires: tls\n---\nC: NOOP\n', 'a.ftp', 'a'),
      parseTranscript('title: t\nrfc: 3659\nlevel: MUST\nfeature: MLST\n---\nC: NOOP\n', 'b.ftp', 'b'),
    ];
    const run = await replayAgainstServer(needs, {
      name: 'fake',
      host: listener.host,
      port: listener.port,
      user: 'u',
      password: 'p',
    });
    expect(run.results.map((r) => [r.status, r.reason])).toEqual([
      ['n/a', 'the target offers no TLS (--tls)'],
      ['n/a', 'FEAT does not list MLST'],
    ]);
  });
});
