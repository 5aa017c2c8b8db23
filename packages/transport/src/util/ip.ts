/**
 * The one place the transport compares peer addresses, on top of the codec's `normalizeIp`.
 *
 * Why: a dual-stack listener reports an IPv4 peer as `::ffff:1.2.3.4`, the control socket may
 * report `1.2.3.4`; a textual compare would refuse a legitimate data connection (or, worse, let
 * a formatting difference decide a security check).
 */
import { normalizeIp } from '@ftpkit/codec';

/**
 * Canonical text of a socket address. Node may report a link-local peer with a zone
 * (`fe80::1%eth0`), which the codec refuses; the zone is dropped. Anything that still is not an IP
 * (a host name given by a caller) is returned unchanged, so it never equals a peer address.
 */
export function canonicalIp(text: string): string {
  const zone = text.indexOf('%');
  const bare = zone === -1 ? text : text.slice(0, zone);
  try {
    return normalizeIp(bare);
  } catch {
    return text;
  }
}

/** True when two addresses name the same host. Undefined (a destroyed socket) never matches. */
export function sameHost(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  const x = canonicalIp(a);
  const y = canonicalIp(b);
  // Only a comparison of two real IPs counts; a host name never matches.
  return x === y && isCanonical(x);
}

function isCanonical(text: string): boolean {
  try {
    normalizeIp(text);
    return true;
  } catch {
    return false;
  }
}
