import dns from 'node:dns';
import net from 'node:net';

/** Why an address may not be a delivery target; null when it is public. */
export type BlockedRange =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link_local'
  | 'cgnat'
  | 'multicast'
  | 'reserved'
  | 'unique_local';

const V4: Array<[string, number, BlockedRange]> = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'cgnat'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link_local'], // includes the cloud metadata endpoint 169.254.169.254
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'], // includes broadcast 255.255.255.255
];

const V6: Array<[string, number, BlockedRange]> = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['fc00::', 7, 'unique_local'],
  ['fe80::', 10, 'link_local'],
  ['ff00::', 8, 'multicast'],
];

function blockListOf(ranges: Array<[string, number, BlockedRange]>, family: 'ipv4' | 'ipv6'): Array<[net.BlockList, BlockedRange]> {
  return ranges.map(([address, prefix, range]) => {
    const list = new net.BlockList();
    list.addSubnet(address, prefix, family);
    return [list, range];
  });
}

const V4_LISTS = blockListOf(V4, 'ipv4');
const V6_LISTS = blockListOf(V6, 'ipv6');

/** The IPv4 address embedded in an IPv4-mapped (`::ffff:a.b.c.d`) or NAT64 (`64:ff9b::a.b.c.d`) IPv6 address. */
function embeddedIpv4(address: string): string | undefined {
  const lower = address.toLowerCase();
  const prefix = ['::ffff:', '64:ff9b::', '::ffff:0:'].find((p) => lower.startsWith(p));
  if (!prefix) return undefined;
  const rest = lower.slice(prefix.length);
  if (net.isIPv4(rest)) return rest;
  const hex = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(rest);
  if (!hex) return undefined;
  const hi = parseInt(hex[1], 16);
  const lo = parseInt(hex[2], 16);
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

/**
 * Classifies an IP literal: the blocked range it falls in (loopback, private, link-local, CGNAT,
 * unspecified, multicast, reserved, unique-local — IPv4-mapped IPv6 judged by its IPv4), or null when public.
 * Anything that is not an IP literal counts as `reserved`.
 */
export function classifyAddress(address: string): BlockedRange | null {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (net.isIPv4(bare)) return V4_LISTS.find(([list]) => list.check(bare, 'ipv4'))?.[1] ?? null;
  if (!net.isIPv6(bare)) return 'reserved';
  const v4 = embeddedIpv4(bare);
  if (v4) return classifyAddress(v4);
  return V6_LISTS.find(([list]) => list.check(bare, 'ipv6'))?.[1] ?? null;
}

/** One address a callback host resolved to. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** The callback target was refused: every resolved address is listed with the range that blocked it. */
export class SsrfBlockedError extends Error {
  readonly reason = 'ssrf_blocked';
  constructor(public readonly host: string, public readonly blocked: Array<{ address: string; range: BlockedRange }>) {
    super(`callback host ${host} resolves to a non-public address (${blocked.map((b) => `${b.address}: ${b.range}`).join(', ')})`);
    this.name = 'SsrfBlockedError';
  }
}

/** How a host name becomes addresses; `dns.lookup` with `all: true` by default (tests may swap it). */
export type HostResolver = (host: string) => Promise<ResolvedAddress[]>;

/** Resolves a host with the system resolver (the same one an HTTP client would use), all addresses. */
export const systemResolver: HostResolver = async (host) =>
  (await dns.promises.lookup(host, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));

/**
 * Resolves the callback host (an IP literal is taken as is) and refuses it — {@link SsrfBlockedError} —
 * when any of its addresses is non-public, unless `allowPrivateTargets`. Returns the addresses to connect
 * to, so the caller can pin them and a second DNS answer (rebinding) cannot swap in a private address.
 */
export async function resolveTarget(host: string, allowPrivateTargets: boolean, resolve: HostResolver = systemResolver): Promise<ResolvedAddress[]> {
  const bare = host.replace(/^\[|\]$/g, '');
  const addresses: ResolvedAddress[] = net.isIP(bare) ? [{ address: bare, family: net.isIPv6(bare) ? 6 : 4 }] : await resolve(bare);
  if (addresses.length === 0) throw Object.assign(new Error(`callback host ${host} did not resolve`), { code: 'ENOTFOUND' });
  if (allowPrivateTargets) return addresses;
  const blocked = addresses
    .map((a) => ({ address: a.address, range: classifyAddress(a.address) }))
    .filter((b): b is { address: string; range: BlockedRange } => b.range !== null);
  if (blocked.length > 0) throw new SsrfBlockedError(bare, blocked);
  return addresses;
}
