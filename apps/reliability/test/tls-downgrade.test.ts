/**
 * TLS downgrade attempts (RFC 8996: TLS 1.0 and 1.1 are deprecated) checked with the real
 * `openssl s_client`. Debian's OpenSSL does not offer 1.0/1.1 at its default security level, so
 * the client runs with `-cipher DEFAULT@SECLEVEL=0`; a control server that does accept 1.0/1.1
 * proves the client really offers them, so the server's refusal is what the test observes.
 */
import { once } from 'node:events';
import tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { type Fixture, startServer, testTls } from '../src/harness.ts';
import { run } from '../src/run.ts';

const fixtures: Fixture[] = [];
afterEach(async () => {
  await Promise.all(fixtures.splice(0).map((f) => f.close()));
});

const OPENSSL_TIMEOUT = 10_000;

function sClient(port: number, protocol: string, extra: readonly string[] = []) {
  return run(
    'openssl',
    ['s_client', '-connect', `127.0.0.1:${port}`, protocol, '-cipher', 'DEFAULT@SECLEVEL=0', ...extra],
    { timeout: OPENSSL_TIMEOUT, input: 'QUIT\r\n' },
  );
}

/** What protocol openssl says it negotiated, or undefined when the handshake failed. */
function negotiated(stdout: string): string | undefined {
  const m = /Protocol\s*:\s*(TLSv[\d.]+)/.exec(stdout) ?? /New, (TLSv[\d.]+),/.exec(stdout);
  if (m === null) return undefined;
  return /Cipher is \(NONE\)|Cipher\s*:\s*0000/.test(stdout) ? undefined : m[1];
}

describe('TLS 1.0/1.1 refused (openssl s_client)', () => {
  it('control: openssl really offers TLS 1.0 and 1.1 to a server that accepts them', async () => {
    const { cert, key } = testTls();
    const legacy = tls.createServer({ cert, key, minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' }, (s) =>
      s.end(),
    );
    legacy.listen(0, '127.0.0.1');
    await once(legacy, 'listening');
    try {
      const port = (legacy.address() as { port: number }).port;
      expect(negotiated((await sClient(port, '-tls1')).stdout)).toBe('TLSv1');
      expect(negotiated((await sClient(port, '-tls1_1')).stdout)).toBe('TLSv1.1');
    } finally {
      legacy.close();
    }
  });

  it('implicit FTPS: TLS 1.0 and 1.1 handshakes fail, TLS 1.2 and 1.3 succeed', async () => {
    const f = await startServer({ tls: testTls(), implicitTls: { port: 0 } });
    fixtures.push(f);
    const port = f.server.address()!.implicitTls!.port;
    for (const protocol of ['-tls1', '-tls1_1']) {
      const result = await sClient(port, protocol);
      expect(result.code, protocol).not.toBe(0);
      expect(negotiated(result.stdout), protocol).toBeUndefined();
    }
    const ok12 = await sClient(port, '-tls1_2');
    expect(negotiated(ok12.stdout)).toBe('TLSv1.2');
    expect(ok12.stdout).toMatch(/220 /);
    expect(negotiated((await sClient(port, '-tls1_3')).stdout)).toBe('TLSv1.3');
  });

  it('explicit FTPS (AUTH TLS via -starttls ftp): TLS 1.0 and 1.1 fail, TLS 1.2 succeeds', async () => {
    const f = await startServer({ tls: testTls() });
    fixtures.push(f);
    for (const protocol of ['-tls1', '-tls1_1']) {
      const result = await sClient(f.port, protocol, ['-starttls', 'ftp']);
      expect(negotiated(result.stdout), protocol).toBeUndefined();
    }
    expect(negotiated((await sClient(f.port, '-tls1_2', ['-starttls', 'ftp'])).stdout)).toBe('TLSv1.2');
  });
});
