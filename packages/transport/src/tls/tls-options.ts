/**
 * TLS policy for control and data channels (RFC 4217), with safe defaults.
 *
 * Owns: turning one `TlsOptions` object into the `tls.SecureContext` a server shares between its
 * control and data sockets, and into client connect options. Never parses FTP.
 *
 * Why one shared context: a PROT P data connection must resume the control connection's TLS
 * session (the defence vsftpd calls require_ssl_reuse: a stolen data port is useless without the
 * session). Session tickets are encrypted with keys that live in the SecureContext, so the data
 * socket must use the very same context object as the control socket.
 */
import { createHash, randomBytes } from 'node:crypto';
import tls from 'node:tls';
import { TransportError, TransportErrorCodes } from '../errors.js';

/**
 * TLS 1.3 suites, then TLS 1.2 ECDHE with AEAD only (Mozilla "intermediate"): forward secrecy,
 * no CBC, no RSA key exchange, no SHA-1 MACs.
 */
export const DEFAULT_CIPHERS = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

/** TLS 1.0/1.1 are deprecated (RFC 8996). */
export const DEFAULT_MIN_VERSION: tls.SecureVersion = 'TLSv1.2';

type PemInput = string | Buffer | ReadonlyArray<string | Buffer>;

export interface TlsOptions {
  /** Certificate chain, PEM. Required for a server; for a client only with client certificates. */
  readonly cert?: PemInput;
  /** Private key, PEM. */
  readonly key?: PemInput;
  readonly passphrase?: string;
  /** Trust anchors, PEM. Default: Node's bundled CA store. */
  readonly ca?: PemInput;
  /** Default 'TLSv1.2'. */
  readonly minVersion?: tls.SecureVersion;
  /** Default: the highest Node supports (TLSv1.3). */
  readonly maxVersion?: tls.SecureVersion;
  /** OpenSSL cipher list (1.2 and 1.3 names). Default `DEFAULT_CIPHERS`. */
  readonly ciphers?: string;
  /** Session (ticket) lifetime in seconds. Default 300, Node's default. */
  readonly sessionTimeout?: number;
  /** 48 bytes of ticket keys, to share tickets across processes. Default: random per context. */
  readonly ticketKeys?: Buffer;
}

export interface ServerTlsOptions extends TlsOptions {
  /** Ask clients for a certificate. Default false. */
  readonly requestCert?: boolean;
  /** With `requestCert`, refuse clients whose certificate does not verify against `ca`. Default true. */
  readonly rejectUnauthorized?: boolean;
  /** A prebuilt context; when set, the PEM fields above are ignored. */
  readonly secureContext?: tls.SecureContext;
}

export interface ClientTlsOptions extends TlsOptions {
  /** SNI name (RFC 6066). Default: the host when it is a name; never sent for an IP address. */
  readonly servername?: string;
  /** Verify the server's certificate. Default true. */
  readonly rejectUnauthorized?: boolean;
  /** Custom identity check (e.g. pinning). Default: Node's hostname check against the host. */
  readonly checkServerIdentity?: (hostname: string, cert: tls.PeerCertificate) => Error | undefined;
  /** A prebuilt context; when set, the PEM fields above are ignored. */
  readonly secureContext?: tls.SecureContext;
}

/**
 * Builds the context a server shares between its control and data sockets. Set
 * `sessionIdContext` so that ticket resumption also works when client certificates are requested
 * (OpenSSL refuses to resume a verified session without one).
 */
export function createServerSecureContext(options: ServerTlsOptions): tls.SecureContext {
  if (options.secureContext !== undefined) return options.secureContext;
  if (options.cert === undefined || options.key === undefined) {
    throw new TransportError(TransportErrorCodes.INVALID_ARGUMENT, 'A TLS server needs `cert` and `key`');
  }
  try {
    return tls.createSecureContext({
      ...pem(options),
      minVersion: options.minVersion ?? DEFAULT_MIN_VERSION,
      ...(options.maxVersion === undefined ? {} : { maxVersion: options.maxVersion }),
      ciphers: options.ciphers ?? DEFAULT_CIPHERS,
      honorCipherOrder: true,
      sessionTimeout: options.sessionTimeout ?? 300,
      // tls.Server sets random ticket keys itself; a bare context used with `new TLSSocket` must
      // have them set or TLS 1.3 clients never receive a ticket to resume with.
      ticketKeys: options.ticketKeys ?? randomBytes(48),
      sessionIdContext: createHash('sha1').update('ftpkit').digest('hex').slice(0, 32),
    });
  } catch (error) {
    throw new TransportError(TransportErrorCodes.INVALID_ARGUMENT, `Invalid TLS options: ${String(error)}`, {
      cause: error,
    });
  }
}

/** A client context. Reusing one across data connections keeps them cheap. */
export function createClientSecureContext(options: ClientTlsOptions = {}): tls.SecureContext {
  if (options.secureContext !== undefined) return options.secureContext;
  try {
    return tls.createSecureContext({
      ...pem(options),
      minVersion: options.minVersion ?? DEFAULT_MIN_VERSION,
      ...(options.maxVersion === undefined ? {} : { maxVersion: options.maxVersion }),
      ciphers: options.ciphers ?? DEFAULT_CIPHERS,
    });
  } catch (error) {
    throw new TransportError(TransportErrorCodes.INVALID_ARGUMENT, `Invalid TLS options: ${String(error)}`, {
      cause: error,
    });
  }
}

function pem(options: TlsOptions): tls.SecureContextOptions {
  const out: tls.SecureContextOptions = {};
  if (options.cert !== undefined) out.cert = options.cert as tls.SecureContextOptions['cert'];
  if (options.key !== undefined) out.key = options.key as tls.SecureContextOptions['key'];
  if (options.passphrase !== undefined) out.passphrase = options.passphrase;
  if (options.ca !== undefined) out.ca = options.ca as tls.SecureContextOptions['ca'];
  return out;
}
