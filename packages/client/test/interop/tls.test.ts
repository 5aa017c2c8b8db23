/**
 * FTPS details against real servers: TLS 1.2 and TLS 1.3 session reuse on data connections
 * (vsftpd runs with require_ssl_reuse=YES and ProFTPD requires reuse by default, so every passing
 * transfer there resumed the control session; Pure-FTPd issues no session under TLS 1.3, so its
 * data connections handshake in full), certificate verification (refused unless insecure),
 * PROT P with pyftpdlib in both handshake orders.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  createCertificate,
  type PeerServer,
  startPeerServer,
  type TempDir,
  tempDir,
} from '@ftpkit/test-utils';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Client, connect } from '../../src/index.js';
import { collector, randomContent, sha256 } from '../support/files.js';

const CONTENT = randomContent(1_500_000);

/** Downloads f.bin and checks it byte for byte (SHA-256). */
async function expectContent(client: Client): Promise<void> {
  const out = collector();
  await client.download('f.bin', out.stream);
  expect(sha256(out.buffer())).toBe(sha256(CONTENT));
}

for (const name of ['vsftpd', 'pyftpdlib', 'proftpd', 'pure-ftpd'] as const) {
  describe(`FTPS with ${name}`, () => {
    let root: TempDir;
    let peer: PeerServer;
    const ca = () => peer.ca ?? createCertificate().ca;
    const base = () => ({
      host: peer.host,
      port: peer.port,
      user: peer.user,
      password: peer.password,
      secure: true as const,
      replyTimeout: 10_000,
    });

    beforeAll(async () => {
      root = await tempDir('ftpkit-client-tls-');
      writeFileSync(join(root.path, 'f.bin'), CONTENT);
      peer = await startPeerServer(name, { root: root.path, tls: true });
    });
    afterAll(async () => {
      await peer?.stop();
      await root?.cleanup();
    });
    // A test that fails with the clock faked must not leave it faked for the next.
    afterEach(() => {
      vi.useRealTimers();
    });

    for (const version of ['TLSv1.2', 'TLSv1.3'] as const) {
      for (const dataMode of ['passive', 'active'] as const) {
        it(`${version} ${dataMode}: several transfers each resume the control session`, async () => {
          const client = await connect({
            ...base(),
            dataMode,
            tls: { ca: ca(), minVersion: version, maxVersion: version },
          });
          try {
            expect((client as unknown as { secure: boolean }).secure).toBe(true);
            for (let i = 0; i < 3; i++) await expectContent(client);
            const upName = `up-${version}-${dataMode}.bin`;
            await client.upload(Readable.from([CONTENT]), upName);
            expect(sha256(readFileSync(join(root.path, upName)))).toBe(sha256(CONTENT));
            expect((await client.list()).entries.some((e) => e.name === upName)).toBe(true);
          } finally {
            await client.close();
          }
        });
      }
    }

    it('refuses a certificate it cannot verify, accepts it when asked to be insecure', async () => {
      const error = await connect({ ...base(), tls: {} }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'FTPKIT_ERR_TLS_HANDSHAKE' });
      const other = createCertificate({ fresh: true });
      const error2 = await connect({ ...base(), tls: { ca: other.ca } }).catch((e: unknown) => e);
      expect(error2).toMatchObject({ code: 'FTPKIT_ERR_TLS_HANDSHAKE' });
      const client = await connect({ ...base(), tls: { rejectUnauthorized: false } });
      try {
        await expectContent(client);
      } finally {
        await client.close();
      }
    });

    it('logs in over TLS 1.3 without waiting on a timer, whether or not the server issues a session', async () => {
      // The clock stands still: a login that waited for a TLS ticket with a timeout (Pure-FTPd
      // issues none under TLS 1.3) would never finish, and the test would time out.
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
      let client: Client;
      try {
        client = await connect({ ...base(), tls: { ca: ca(), minVersion: 'TLSv1.3' } });
      } finally {
        vi.useRealTimers();
      }
      try {
        await expectContent(client);
      } finally {
        await client.close();
      }
    }, 15_000);
  });
}
