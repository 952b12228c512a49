import { isIPv4, isIPv6 } from 'node:net'

// Which client a request comes from, for rate limits: an address read from the one header the
// deployment's nearest trusted proxy sets (lib/config `rateLimit.clientIp`; README, *Rate limits*).
// Pure: no store, no config read, so tests and proxy.ts use it alike.

/** Where the client's address comes from: a header, and which hop from its right end. */
export type ClientIpSource = { header: string; hops: number }

/** Every value that is not an address (garbage, a port-less hostname, an empty header) shares this one bucket. */
export const UNKNOWN_CLIENT = 'unknown'

/**
 * The address proxy.ts resolved, forwarded to pages and route handlers on the request (set on every
 * request proxy.ts sees, over any value a client sent), so all of them count one client under one key
 * — proxy.ts and the renderer do not see the same `x-forwarded-for` when a client sends none (Next
 * fills it from the socket only after proxy.ts ran).
 */
export const CLIENT_ADDRESS_HEADER = 'x-gatehouse-client-address'

/** A header longer than this is not a proxy's: it is cut before parsing (bounded work per request). */
const MAX_HEADER_LENGTH = 2048

/** The eight 16-bit groups of an IPv6 address (already validated by isIPv6), or null. */
function ipv6Groups(address: string): number[] | null {
  let text = address
  // An IPv4 tail (::ffff:1.2.3.4) becomes two groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)
  if (v4) {
    const [a, b, c, d] = v4[1]!.split('.').map(Number) as [number, number, number, number]
    text = `${text.slice(0, -v4[1]!.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const [head, tail] = text.split('::') as [string, string | undefined]
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)))
  const left = parse(head)
  const right = tail === undefined ? [] : parse(tail)
  const groups = tail === undefined ? left : [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right]
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null
}

/**
 * One address as a bucket name: IPv4 as is; IPv4-mapped IPv6 as its IPv4; other IPv6 by its /64
 * prefix (one customer's line holds a whole /64: per address, it could rotate through 2^64 keys).
 * Brackets and a port are dropped; anything else is UNKNOWN_CLIENT.
 */
export function normalizeAddress(raw: string): string {
  let value = raw.trim()
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value)
  if (bracketed) value = bracketed[1]!
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(value)) value = value.slice(0, value.lastIndexOf(':'))
  value = value.replace(/%.*$/, '') // a zone id (fe80::1%eth0) names an interface, not a client
  if (isIPv4(value)) return value
  if (!isIPv6(value)) return UNKNOWN_CLIENT
  const groups = ipv6Groups(value.toLowerCase())
  if (!groups) return UNKNOWN_CLIENT
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.')
  }
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`
}

/**
 * The client's address from `source.header`: the `hops`-th entry from the right of its
 * comma-separated list — what the nearest trusted proxy appended (or, on Vercel, the one address it
 * wrote). Entries further left were sent by the client and are never used.
 */
export function clientAddress(headers: Headers, source: ClientIpSource): string {
  const value = headers.get(source.header)
  if (!value) return UNKNOWN_CLIENT
  const entries = value.slice(-MAX_HEADER_LENGTH).split(',')
  const entry = entries[entries.length - source.hops]
  return entry === undefined ? UNKNOWN_CLIENT : normalizeAddress(entry)
}
