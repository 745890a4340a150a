// Where a webhook may point: the host's addresses must all be public (domain/addresses.ts) unless the host is listed
// in WEBHOOK_ALLOW_HOSTS. Checked when the webhook is created, and again on every connection (a name may resolve
// elsewhere by then: DNS rebinding), by the lookup function deliveries connect through.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { refusedAddress } from '../domain/addresses.js';
import { ValidationError } from '../domain/errors.js';

const RESOLVE_TIMEOUT_MS = 5_000;

/** The URL's host as WEBHOOK_ALLOW_HOSTS lists it: lower case, an IPv6 address without brackets. */
export const hostOf = (url: URL) => url.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');

export class RefusedTargetError extends Error {}

/** Why `address` may not be connected to for a URL whose host is `host`, or null when it may. */
function refusal(host: string, address: string): string | null {
  const why = refusedAddress(address);
  return why && `${host === address ? host : `${host} resolves to ${address}, which`} is ${why}; list the host in WEBHOOK_ALLOW_HOSTS to allow it`;
}

function resolveAll(host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`resolving ${host} took over ${RESOLVE_TIMEOUT_MS / 1000} s`)), RESOLVE_TIMEOUT_MS);
    dnsLookup(host, { all: true }, (error, addresses) => {
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(addresses);
    });
  });
}

/** Refuses (ValidationError on `url`) a target whose host is not allowed, or does not resolve. */
export async function assertTargetAllowed(url: URL, allowHosts: string[]): Promise<void> {
  const host = hostOf(url);
  if (allowHosts.includes(host)) return;
  if (isIP(host)) {
    const why = refusal(host, host);
    if (why) throw new ValidationError(`url: ${why}`, 'url');
    return;
  }
  let addresses: LookupAddress[];
  try {
    addresses = await resolveAll(host);
  } catch {
    throw new ValidationError(`url: the host ${host} could not be resolved`, 'url');
  }
  for (const { address } of addresses) {
    const why = refusal(host, address);
    if (why) throw new ValidationError(`url: ${why}`, 'url');
  }
}

/**
 * For deliveries: throws RefusedTargetError for an IP-literal host that is not allowed (Node connects to those
 * without a lookup), and returns the `lookup` option of http.request, which checks every address a name resolves to.
 */
export function guardTarget(url: URL, allowHosts: string[]): typeof dnsLookup | undefined {
  const host = hostOf(url);
  if (allowHosts.includes(host)) return undefined;
  if (isIP(host)) {
    const why = refusal(host, host);
    if (why) throw new RefusedTargetError(why);
    return undefined;
  }
  const guarded = (hostname: string, options: object, callback: (...args: unknown[]) => void) => {
    const all = (options as { all?: boolean }).all === true;
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error);
      for (const { address } of addresses) {
        const why = refusal(host, address);
        if (why) return callback(new RefusedTargetError(why));
      }
      if (addresses.length === 0) return callback(new Error(`${hostname} has no addresses`));
      if (all) callback(null, addresses);
      else callback(null, addresses[0].address, addresses[0].family);
    });
  };
  return guarded as unknown as typeof dnsLookup;
}
