/**
 * The client commands as real processes against real servers from Debian: pyftpdlib, vsftpd, and
 * ProFTPD and Pure-FTPd unpacked from their packages (the daemons need root, which CI has), all
 * offering explicit FTPS. Every file is checked by SHA-256.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type PeerServer,
  type PeerServerName,
  startPeerServer,
  type TempDir,
  tempDir,
} from '@ftpkit/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../src/exit-codes.js';
import { killLeftovers, runCli, sha256, sha256File } from './support/cli.js';

const BIG = randomBytes(3 * 1024 * 1024 + 99);
const TREE: Record<string, Buffer> = {
  'a.bin': randomBytes(70_000),
  'b.txt': Buffer.from('bee\n'),
  'sub/c.bin': randomBytes(123_456),
  'sub/deeper/d.bin': randomBytes(4096),
};

afterAll(() => killLeftovers());

for (const name of ['pyftpdlib', 'vsftpd', 'proftpd', 'pure-ftpd'] as PeerServerName[]) {
  describe(`client commands against ${name}`, () => {
    let root: TempDir;
    let work: TempDir;
    let peer: PeerServer;
    let url: string;
    let caFile: string;

    beforeAll(async () => {
      root = await tempDir(`ftpkit-cli-${name}-root-`);
      work = await tempDir(`ftpkit-cli-${name}-work-`);
      writeFileSync(join(root.path, 'big.bin'), BIG);
      for (const [rel, content] of Object.entries(TREE)) {
        mkdirSync(join(root.path, 'tree', rel, '..'), { recursive: true });
        writeFileSync(join(root.path, 'tree', rel), content);
      }
      peer = await startPeerServer(name, { root: root.path, tls: true });
      url = peer.url;
      caFile = join(work.path, 'ca.pem');
      writeFileSync(caFile, peer.ca!);
    });

    afterAll(async () => {
      await peer?.stop();
      await root?.cleanup();
      await work?.cleanup();
    });

    const cli = (args: string[], env?: NodeJS.ProcessEnv) =>
      runCli(args, { cwd: work.path, ...(env === undefined ? {} : { env }) });

    it('ls and get (SHA-256)', async () => {
      const list = await cli(['ls', url]);
      expect(list.code).toBe(0);
      expect(list.stdout.split('\n')).toEqual(expect.arrayContaining(['big.bin', 'tree/']));
      const result = await cli(['get', `${url}big.bin`, 'plain.bin']);
      expect(result.code).toBe(0);
      expect(sha256File(join(work.path, 'plain.bin'))).toBe(sha256(BIG));
    });

    it('get --continue resumes a partial download', async () => {
      const prefix = Buffer.alloc(1_000_000, 0x42);
      writeFileSync(join(work.path, 'resume.bin'), prefix);
      const result = await cli(['get', '--continue', `${url}big.bin`, 'resume.bin']);
      expect(result.code).toBe(0);
      expect(sha256File(join(work.path, 'resume.bin'))).toBe(
        sha256(Buffer.concat([prefix, BIG.subarray(prefix.length)])),
      );
    });

    it('put and put --continue (SHA-256)', async () => {
      const data = randomBytes(900_000);
      writeFileSync(join(work.path, 'up.bin'), data);
      writeFileSync(join(work.path, 'head.bin'), data.subarray(0, 300_000));
      expect((await cli(['put', 'up.bin', `${url}up.bin`])).code).toBe(0);
      expect(sha256File(join(root.path, 'up.bin'))).toBe(sha256(data));
      // A partial remote file (uploaded by us, so the server's user owns it), then the rest.
      expect((await cli(['put', 'head.bin', `${url}part.bin`])).code).toBe(0);
      const resumed = await cli(['put', '--continue', 'up.bin', `${url}part.bin`]);
      expect(resumed.code).toBe(0);
      expect(resumed.stderr).toContain('resumed at byte 300000');
      expect(sha256File(join(root.path, 'part.bin'))).toBe(sha256(data));
    });

    it('mirror --parallel 3 both ways (SHA-256)', async () => {
      const down = await cli(['mirror', '--parallel', '3', `${url}tree/`, 'tree-copy']);
      expect(down.code).toBe(0);
      for (const [rel, content] of Object.entries(TREE)) {
        expect(sha256File(join(work.path, 'tree-copy', rel))).toBe(sha256(content));
      }
      const up = await cli(['mirror', '--reverse', '--parallel', '3', 'tree-copy', `${url}tree-up/`]);
      expect(up.code).toBe(0);
      for (const [rel, content] of Object.entries(TREE)) {
        expect(sha256File(join(root.path, 'tree-up', rel))).toBe(sha256(content));
      }
    });

    it('a wrong password exits 4, a missing file exits 5', async () => {
      const wrong = await cli(['ls', `ftp://${peer.user}:not-the-password@127.0.0.1:${peer.port}/`]);
      expect(wrong.code).toBe(EXIT_CODES.LOGIN);
      const missing = await cli(['get', `${url}no-such-file.bin`]);
      expect(missing.code).toBe(EXIT_CODES.NOT_FOUND);
    });

    it('FTPKIT_PASSWORD supplies the password', async () => {
      const result = await cli(['ls', `ftp://${peer.user}@127.0.0.1:${peer.port}/`], {
        FTPKIT_PASSWORD: peer.password,
      });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('big.bin');
    });

    it('--tls with --ca and with --insecure (SHA-256); an untrusted certificate exits 6', async () => {
      const trusted = await cli(['get', '--tls', '--ca', caFile, `${url}big.bin`, 'tls-ca.bin']);
      expect(trusted.code).toBe(0);
      expect(sha256File(join(work.path, 'tls-ca.bin'))).toBe(sha256(BIG));
      const insecure = await cli(['get', '--tls', '--insecure', `${url}big.bin`, 'tls-k.bin']);
      expect(insecure.code).toBe(0);
      expect(sha256File(join(work.path, 'tls-k.bin'))).toBe(sha256(BIG));
      const data = randomBytes(200_000);
      writeFileSync(join(work.path, 'tls-up.bin'), data);
      expect((await cli(['put', '--tls', '--ca', caFile, 'tls-up.bin', `${url}tls-up.bin`])).code).toBe(0);
      expect(sha256File(join(root.path, 'tls-up.bin'))).toBe(sha256(data));
      const untrusted = await cli(['ls', '--tls', url]);
      expect(untrusted.code).toBe(EXIT_CODES.TLS);
    });

    if (name === 'vsftpd') {
      it('--active downloads (SHA-256)', async () => {
        const result = await cli(['get', '--active', `${url}big.bin`, 'active.bin']);
        expect(result.code).toBe(0);
        expect(sha256File(join(work.path, 'active.bin'))).toBe(sha256(BIG));
      });
    }
  });
}
