/** The command line itself: help, version, and bad input refused with exit code 2 and a clear message. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../src/exit-codes.js';
import { VERSION } from '../src/version.js';
import { killLeftovers, runCli } from './support/cli.js';

afterAll(() => killLeftovers());

describe.concurrent('ftpkit help and version', () => {
  it('prints the command list with --help (exit 0) and to stderr with no arguments (exit 2)', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    for (const name of ['serve', 'ls', 'get', 'put', 'mirror', 'rm', 'mkdir', 'mv'])
      expect(help.stdout).toContain(`  ${name}`);
    expect(help.stdout).toContain('Exit codes');
    const bare = await runCli([]);
    expect(bare.code).toBe(EXIT_CODES.USAGE);
    expect(bare.stderr).toContain('Usage: ftpkit <command>');
  });

  it('prints the package version with --version', async () => {
    const result = await runCli(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(VERSION);
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });

  it.each(['serve', 'ls', 'get', 'put', 'mirror', 'rm', 'mkdir', 'mv'])(
    'prints the help of %s',
    async (name) => {
      const result = await runCli([name, '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Usage: ftpkit ${name}`);
      expect(result.stdout).toContain('Examples:');
      const viaHelp = await runCli(['help', name]);
      expect(viaHelp.stdout).toBe(result.stdout);
    },
  );

  it('refuses an unknown command', async () => {
    const result = await runCli(['download', 'ftp://x/']);
    expect(result.code).toBe(EXIT_CODES.USAGE);
    expect(result.stderr).toContain('unknown command "download"');
  });
});

describe.concurrent('client commands refuse bad input with exit code 2', () => {
  const cases: [string, string[], RegExp][] = [
    ['an unknown flag', ['get', '--bogus', 'ftp://127.0.0.1/x'], /Unknown option '--bogus'/],
    ['a missing URL', ['ls'], /missing argument/],
    ['an extra argument', ['rm', 'ftp://127.0.0.1/a', 'b'], /unexpected argument "b"/],
    ['a non-FTP URL', ['ls', 'http://example.com/'], /Unsupported URL scheme http:/],
    ['a string that is no URL', ['ls', 'not a url'], /bad URL/],
    ['a directory URL for get', ['get', 'ftp://127.0.0.1/pub/'], /names a directory/],
    [
      'a bad --parallel',
      ['mirror', '--parallel', '0', 'ftp://127.0.0.1/a', 'b'],
      /--parallel must be an integer from 1 to 64/,
    ],
    ['--ca without TLS', ['ls', '--ca', '/etc/hostname', 'ftp://127.0.0.1/'], /--ca needs TLS/],
    [
      '--ca with --insecure',
      ['ls', '--tls', '--ca', 'x.pem', '--insecure', 'ftp://127.0.0.1/'],
      /exclude each other/,
    ],
    ['an unreadable --ca', ['ls', '--tls', '--ca', '/nonexistent/ca.pem', 'ftp://127.0.0.1/'], /cannot read/],
    ['a bad --timeout', ['ls', '--timeout', '1e3', 'ftp://127.0.0.1/'], /--timeout must be an integer/],
  ];
  it.each(cases)('%s', async (_name, args, message) => {
    const result = await runCli(args);
    expect(result.code).toBe(EXIT_CODES.USAGE);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });

  it('never echoes the password of a bad URL', async () => {
    const result = await runCli(['ls', 'http://alice:hunter2@example.com/']);
    expect(result.code).toBe(EXIT_CODES.USAGE);
    expect(result.stderr).not.toContain('hunter2');
  });
});

describe.concurrent('serve refuses bad flags with exit code 2 before listening', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ftpkit-cli-usage-'));
  const badConfig = join(dir, 'bad.json');
  writeFileSync(badConfig, JSON.stringify({ port: 2121, colour: 'blue' }));
  const brokenJson = join(dir, 'broken.json');
  writeFileSync(brokenJson, '{ "port": ');
  const cases: [string, string[], RegExp][] = [
    ['an empty passive range', ['--passive-ports', '5-3'], /--passive-ports: the range 5-3 is empty/],
    ['a malformed passive range', ['--passive-ports', '50000'], /--passive-ports must be a range A-B/],
    [
      'a privileged passive range',
      ['--passive-ports', '80-90'],
      /--passive-ports start must be an integer from 1024/,
    ],
    ['a port out of range', ['--port', '70000'], /--port must be an integer from 0 to 65535, got "70000"/],
    ['a port that is no number', ['--port', '21abc'], /--port must be an integer/],
    [
      'a user without password',
      ['--user', 'nopass'],
      /--user expects NAME:PASSWORD\[:ro\|:rw\], got "nopass"/,
    ],
    ['the anonymous name as a user', ['--user', 'anonymous:x'], /use --anonymous/],
    ['a bad anonymous mode', ['--anonymous=rx'], /--anonymous must be ro or rw/],
    [
      'a bad log level',
      ['--log-level', 'loud'],
      /--log-level must be one of debug, info, warn, error, silent/,
    ],
    [
      'a passive address that is no IP',
      ['--passive-address', 'example.com'],
      /--passive-address must be an IP address/,
    ],
    ['a certificate without key', ['--tls-cert', '/etc/hostname'], /--tls-cert and --tls-key go together/],
    ['a missing root', ['--root', '/nonexistent/ftpkit-root', '--port', '0'], /does not exist/],
    ['a positional argument', ['/srv/ftp'], /unexpected argument "\/srv\/ftp"/],
    ['an unknown flag', ['--verbose'], /Unknown option '--verbose'/],
    ['an unknown config field', ['--config', badConfig], /unknown field "colour"/],
    ['a config that is not JSON', ['--config', brokenJson], /is not valid JSON/],
    ['a missing config', ['--config', join(dir, 'missing.json')], /cannot read/],
  ];
  it.each(cases)('%s', async (_name, args, message) => {
    const result = await runCli(['serve', ...args], { cwd: dir });
    expect(result.code).toBe(EXIT_CODES.USAGE);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).not.toContain('ftp://');
  });
});
