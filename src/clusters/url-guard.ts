import { lookup } from 'node:dns/promises';
import { BlockList, isIPv4, isIPv6 } from 'node:net';

/**
 * SSRF rules for API-server URLs that come from the catalog, which anyone who can register an entity
 * controls (Backstage's `validateClusterApiServerUrl`). Only config may loosen them, per host, with
 * `dangerouslyAllowClusterUrls`.
 */
export interface UrlGuardOptions {
  /** Host patterns, exact (`127.0.0.1`, `kube.internal`) or `*.suffix` (the suffix itself matches too). */
  allowedHosts: readonly string[];
  /** Every address a host name resolves to. Defaults to the system resolver, asked on every call. */
  resolve?: (hostname: string) => Promise<string[]>;
}

export type UrlVerdict = { ok: true; url: URL } | { ok: false; reason: string };

// Addresses that are not public unicast (IANA special-purpose registries). IPv4 and IPv6 are kept
// apart: node's BlockList matches IPv4 addresses against IPv6 rules through their mapped form.
const NON_PUBLIC_V4: [string, number][] = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, where cloud metadata endpoints live
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and broadcast
];
const NON_PUBLIC_V6: [string, number][] = [
  ['::', 96], // unspecified, loopback and the deprecated IPv4-compatible form
  ['::ffff:0:0', 96], // IPv4-mapped: would smuggle any IPv4 address past the IPv4 rules
  ['64:ff9b::', 96], // NAT64, same reason
  ['64:ff9b:1::', 48],
  ['100::', 64], // discard
  ['2001::', 23], // protocol assignments, Teredo
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4
  ['3fff::', 20], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local
  ['ff00::', 8], // multicast
];
const v4 = blockList(NON_PUBLIC_V4, 'ipv4');
const v6 = blockList(NON_PUBLIC_V6, 'ipv6');

function blockList(ranges: [string, number][], family: 'ipv4' | 'ipv6'): BlockList {
  const list = new BlockList();
  for (const [network, prefix] of ranges) list.addSubnet(network, prefix, family);
  return list;
}

/** True for a literal IP address that is public unicast; false for anything else, names included. */
export function isPublicUnicast(address: string): boolean {
  if (isIPv4(address)) return !v4.check(address, 'ipv4');
  if (isIPv6(address)) return !v6.check(address, 'ipv6');
  return false;
}

/** Backstage's matching: case-insensitive; `*.example.com` matches `example.com` and any name under it. */
export function hostAllowed(hostname: string, patterns: readonly string[]): boolean {
  const host = hostname.toLowerCase();
  return patterns.some((raw) => {
    const pattern = raw.toLowerCase();
    if (!pattern.startsWith('*.')) return host === pattern || host === stripBrackets(pattern);
    return host.endsWith(pattern.slice(1)) || host === pattern.slice(2);
  });
}

/**
 * Checks one API-server URL. A host name is resolved on every call, so a name that later points at
 * a private address is refused then. Reasons never quote the URL, which may carry credentials.
 */
export async function checkClusterUrl(raw: string, options: UrlGuardOptions): Promise<UrlVerdict> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'is not a valid URL (expected e.g. https://host:6443)' };
  }
  if (url.username || url.password) {
    return { ok: false, reason: 'must not carry a user name or password' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, reason: `must use https, not ${url.protocol.replace(/:$/, '')}` };
  }
  const host = stripBrackets(url.hostname);
  if (hostAllowed(host, options.allowedHosts)) return { ok: true, url };
  const exempt = `(allow it with dangerouslyAllowClusterUrls: ['${host}'] on the catalog locator)`;
  if (url.protocol !== 'https:') return { ok: false, reason: `must use https ${exempt}` };
  if (isIPv4(host) || isIPv6(host)) {
    return isPublicUnicast(host)
      ? { ok: true, url }
      : { ok: false, reason: `points at the non-public address ${host} ${exempt}` };
  }
  let addresses: string[];
  try {
    addresses = await (options.resolve ?? resolveAll)(host);
  } catch (error) {
    return { ok: false, reason: `host ${host} does not resolve (${dnsCode(error)})` };
  }
  if (addresses.length === 0) return { ok: false, reason: `host ${host} resolves to no address` };
  const bad = addresses.find((a) => !isPublicUnicast(a));
  return bad === undefined
    ? { ok: true, url }
    : { ok: false, reason: `host ${host} resolves to the non-public address ${bad} ${exempt}` };
}

async function resolveAll(hostname: string): Promise<string[]> {
  const answers = await lookup(hostname, { all: true, verbatim: true });
  return answers.map((a) => a.address);
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function dnsCode(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? code : 'lookup failed';
}
