/**
 * Outgoing calls to addresses people type (rule webhooks, the notification
 * webhook): the host is resolved once, every address it resolves to is checked
 * against the ranges a webhook must not reach, and the connection goes to the
 * address that was checked — a name cannot resolve to a public address for the
 * check and to 127.0.0.1 for the call (DNS rebinding).
 */
import dns from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';

const PRIVATE = new net.BlockList();
const V4: [string, number][] = [
  ['0.0.0.0', 8], // this network
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
];
const V6: [string, number][] = [
  ['::', 96], // unspecified, loopback and the old IPv4-compatible form
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated, still routed inside some networks)
  ['ff00::', 8], // multicast
];
for (const [address, bits] of V4) PRIVATE.addSubnet(address, bits, 'ipv4');
for (const [address, bits] of V6) PRIVATE.addSubnet(address, bits, 'ipv6');

/** This machine's own addresses, loopback or not: a webhook must not call the platform's own host. */
function ownAddresses(): Set<string> {
  const own = new Set<string>();
  for (const list of Object.values(os.networkInterfaces())) for (const i of list ?? []) own.add(i.address.toLowerCase().replace(/%.*$/, ''));
  return own;
}

/** The eight 16-bit groups of an IPv6 address. */
function groups(address: string): number[] | null {
  let text = address.toLowerCase().replace(/%.*$/, '');
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const parts = v4[1]!.split('.').map(Number);
    text = `${text.slice(0, -v4[1]!.length)}${((parts[0]! << 8) | parts[1]!).toString(16)}:${((parts[2]! << 8) | parts[3]!).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const a = head === '' ? [] : head.split(':');
  const b = tail === undefined ? [] : tail === '' ? [] : tail.split(':');
  const fill = tail === undefined ? 0 : 8 - a.length - b.length;
  const all = [...a, ...Array<string>(fill).fill('0'), ...b].map((g) => parseInt(g, 16));
  return all.length === 8 && all.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? all : null;
}

/** The IPv4 address an IPv6 one carries: mapped (::ffff:a.b.c.d), NAT64 (64:ff9b::/96), 6to4 (2002:wwxx:yyzz::/16). */
function embeddedIpv4(address: string): string | null {
  const g = groups(address);
  if (!g) return null;
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return v4(g[6]!, g[7]!);
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return v4(g[6]!, g[7]!);
  if (g[0] === 0x2002) return v4(g[1]!, g[2]!);
  return null;
}

/** Loopback, private, link-local, reserved, this machine's own, or not an address at all. */
export function isPrivateAddress(address: string): boolean {
  const family = net.isIP(address.replace(/%.*$/, ''));
  if (family === 0) return true;
  if (ownAddresses().has(address.toLowerCase().replace(/%.*$/, ''))) return true;
  if (family === 4) return PRIVATE.check(address, 'ipv4');
  const inner = embeddedIpv4(address);
  if (inner !== null) return PRIVATE.check(inner, 'ipv4') || ownAddresses().has(inner);
  return PRIVATE.check(address.replace(/%.*$/, ''), 'ipv6');
}

/** localhost and *.localhost, which resolve to loopback without asking DNS. */
export function isLocalHostName(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
}

export class PrivateAddressError extends Error {
  constructor(host: string) {
    super(`${host} is, or resolves to, a loopback, link-local, private or reserved address`);
    this.name = 'PrivateAddressError';
  }
}

export interface PinnedAnswer {
  status: number;
  /** the answer's start, at most 64 KB */
  text: string;
}

/**
 * POSTs to `url`, connecting to the one address its host was resolved to and
 * checked. Rejects with PrivateAddressError (unless allowed), or with the
 * network error; never follows a redirect.
 */
export async function postPinned(url: URL, init: { headers: Record<string, string>; body: string; signal: AbortSignal; allowPrivateNetwork: boolean }): Promise<PinnedAnswer> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let address: { address: string; family: number };
  if (net.isIP(host) !== 0) address = { address: host, family: net.isIP(host) };
  else {
    if (!init.allowPrivateNetwork && isLocalHostName(host)) throw new PrivateAddressError(host);
    const all = await dns.lookup(host, { all: true });
    if (!init.allowPrivateNetwork && all.some((a) => isPrivateAddress(a.address))) throw new PrivateAddressError(host);
    address = all[0]!;
  }
  if (!init.allowPrivateNetwork && isPrivateAddress(address.address)) throw new PrivateAddressError(host);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<PinnedAnswer>((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: { ...init.headers, 'content-length': Buffer.byteLength(init.body) },
        signal: init.signal,
        // The checked address, whatever a second resolution would say; TLS still checks the certificate against the name.
        lookup: (_hostname, options, callback) => (options.all ? callback(null, [address]) : callback(null, address.address, address.family)),
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size < 65_536) chunks.push(chunk);
          size += chunk.length;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8').slice(0, 65_536) }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(init.body);
  });
}
