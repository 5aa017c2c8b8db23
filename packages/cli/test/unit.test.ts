/** Pure parts, in process: exit-code mapping, progress formatting, serve settings. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { ClientError, FtpReplyError } from '@ftpkit/client';
import { TransportError } from '@ftpkit/transport';
import { describe, expect, it } from 'vitest';
import { describeFailure, EXIT_CODES, UsageError } from '../src/exit-codes.js';
import { formatBytes, formatProgressLine } from '../src/progress.js';
import { parseUserSpec, resolveServeSettings } from '../src/serve/config.js';
import { createJsonLogger } from '../src/serve/logger.js';

const reply = (code: number, text = 'x') => ({ code, text, lines: [text] }) as never;

describe('describeFailure', () => {
  it('maps errors to the documented exit codes by code, never by message', () => {
    expect(describeFailure(new FtpReplyError(reply(530, 'Login incorrect.'), 'PASS ****')).exitCode).toBe(
      EXIT_CODES.LOGIN,
    );
    expect(describeFailure(new FtpReplyError(reply(550), 'RETR x')).exitCode).toBe(EXIT_CODES.NOT_FOUND);
    expect(describeFailure(new FtpReplyError(reply(530), 'RETR x')).exitCode).toBe(EXIT_CODES.FAILURE);
    expect(describeFailure(new FtpReplyError(reply(500), 'AUTH TLS')).exitCode).toBe(EXIT_CODES.TLS);
    expect(describeFailure(new FtpReplyError(reply(421), 'LIST')).exitCode).toBe(EXIT_CODES.CONNECTION);
    expect(describeFailure(new ClientError('FTPKIT_ERR_TIMEOUT', 'slow')).exitCode).toBe(EXIT_CODES.TIMEOUT);
    expect(describeFailure(new TransportError('FTPKIT_ERR_TLS_HANDSHAKE', 'bad cert')).exitCode).toBe(
      EXIT_CODES.TLS,
    );
    expect(describeFailure(new TransportError('FTPKIT_ERR_SOCKET', 'refused')).exitCode).toBe(
      EXIT_CODES.CONNECTION,
    );
    expect(describeFailure(Object.assign(new Error('gone'), { code: 'ENOENT' })).exitCode).toBe(
      EXIT_CODES.NOT_FOUND,
    );
    expect(describeFailure(new UsageError('bad')).exitCode).toBe(EXIT_CODES.USAGE);
    expect(describeFailure(new Error('other')).exitCode).toBe(EXIT_CODES.FAILURE);
  });

  it('adds a --ca/--insecure hint to an untrusted self-signed certificate', () => {
    const cause = Object.assign(new Error('self-signed certificate'), {
      code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    });
    const message = describeFailure(
      new TransportError('FTPKIT_ERR_TLS_HANDSHAKE', 'handshake', { cause }),
    ).message;
    expect(message).toContain('--ca FILE');
    expect(message).toContain('--insecure');
  });
});

describe('progress line', () => {
  it('formats bytes with binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1536)).toBe('1.50 KiB');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3.00 MiB');
  });

  it('shows percentage, bar, amounts, rate and ETA within the width', () => {
    const line = formatProgressLine(
      { label: 'big.iso', done: 512 * 1024, total: 1024 * 1024, rate: 256 * 1024 },
      80,
    );
    expect(line).toContain('big.iso');
    expect(line).toContain(' 50%');
    expect(line).toMatch(/\[=+ +\]/);
    expect(line).toContain('512.0 KiB/1.00 MiB');
    expect(line).toContain('ETA 0:02');
    expect(line.length).toBeLessThanOrEqual(80);
  });

  it('shortens a long label and works without a total', () => {
    const line = formatProgressLine(
      { label: 'x'.repeat(200), done: 10, total: undefined, rate: undefined },
      50,
    );
    expect(line.length).toBeLessThanOrEqual(50);
    expect(line).toContain('…');
    expect(line).toContain('10 B');
    expect(line).not.toContain('%');
  });
});

describe('serve settings', () => {
  it('reads NAME:PASSWORD[:ro|:rw], keeping colons inside the password', () => {
    expect(parseUserSpec('alice:s3cret')).toEqual({ name: 'alice', password: 's3cret', access: 'rw' });
    expect(parseUserSpec('bob:pw:ro')).toEqual({ name: 'bob', password: 'pw', access: 'ro' });
    expect(parseUserSpec('carol:a:b:c')).toEqual({ name: 'carol', password: 'a:b:c', access: 'rw' });
    expect(parseUserSpec('dave:x:ro:rw')).toEqual({ name: 'dave', password: 'x:ro', access: 'rw' });
    expect(() => parseUserSpec('nopass')).toThrow(/NAME:PASSWORD/);
    expect(() => parseUserSpec('eve::ro')).toThrow(/NAME:PASSWORD/);
  });

  it('uses safe defaults: loopback, default root, the default port, nothing configured', () => {
    const s = resolveServeSettings({}, '/work');
    expect(s).toMatchObject({
      host: '127.0.0.1',
      root: '/work/ftp-root',
      defaultRoot: true,
      port: undefined,
      users: [],
      anonymous: undefined,
      tls: false,
      requireTls: false,
      logLevel: 'info',
    });
  });

  it('reads a config file (paths relative to it) and lets flags win', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ftpkit-cli-config-'));
    const file = join(dir, 'ftpkit.json');
    writeFileSync(
      file,
      JSON.stringify({
        root: 'data',
        port: 2200,
        passivePorts: [50000, 50010],
        users: ['alice:pw', { name: 'bob', password: 'x', access: 'ro', root: 'bob' }],
        anonymous: true,
        requireTls: true,
        logLevel: 'warn',
      }),
    );
    const s = resolveServeSettings({ config: file, port: '2300' }, '/elsewhere');
    expect(s.root).toBe(join(dir, 'data'));
    expect(s.port).toBe(2300);
    expect(s.passivePorts).toEqual({ min: 50000, max: 50010 });
    expect(s.users).toEqual([
      { name: 'alice', password: 'pw', access: 'rw', root: undefined },
      { name: 'bob', password: 'x', access: 'ro', root: join(dir, 'bob') },
    ]);
    expect(s.anonymous).toBe('ro');
    expect(s.requireTls).toBe(true);
    expect(s.tls).toBe(true);
    expect(s.logLevel).toBe('warn');
    const flagsWin = resolveServeSettings({ config: file, user: ['carol:pw2:ro'] }, '/elsewhere');
    expect(flagsWin.users.map((u) => u.name)).toEqual(['carol']);
  });
});

describe('JSON logger', () => {
  it('writes one JSON object per line, filters by level, serialises errors, binds children', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _e, cb) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        cb();
      },
    });
    const logger = createJsonLogger(sink, 'info');
    logger.debug({ a: 1 }, 'hidden');
    logger.info({ a: 2 }, 'shown');
    logger.child!({ session: 7 }).error({ err: Object.assign(new Error('boom'), { code: 'E_X' }) }, 'failed');
    expect(lines).toHaveLength(2);
    const [first, second] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(first).toMatchObject({ level: 'info', a: 2, msg: 'shown' });
    expect(typeof first!.time).toBe('string');
    expect(second).toMatchObject({
      level: 'error',
      session: 7,
      msg: 'failed',
      err: { type: 'Error', message: 'boom', code: 'E_X' },
    });
  });
});

describe('command table', () => {
  it('lists every command with the summary its module declares', async () => {
    const { COMMANDS } = await import('../src/main.js');
    for (const entry of COMMANDS) {
      const command = await entry.load();
      expect(command.name).toBe(entry.name);
      expect(command.summary).toBe(entry.summary);
    }
  });
});
