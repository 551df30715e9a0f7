import { BlockList, isIP } from 'node:net';

/**
 * Addresses no other machine can reach this one at: loopback (127.0.0.0/8, ::1) and the
 * unspecified address (0.0.0.0, ::), which browsers treat as this machine too. BlockList also
 * matches their IPv4-mapped IPv6 forms (::ffff:127.0.0.1).
 */
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('0.0.0.0', 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');
LOOPBACK.addAddress('::', 'ipv6');

/** Whether a URL's host is this machine only: localhost (and *.localhost, RFC 6761) or a loopback address. */
export function isLoopbackUrl(url: string): boolean {
  // URL normalises 127.1, 0x7f000001 and LOCALHOST; IPv6 hosts come in brackets.
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const family = isIP(host);
  return family !== 0 && LOOPBACK.check(host, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * What coaches are told while the links handed out (BASE_URL) point at this machine only:
 * the address, and the port to suggest in `http://<this machine's name>:PORT`. Null when the
 * team can reach them.
 */
export function unreachableLinks(baseUrl: string): { origin: string; port: string } | null {
  if (!isLoopbackUrl(baseUrl)) return null;
  const url = new URL(baseUrl);
  return { origin: url.origin, port: url.port || (url.protocol === 'https:' ? '443' : '80') };
}
