/**
 * Certificates for tests, made by the transport's runtime generator (node:crypto only, no
 * OpenSSL CLI). Cached per key type: key generation is the slow part and tests only need trust.
 */
import { createSelfSignedCertificate } from '@ftpkit/transport';

export interface TestCertificate {
  readonly cert: string;
  readonly key: string;
  /** What a client trusts: the certificate itself. */
  readonly ca: string;
}

const cache = new Map<string, TestCertificate>();

export function createCertificate(
  options: { keyType?: 'ec' | 'rsa'; fresh?: boolean } = {},
): TestCertificate {
  const keyType = options.keyType ?? 'ec';
  const cached = cache.get(keyType);
  if (cached !== undefined && options.fresh !== true) return cached;
  const { cert, key } = createSelfSignedCertificate({ keyType });
  const made = { cert, key, ca: cert };
  if (options.fresh !== true) cache.set(keyType, made);
  return made;
}
