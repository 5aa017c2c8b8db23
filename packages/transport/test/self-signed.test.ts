import { createPrivateKey, X509Certificate } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { createSelfSignedCertificate, DEFAULT_CIPHERS, DEFAULT_MIN_VERSION } from '../src/index.ts';
import { useLeakCheck } from './helpers.ts';

useLeakCheck();

async function handshake(
  pem: { cert: string; key: string },
  host: string,
  clientOptions: tls.ConnectionOptions = {},
): Promise<{ protocol: string | null; authorized: boolean; cipher: string }> {
  // tls.Server builds its own context from these options (it ignores `secureContext`).
  const server = tls.createServer(
    { ...pem, ciphers: DEFAULT_CIPHERS, minVersion: DEFAULT_MIN_VERSION },
    (s) => {
      s.on('error', () => {});
      s.end();
    },
  );
  await new Promise<void>((r) => server.listen(0, host, () => r()));
  try {
    return await new Promise((resolve, reject) => {
      const socket = tls.connect({
        host,
        port: (server.address() as net.AddressInfo).port,
        ca: pem.cert,
        ...(net.isIP(host) ? {} : { servername: host }),
        ...clientOptions,
      });
      socket.on('secureConnect', () => {
        resolve({
          protocol: socket.getProtocol(),
          authorized: socket.authorized,
          cipher: socket.getCipher().name,
        });
        socket.destroy();
      });
      socket.on('error', reject);
    });
  } finally {
    await new Promise((r) => server.close(r));
  }
}

describe('createSelfSignedCertificate', () => {
  it.each(['ec', 'rsa'] as const)(
    'makes a valid v3 certificate (%s) with SANs for localhost, 127.0.0.1, ::1',
    (keyType) => {
      const pem = createSelfSignedCertificate({ keyType, days: 30 });
      const x = new X509Certificate(pem.cert);
      expect(x.subjectAltName).toContain('DNS:localhost');
      expect(x.subjectAltName).toContain('IP Address:127.0.0.1');
      expect(x.checkIP('::1')).toBe('::1');
      expect(x.verify(x.publicKey)).toBe(true);
      expect(x.checkPrivateKey(createPrivateKey(pem.key))).toBe(true);
      expect(new Date(x.validTo).getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    },
  );

  it.each([
    ['ec', 'localhost', 'TLSv1.3'],
    ['ec', '127.0.0.1', 'TLSv1.2'],
    ['rsa', '::1', 'TLSv1.3'],
    ['rsa', '127.0.0.1', 'TLSv1.2'],
  ] as const)(
    'completes a verified handshake (%s, %s, %s) with an AES-GCM suite',
    async (keyType, host, version) => {
      const pem = createSelfSignedCertificate({ keyType });
      const result = await handshake(pem, host, { maxVersion: version, ciphers: DEFAULT_CIPHERS });
      expect(result).toMatchObject({ protocol: version, authorized: true });
      expect(result.cipher).toMatch(/GCM|CHACHA/);
    },
  );

  it('a client refuses TLS 1.1 against the default policy', async () => {
    const pem = createSelfSignedCertificate();
    await expect(
      handshake(pem, '127.0.0.1', {
        minVersion: 'TLSv1',
        maxVersion: 'TLSv1.1',
        ciphers: 'DEFAULT@SECLEVEL=0',
      }),
    ).rejects.toThrow();
  });
});
