/**
 * A self-signed X.509 v3 certificate made at runtime with `node:crypto` only, so a server can
 * offer FTPS for development with zero configuration and tests can do real handshakes.
 *
 * Owns: a minimal DER encoder (just the ASN.1 types a certificate needs) and the certificate
 * layout of RFC 5280 §4.1. No OpenSSL CLI, no dependency. Never use these for production trust:
 * clients must pin the returned certificate (pass it as `ca`).
 */
import { generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import net from 'node:net';
import { TransportError, TransportErrorCodes } from '../errors.js';

export interface SelfSignedOptions {
  /** Subject and issuer CN. Default 'ftpkit self-signed'. */
  readonly commonName?: string;
  /** DNS SubjectAltNames. Default ['localhost']. */
  readonly dnsNames?: readonly string[];
  /** IP SubjectAltNames. Default ['127.0.0.1', '::1']. */
  readonly ipAddresses?: readonly string[];
  /** Validity in days from now (backdated one hour for clock skew). Default 365. */
  readonly days?: number;
  /** Key algorithm. Default 'ec' (P-256, ECDSA with SHA-256); 'rsa' is RSA-2048 with SHA-256. */
  readonly keyType?: 'ec' | 'rsa';
}

export interface SelfSignedCertificate {
  /** The certificate, PEM. Also what a client passes as `ca` to trust it. */
  readonly cert: string;
  /** The private key, PKCS#8 PEM. */
  readonly key: string;
  /** The certificate, DER. */
  readonly der: Buffer;
}

// OIDs (RFC 5280, RFC 5758, RFC 8017).
const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  commonName: '2.5.4.3',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
};

export function createSelfSignedCertificate(options: SelfSignedOptions = {}): SelfSignedCertificate {
  const keyType = options.keyType ?? 'ec';
  const days = options.days ?? 365;
  if (!(days > 0)) throw new TransportError(TransportErrorCodes.INVALID_ARGUMENT, 'days must be positive');
  const { publicKey, privateKey } =
    keyType === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const name = seq(set(seq(oid(OID.commonName), utf8(options.commonName ?? 'ftpkit self-signed'))));
  const sigAlg =
    keyType === 'rsa'
      ? seq(oid(OID.sha256WithRsa), tlv(0x05, Buffer.alloc(0)))
      : seq(oid(OID.ecdsaWithSha256));
  const now = Date.now();
  const serial = randomBytes(16);
  serial[0]! &= 0x7f; // positive INTEGER
  serial[0]! |= 0x01; // and no leading zero byte to strip
  const altNames = [
    ...(options.dnsNames ?? ['localhost']).map((dns) => tlv(0x82, Buffer.from(dns, 'ascii'))),
    ...(options.ipAddresses ?? ['127.0.0.1', '::1']).map((ip) => tlv(0x87, ipBytes(ip))),
  ];
  const extensions = seq(
    extension(OID.basicConstraints, true, seq()),
    // digitalSignature (bit 0), keyEncipherment (bit 2) for RSA key exchange compatibility.
    extension(OID.keyUsage, true, tlv(0x03, Buffer.from([0x05, 0xa0]))),
    extension(OID.extKeyUsage, false, seq(oid(OID.serverAuth), oid(OID.clientAuth))),
    extension(OID.subjectAltName, false, seq(...altNames)),
  );
  const tbs = seq(
    tlv(0xa0, integer(Buffer.from([2]))), // v3
    integer(serial),
    sigAlg,
    name,
    seq(time(new Date(now - 3_600_000)), time(new Date(now + days * 86_400_000))),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    tlv(0xa3, extensions),
  );
  const signature = sign('sha256', tbs, privateKey as KeyObject);
  const der = seq(tbs, sigAlg, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  return {
    cert: toPem('CERTIFICATE', der),
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    der,
  };
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical
    ? seq(oid(id), tlv(0x01, Buffer.from([0xff])), tlv(0x04, value))
    : seq(oid(id), tlv(0x04, value));
}

function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  let header: Buffer;
  if (n < 0x80) header = Buffer.from([tag, n]);
  else if (n < 0x100) header = Buffer.from([tag, 0x81, n]);
  else if (n < 0x10000) header = Buffer.from([tag, 0x82, n >> 8, n & 0xff]);
  else header = Buffer.from([tag, 0x83, n >> 16, (n >> 8) & 0xff, n & 0xff]);
  return Buffer.concat([header, content]);
}

const seq = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items));
const utf8 = (text: string) => tlv(0x0c, Buffer.from(text, 'utf8'));

function integer(bytes: Buffer): Buffer {
  return tlv(0x02, bytes[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
}

function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const out = [40 * parts[0]! + parts[1]!];
  for (const part of parts.slice(2)) {
    const chunk = [part & 0x7f];
    for (let v = Math.floor(part / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

/** UTCTime until 2049, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5). */
function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14); // YYYYMMDDHHMMSS
  const year = date.getUTCFullYear();
  return year < 2050 ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${iso}Z`));
}

function ipBytes(ip: string): Buffer {
  if (net.isIPv4(ip)) return Buffer.from(ip.split('.').map(Number));
  if (!net.isIPv6(ip)) throw new TransportError(TransportErrorCodes.INVALID_ARGUMENT, `Not an IP: ${ip}`);
  const [head = '', tail] = ip.split('::');
  const words = (part: string | undefined) => (part ? part.split(':') : []);
  let left = words(head);
  let right = words(tail);
  const v4 = (list: string[]) => {
    const last = list[list.length - 1];
    if (last !== undefined && net.isIPv4(last)) {
      const b = last.split('.').map(Number);
      list.splice(-1, 1, ((b[0]! << 8) | b[1]!).toString(16), ((b[2]! << 8) | b[3]!).toString(16));
    }
    return list;
  };
  left = v4(left);
  right = v4(right);
  const fill = tail === undefined ? [] : new Array<string>(8 - left.length - right.length).fill('0');
  const all = [...left, ...fill, ...right];
  const out = Buffer.alloc(16);
  for (const [i, w] of all.entries()) out.writeUInt16BE(Number.parseInt(w, 16), i * 2);
  return out;
}

function toPem(label: string, der: Buffer): string {
  const b64 = der.toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${b64}${b64.endsWith('\n') ? '' : '\n'}-----END ${label}-----\n`;
}
