import net from 'node:net';

/** Why an address may not be an outbound target; null when it is public. */
export type BlockedRange =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link_local'
  | 'cgnat'
  | 'multicast'
  | 'reserved'
  | 'unique_local';

type Range = [prefix: number[], bits: number, range: BlockedRange];

/** IPv4 ranges that are not the public internet (RFC 6890), as bytes. */
const V4: Range[] = [
  [[0, 0, 0, 0], 8, 'unspecified'],
  [[10, 0, 0, 0], 8, 'private'],
  [[100, 64, 0, 0], 10, 'cgnat'],
  [[127, 0, 0, 0], 8, 'loopback'],
  [[169, 254, 0, 0], 16, 'link_local'], // includes the cloud metadata endpoint 169.254.169.254
  [[172, 16, 0, 0], 12, 'private'],
  [[192, 0, 0, 0], 24, 'reserved'],
  [[192, 0, 2, 0], 24, 'reserved'], // documentation
  [[192, 88, 99, 0], 24, 'reserved'], // 6to4 relay anycast
  [[192, 168, 0, 0], 16, 'private'],
  [[198, 18, 0, 0], 15, 'reserved'],
  [[198, 51, 100, 0], 24, 'reserved'], // documentation
  [[203, 0, 113, 0], 24, 'reserved'], // documentation
  [[224, 0, 0, 0], 4, 'multicast'],
  [[240, 0, 0, 0], 4, 'reserved'], // includes broadcast 255.255.255.255
];

/** IPv6 ranges that carry no IPv4 address and are not the public internet. */
const V6: Range[] = [
  [[0xfc], 7, 'unique_local'],
  [[0xfe, 0x80], 10, 'link_local'],
  [[0xfe, 0xc0], 10, 'private'], // site-local, deprecated but still routed inside some networks
  [[0xff], 8, 'multicast'],
  [[0x01, 0x00, 0, 0, 0, 0, 0, 0], 64, 'reserved'], // discard-only
  [[0x20, 0x01, 0x0d, 0xb8], 32, 'reserved'], // documentation
  [[0x20, 0x01, 0x00, 0x10], 28, 'reserved'], // ORCHID
  [[0x20, 0x01, 0x00, 0x20], 28, 'reserved'], // ORCHIDv2
];

function inPrefix(bytes: ArrayLike<number>, prefix: number[], bits: number): boolean {
  for (let i = 0; i * 8 < bits; i++) {
    const mask = bits - i * 8 >= 8 ? 0xff : (0xff << (8 - (bits - i * 8))) & 0xff;
    if (((bytes[i] ?? 0) & mask) !== ((prefix[i] ?? 0) & mask)) return false;
  }
  return true;
}

function classifyV4(bytes: ArrayLike<number>): BlockedRange | null {
  return V4.find(([prefix, bits]) => inPrefix(bytes, prefix, bits))?.[2] ?? null;
}

/** The 16 bytes of an IPv6 address (already known valid), dotted-quad tails and `::` included. */
function ipv6Bytes(address: string): number[] {
  let text = address.toLowerCase();
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad[1].split('.').map(Number);
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return groups.flatMap((g) => {
    const n = parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
}

const zeros = (bytes: number[], from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);

/**
 * The class of an IPv6 address that embeds an IPv4 one, judged by that IPv4: IPv4-mapped (`::ffff:a.b.c.d`),
 * IPv4-compatible (`::a.b.c.d`), IPv4-translated (`::ffff:0:a.b.c.d`), NAT64 (`64:ff9b::/96`, and the
 * local-use `64:ff9b:1::/48`), 6to4 (`2002::/16`) and Teredo (`2001::/32`, client address inverted).
 * Forms that no public service uses (compatible, translated, local-use NAT64, Teredo) are refused even when
 * their IPv4 is public. Returns undefined when the address embeds no IPv4.
 */
function classifyEmbedded(bytes: number[]): BlockedRange | null | undefined {
  const tail = bytes.slice(12, 16);
  if (zeros(bytes, 0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return classifyV4(tail); // mapped
  if (zeros(bytes, 0, 12)) {
    if (zeros(tail, 0, 3) && tail[3] <= 1) return tail[3] === 0 ? 'unspecified' : 'loopback'; // :: and ::1
    return classifyV4(tail) ?? 'reserved'; // compatible (deprecated)
  }
  if (zeros(bytes, 0, 8) && bytes[8] === 0xff && bytes[9] === 0xff && zeros(bytes, 10, 12)) return classifyV4(tail) ?? 'reserved'; // translated
  if (inPrefix(bytes, [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0], 96)) return classifyV4(tail); // NAT64, well-known prefix
  if (inPrefix(bytes, [0x00, 0x64, 0xff, 0x9b, 0x00, 0x01], 48)) return classifyV4(tail) ?? 'private'; // NAT64, local use
  if (inPrefix(bytes, [0x20, 0x02], 16)) return classifyV4(bytes.slice(2, 6)); // 6to4
  if (inPrefix(bytes, [0x20, 0x01, 0x00, 0x00], 32)) return classifyV4(tail.map((b) => b ^ 0xff)) ?? classifyV4(bytes.slice(4, 8)) ?? 'reserved'; // Teredo
  return undefined;
}

/**
 * Classifies an IP literal for the SSRF guard: the non-public range it falls in (loopback, private,
 * link-local, CGNAT, unspecified, multicast, reserved, unique-local), or null when it is public. An IPv6
 * address that embeds an IPv4 address is judged by that IPv4 (see {@link classifyEmbedded}). Brackets and
 * zone ids are ignored; anything that is not an IP literal counts as `reserved`.
 */
export function classifyAddress(address: string): BlockedRange | null {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (net.isIPv4(bare)) return classifyV4(bare.split('.').map(Number));
  if (!net.isIPv6(bare)) return 'reserved';
  const bytes = ipv6Bytes(bare);
  const embedded = classifyEmbedded(bytes);
  if (embedded !== undefined) return embedded;
  return V6.find(([prefix, bits]) => inPrefix(bytes, prefix, bits))?.[2] ?? null;
}
