/**
 * The client commands as real processes against ftpkit's own server (in this process, over a
 * real directory): every file checked by SHA-256, resume, parallel mirrors, failures with their
 * documented exit codes, TLS with --insecure and --ca, FTPKIT_PASSWORD.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type FtpServer, StaticUserAuthenticator } from '@ftpkit/server';
import { createCertificate, freePort, type TempDir, tempDir } from '@ftpkit/test-utils';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../src/exit-codes.js';
import { killLeftovers, runCli, runProgram, SOURCE_COMMAND, sha256, sha256File } from './support/cli.js';

const BIG = randomBytes(2 * 1024 * 1024 + 4321);
const SMALL = Buffer.from('small file\n');

afterAll(() => killLeftovers());

describe('client commands against ftpkit serve', () => {
  let root: TempDir;
  let work: TempDir;
  let server: FtpServer;
  let tlsServer: FtpServer;
  let url: string;
  let tlsUrl: string;
  let caFile: string;
  const certificate = createCertificate();

  beforeAll(async () => {
    root = await tempDir('ftpkit-cli-root-');
    const authenticator = new StaticUserAuthenticator({
      users: [{ username: 'alice', password: 's3cret', root: root.path }],
      allowPlaintextPasswords: true,
    });
    // No failed-login delay: the wrong-password tests need no waiting.
    server = createServer({ authenticator, limits: { loginDelay: false, ban: false } });
    tlsServer = createServer({
      authenticator,
      limits: { loginDelay: false, ban: false },
      tls: { cert: certificate.cert, key: certificate.key },
    });
    url = `ftp://alice:s3cret@127.0.0.1:${(await server.listen()).port}/`;
    tlsUrl = `ftp://alice:s3cret@127.0.0.1:${(await tlsServer.listen()).port}/`;
  });

  afterAll(async () => {
    await server.close({ deadline: 1000 });
    await tlsServer.close({ deadline: 1000 });
    await root.cleanup();
  });

  beforeEach(async () => {
    work = await tempDir('ftpkit-cli-work-');
    caFile = join(work.path, 'ca.pem');
    writeFileSync(caFile, certificate.ca);
    writeFileSync(join(root.path, 'big.bin'), BIG);
    writeFileSync(join(root.path, 'small.txt'), SMALL);
    return () => work.cleanup();
  });

  const cli = (args: string[], env?: NodeJS.ProcessEnv, input?: Buffer) =>
    runCli(args, {
      cwd: work.path,
      ...(env === undefined ? {} : { env }),
      ...(input === undefined ? {} : { input }),
    });

  it('ls lists names, -l long lines and --json entries', async () => {
    mkdirSync(join(root.path, 'dir-a'), { recursive: true });
    const short = await cli(['ls', url]);
    expect(short.code).toBe(0);
    expect(short.stdout.split('\n')).toEqual(expect.arrayContaining(['big.bin', 'small.txt', 'dir-a/']));
    const long = await cli(['ls', '-l', url]);
    expect(long.stdout).toMatch(
      new RegExp(`^- +${BIG.length} \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d big\\.bin$`, 'm'),
    );
    expect(long.stdout).toMatch(/^d +- .* dir-a\/$/m);
    const json = JSON.parse((await cli(['ls', '--json', url])).stdout) as {
      name: string;
      type: string;
      size?: number;
    }[];
    expect(json).toContainEqual(
      expect.objectContaining({ name: 'small.txt', type: 'file', size: SMALL.length }),
    );
  });

  it('get downloads a file (SHA-256), into a directory, and to stdout; no progress bar without a TTY', async () => {
    const result = await cli(['get', `${url}big.bin`]);
    expect(result.code).toBe(0);
    expect(sha256File(join(work.path, 'big.bin'))).toBe(sha256(BIG));
    expect(result.stderr).not.toContain('\r');
    expect(result.stderr).toContain('big.bin');
    mkdirSync(join(work.path, 'into'));
    expect((await cli(['get', '--quiet', `${url}small.txt`, 'into'])).stderr).toBe('');
    expect(readFileSync(join(work.path, 'into', 'small.txt'))).toEqual(SMALL);
    const stdout = await cli(['get', '-q', `${url}big.bin`, '-']);
    expect(sha256(stdout.stdoutBuffer)).toBe(sha256(BIG));
    expect(readdirSync(work.path).filter((n) => n.endsWith('.ftpkit-part'))).toEqual([]);
  });

  it('get --continue resumes from the local partial file with REST', async () => {
    // A local prefix that differs from the remote bytes proves that only the rest was fetched.
    const prefix = Buffer.alloc(700_000, 0x5a);
    writeFileSync(join(work.path, 'big.bin'), prefix);
    const result = await cli(['get', '--continue', `${url}big.bin`]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('resumed at byte 700000');
    const expected = Buffer.concat([prefix, BIG.subarray(prefix.length)]);
    expect(sha256File(join(work.path, 'big.bin'))).toBe(sha256(expected));
    // Complete already: nothing to do.
    const again = await cli(['get', '-c', `${url}big.bin`]);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('already complete');
  });

  it('get of a missing file exits 5 and leaves no file behind', async () => {
    writeFileSync(join(work.path, 'missing.bin'), 'keep me');
    const result = await cli(['get', `${url}missing.bin`]);
    expect(result.code).toBe(EXIT_CODES.NOT_FOUND);
    expect(result.stderr).toMatch(/550/);
    expect(readFileSync(join(work.path, 'missing.bin'), 'utf8')).toBe('keep me');
    expect(existsSync(join(work.path, 'missing.bin.ftpkit-part'))).toBe(false);
  });

  it('a wrong password exits 4 and never shows the password', async () => {
    const result = await cli(['ls', url.replace('s3cret', 'wrong-pw')]);
    expect(result.code).toBe(EXIT_CODES.LOGIN);
    expect(result.stderr).toMatch(/login failed: 530/);
    expect(result.stderr).not.toContain('wrong-pw');
  });

  it('takes the password from --user and from FTPKIT_PASSWORD', async () => {
    const bare = url.replace('alice:s3cret@', '');
    const withFlag = await cli(['ls', '--user', 'alice:s3cret', bare]);
    expect(withFlag.code).toBe(0);
    expect(withFlag.stdout).toContain('small.txt');
    const fromEnv = await cli(['ls', '--user', 'alice', bare], { FTPKIT_PASSWORD: 's3cret' });
    expect(fromEnv.code).toBe(0);
    expect(fromEnv.stdout).toContain('small.txt');
    const urlUser = await cli(['ls', bare.replace('ftp://', 'ftp://alice@')], { FTPKIT_PASSWORD: 's3cret' });
    expect(urlUser.code).toBe(0);
    const wrongEnv = await cli(['ls', '--user', 'alice', bare], { FTPKIT_PASSWORD: 'nope' });
    expect(wrongEnv.code).toBe(EXIT_CODES.LOGIN);
  });

  it('put uploads (SHA-256), into a directory URL, from stdin, and --continue sends only the rest', async () => {
    const data = randomBytes(1_500_000);
    writeFileSync(join(work.path, 'up.bin'), data);
    expect((await cli(['put', 'up.bin', `${url}up.bin`])).code).toBe(0);
    expect(sha256File(join(root.path, 'up.bin'))).toBe(sha256(data));
    mkdirSync(join(root.path, 'incoming'), { recursive: true });
    expect((await cli(['put', 'up.bin', `${url}incoming/`])).code).toBe(0);
    expect(sha256File(join(root.path, 'incoming', 'up.bin'))).toBe(sha256(data));
    expect((await cli(['put', '-', `${url}stdin.bin`], undefined, data)).code).toBe(0);
    expect(sha256File(join(root.path, 'stdin.bin'))).toBe(sha256(data));

    const prefix = Buffer.alloc(400_000, 0x11);
    writeFileSync(join(root.path, 'resume.bin'), prefix);
    const resumed = await cli(['put', '--continue', 'up.bin', `${url}resume.bin`]);
    expect(resumed.code).toBe(0);
    expect(sha256File(join(root.path, 'resume.bin'))).toBe(
      sha256(Buffer.concat([prefix, data.subarray(prefix.length)])),
    );
    const missing = await cli(['put', 'nope.bin', `${url}nope.bin`]);
    expect(missing.code).toBe(EXIT_CODES.NOT_FOUND);
  });

  it('mirror downloads and uploads trees with --parallel, and --continue skips or resumes files', async () => {
    const tree = join(root.path, 'tree');
    mkdirSync(join(tree, 'sub', 'deeper'), { recursive: true });
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 9; i++) {
      const rel = i < 3 ? `f${i}.bin` : i < 6 ? `sub/f${i}.bin` : `sub/deeper/f${i}.bin`;
      files[rel] = randomBytes(20_000 + i * 7919);
      writeFileSync(join(tree, rel), files[rel]!);
    }
    let logins = 0;
    const onLogin = () => logins++;
    server.on('login', onLogin);
    const down = await cli(['mirror', '--parallel', '3', `${url}tree/`, 'copy']);
    server.off('login', onLogin);
    expect(down.code).toBe(0);
    // The pool really opened more than one connection.
    expect(logins).toBeGreaterThanOrEqual(2);
    for (const [rel, content] of Object.entries(files))
      expect(sha256File(join(work.path, 'copy', rel))).toBe(sha256(content));

    // Resume: one file truncated locally, one complete (skipped), the rest missing.
    writeFileSync(join(work.path, 'copy', 'f0.bin'), files['f0.bin']!.subarray(0, 5000));
    const again = await cli(['mirror', '--continue', `${url}tree/`, 'copy']);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/8 up to date/);
    expect(sha256File(join(work.path, 'copy', 'f0.bin'))).toBe(sha256(files['f0.bin']!));

    const up = await cli(['mirror', '--reverse', '-P', '4', 'copy', `${url}uploaded/`]);
    expect(up.code).toBe(0);
    for (const [rel, content] of Object.entries(files))
      expect(sha256File(join(root.path, 'uploaded', rel))).toBe(sha256(content));
  });

  it('mkdir -p, mv and rm -r change the remote tree; rm of a missing file exits 5', async () => {
    expect((await cli(['mkdir', '-p', `${url}a/b/c`])).code).toBe(0);
    expect(statSync(join(root.path, 'a', 'b', 'c')).isDirectory()).toBe(true);
    expect((await cli(['mkdir', `${url}a`])).code).not.toBe(0);
    writeFileSync(join(root.path, 'a', 'b', 'old.txt'), 'x');
    expect((await cli(['mv', `${url}a/b/old.txt`, 'new.txt'])).code).toBe(0);
    expect(existsSync(join(root.path, 'a', 'b', 'new.txt'))).toBe(true);
    expect((await cli(['mv', `${url}a/b/new.txt`, 'a/moved.txt'])).code).toBe(0);
    expect(existsSync(join(root.path, 'a', 'moved.txt'))).toBe(true);
    expect((await cli(['rm', `${url}a/moved.txt`])).code).toBe(0);
    expect(existsSync(join(root.path, 'a', 'moved.txt'))).toBe(false);
    expect((await cli(['rm', `${url}a`])).code).toBe(EXIT_CODES.NOT_FOUND);
    expect((await cli(['rm', '-r', `${url}a`])).code).toBe(0);
    expect(existsSync(join(root.path, 'a'))).toBe(false);
    expect((await cli(['rm', `${url}gone.txt`])).code).toBe(EXIT_CODES.NOT_FOUND);
  });

  it('--tls refuses an untrusted certificate (exit 6), accepts it with --insecure and with --ca', async () => {
    const untrusted = await cli(['get', '--tls', `${tlsUrl}small.txt`]);
    expect(untrusted.code).toBe(EXIT_CODES.TLS);
    expect(untrusted.stderr).toMatch(/--ca FILE|--insecure/);
    const insecure = await cli(['get', '--tls', '--insecure', `${tlsUrl}big.bin`]);
    expect(insecure.code).toBe(0);
    expect(sha256File(join(work.path, 'big.bin'))).toBe(sha256(BIG));
    const trusted = await cli(['put', '--tls', '--ca', caFile, 'big.bin', `${tlsUrl}tls-up.bin`]);
    expect(trusted.code).toBe(0);
    expect(sha256File(join(root.path, 'tls-up.bin'))).toBe(sha256(BIG));
    const ftpes = await cli(['ls', '--ca', caFile, tlsUrl.replace('ftp://', 'ftpes://')]);
    expect(ftpes.code).toBe(0);
    expect(ftpes.stdout).toContain('tls-up.bin');
  });

  it('--active transfers work', async () => {
    const result = await cli(['get', '--active', `${url}big.bin`, 'active.bin']);
    expect(result.code).toBe(0);
    expect(sha256File(join(work.path, 'active.bin'))).toBe(sha256(BIG));
  });

  it('draws a progress bar when stderr is a terminal', async () => {
    // util-linux `script` runs the command on a pseudo-terminal and copies what it shows.
    const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;
    const command = [process.execPath, ...SOURCE_COMMAND, 'get', `${url}big.bin`, 'tty.bin']
      .map(quote)
      .join(' ');
    const result = await runProgram('/usr/bin/script', ['-q', '-e', '-c', command, '/dev/null'], {
      cwd: work.path,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('\r');
    expect(result.stdout).toMatch(/big\.bin +100% \[=+\]/);
    expect(sha256File(join(work.path, 'tty.bin'))).toBe(sha256(BIG));
    const quiet = await runProgram('/usr/bin/script', ['-q', '-e', '-c', `${command} --quiet`, '/dev/null'], {
      cwd: work.path,
    });
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).not.toContain('%');
  });

  it('a refused connection exits 3', async () => {
    const port = await freePort();
    const result = await cli(['ls', `ftp://127.0.0.1:${port}/`]);
    expect(result.code).toBe(EXIT_CODES.CONNECTION);
    expect(result.stderr).toMatch(/ECONNREFUSED|connect/i);
  });
});
