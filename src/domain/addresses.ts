// Which IP addresses a webhook may be delivered to: public unicast only. Loopback, link-local, private, shared
// (CGNAT), multicast, reserved and documentation ranges are refused, and so are IPv6 forms that embed one of those
// IPv4 addresses (mapped, compatible, NAT64, 6to4), since they reach the same hosts.
import { isIPv4, isIPv6 } from 'node:net';

type Range = [bits: bigint, prefix: number, why: string];

const V4: [string, number, string][] = [
  ['0.0.0.0', 8, 'a "this network" address'],
  ['10.0.0.0', 8, 'a private address'],
  ['100.64.0.0', 10, 'a shared (CGNAT) address'],
  ['127.0.0.0', 8, 'a loopback address'],
  ['169.254.0.0', 16, 'a link-local address'],
  ['172.16.0.0', 12, 'a private address'],
  ['192.0.0.0', 24, 'a reserved address'],
  ['192.0.2.0', 24, 'a documentation address'],
  ['192.88.99.0', 24, 'a reserved address'],
  ['192.168.0.0', 16, 'a private address'],
  ['198.18.0.0', 15, 'a benchmarking address'],
  ['198.51.100.0', 24, 'a documentation address'],
  ['203.0.113.0', 24, 'a documentation address'],
  ['224.0.0.0', 4, 'a multicast address'],
  ['240.0.0.0', 4, 'a reserved address'],
];

const V6: [string, number, string][] = [
  ['::', 128, 'the unspecified address'],
  ['::1', 128, 'a loopback address'],
  ['64:ff9b:1::', 48, 'a NAT64 address'],
  ['100::', 64, 'a discard address'],
  ['2001::', 23, 'a reserved address'],
  ['2001:db8::', 32, 'a documentation address'],
  ['fc00::', 7, 'a private (unique local) address'],
  ['fe80::', 10, 'a link-local address'],
  ['fec0::', 10, 'a site-local address'],
  ['ff00::', 8, 'a multicast address'],
];

/** IPv6 prefixes whose low 32 bits (or, for 6to4, bits 16-48) are an IPv4 address that is checked in turn. */
const EMBEDDING: [string, number, number][] = [
  ['::ffff:0:0', 96, 0],
  ['::', 96, 0],
  ['64:ff9b::', 96, 0],
  ['2002::', 16, 80],
];

function v4Bits(ip: string): bigint {
  return ip.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function v6Bits(ip: string): bigint {
  let text = ip.replace(/%.*$/, '');
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const v4 = v4Bits(dotted[1]);
    text = `${text.slice(0, dotted.index)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const headParts = head ? head.split(':') : [];
  const tailParts = tail ? tail.split(':') : [];
  const parts = tail === undefined ? headParts : [...headParts, ...Array(8 - headParts.length - tailParts.length).fill('0'), ...tailParts];
  return parts.reduce((acc, part) => (acc << 16n) | BigInt(Number.parseInt(part, 16)), 0n);
}

const ranges = (list: [string, number, string][], bits: (ip: string) => bigint): Range[] => list.map(([ip, prefix, why]) => [bits(ip), prefix, why]);
const V4_RANGES = ranges(V4, v4Bits);
const V6_RANGES = ranges(V6, v6Bits);

const within = (bits: bigint, width: number, [base, prefix]: Range) => bits >> BigInt(width - prefix) === base >> BigInt(width - prefix);

function refusedV4(bits: bigint): string | null {
  return V4_RANGES.find((range) => within(bits, 32, range))?.[2] ?? null;
}

/**
 * Why a webhook may not be delivered to `ip` (such as "a loopback address"), or null when it is a public address.
 * Anything that is not an IP address at all is refused too.
 */
export function refusedAddress(ip: string): string | null {
  if (isIPv4(ip)) return refusedV4(v4Bits(ip));
  if (!isIPv6(ip)) return 'not an IP address';
  const bits = v6Bits(ip);
  for (const [base, prefix, shift] of EMBEDDING) {
    if (within(bits, 128, [v6Bits(base), prefix, ''])) {
      // ::/96 holds :: and ::1 too: those are judged as IPv6 below.
      if (base === '::' && bits <= 1n) break;
      const embedded = refusedV4((bits >> BigInt(shift)) & 0xffffffffn);
      return embedded ? `${embedded} (as IPv6)` : null;
    }
  }
  return V6_RANGES.find((range) => within(bits, 128, range))?.[2] ?? null;
}
