// The retry schedule and the address rules are pure functions: their promises are checked here directly.
import { describe, expect, it } from 'vitest';
import { refusedAddress } from '../../src/domain/addresses.js';
import { nextAttempt, RETRY_WINDOW_MS } from '../../src/events/webhook-retry.js';

const HOUR = 3_600_000;

/** The times of every retry after a first failure at 0, when every attempt fails, until the schedule gives up. */
function retries(scale = 1): { at: number[]; gaveUpAt: number } {
  const at: number[] = [];
  let now = 0;
  for (let failures = 1; ; failures++) {
    const step = nextAttempt(failures, 0, now, scale);
    if ('giveUp' in step) return { at, gaveUpAt: now };
    at.push(step.retryAt);
    now = step.retryAt;
  }
}

describe('the retry schedule', () => {
  const { at, gaveUpAt } = retries();
  const gaps = at.map((time, i) => time - (i === 0 ? 0 : at[i - 1]));

  it('retries within 10 s of the first failure', () => {
    expect(at[0]).toBeGreaterThan(0);
    expect(at[0]).toBeLessThanOrEqual(10_000);
  });

  it('waits longer and longer, but never more than an hour', () => {
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]).toBeGreaterThanOrEqual(gaps[i - 1]);
    expect(Math.max(...gaps)).toBe(HOUR);
  });

  it('keeps retrying for at least 24 hours after the first failure, then gives up', () => {
    expect(at.at(-1)).toBeGreaterThanOrEqual(24 * HOUR - HOUR);
    expect(gaveUpAt).toBeGreaterThanOrEqual(RETRY_WINDOW_MS);
    expect(gaveUpAt).toBeLessThan(RETRY_WINDOW_MS + HOUR);
    expect(nextAttempt(3, 0, RETRY_WINDOW_MS - 1)).toHaveProperty('retryAt');
    expect(nextAttempt(3, 0, RETRY_WINDOW_MS)).toEqual({ giveUp: true });
  });

  it('WEBHOOK_RETRY_SCALE shrinks the waits and the window alike', () => {
    const fast = retries(0.001);
    expect(fast.at.length).toBe(at.length);
    expect(fast.gaveUpAt).toBeCloseTo(gaveUpAt * 0.001, -1);
  });
});

describe('the addresses a webhook may reach', () => {
  it.each([
    ['127.0.0.1', /loopback/],
    ['10.20.30.40', /private/],
    ['172.16.0.1', /private/],
    ['192.168.1.1', /private/],
    ['169.254.169.254', /link-local/],
    ['100.64.0.1', /shared/],
    ['0.0.0.0', /this network/],
    ['224.0.0.251', /multicast/],
    ['255.255.255.255', /reserved/],
    ['::1', /loopback/],
    ['::', /unspecified/],
    ['fe80::1', /link-local/],
    ['fd12:3456::1', /unique local/],
    ['ff02::1', /multicast/],
    ['::ffff:127.0.0.1', /loopback.*IPv6/],
    ['::ffff:a9fe:a9fe', /link-local.*IPv6/],
    ['64:ff9b::a00:1', /private.*IPv6/],
    ['2002:c0a8:101::1', /private.*IPv6/],
    ['not-an-ip', /not an IP/],
  ])('refuses %s', (ip, why) => {
    expect(refusedAddress(ip)).toMatch(why);
  });

  it.each(['93.184.215.14', '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('accepts the public address %s', (ip) => {
    expect(refusedAddress(ip)).toBeNull();
  });
});
