// REDIS_URL: the per-token rate limit shared by every instance through the Redis at 127.0.0.1:6379, and what
// happens when Redis cannot be reached (each instance limits on its own, /metrics says so).
import { randomBytes } from 'node:crypto';
import { createConnection } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import { createTestApp, type TestApp } from '../support/app.js';

const REDIS = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PER_SECOND = 20;

/** Whether something answers on Redis's port. */
function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port || 6379) });
    socket.setTimeout(1_000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

const redisUp = await reachable(REDIS);
if (!redisUp) console.warn(`shared rate limit tests skipped: no Redis at ${REDIS}`);

/** Two apps ("instances") over one database, each with its own Config and so its own limiter. */
async function twoInstances(overrides: Partial<Config>): Promise<{ t: TestApp; second: (path: string, token: string) => Promise<Response> }> {
  const t = await createTestApp(overrides);
  const other = createApp({ config: { ...t.config }, db: t.db });
  const second = (path: string, token: string) =>
    Promise.resolve(other.fetch(new Request(`http://gateway.test${path}`, { headers: { authorization: `Bearer ${token}` } })));
  return { t, second };
}

describe.skipIf(!redisUp)('RATE_LIMIT shared through Redis (REDIS_URL)', () => {
  let t: TestApp;
  let second: (path: string, token: string) => Promise<Response>;

  beforeAll(async () => {
    ({ t, second } = await twoInstances({ rateLimit: PER_SECOND, redisUrl: REDIS, redisKeyPrefix: `rg-test-${randomBytes(4).toString('hex')}` }));
  });
  afterAll(() => t?.close());

  it(`admits ${PER_SECOND * 10} ± 5 % of one token's requests spread over two instances for 10 s`, { timeout: 30_000 }, async () => {
    const { token } = await t.account('Spread');
    const first = (path: string) => t.request(path, { token });
    const statuses: number[] = [];
    const end = Date.now() + 10_000;
    // Three requests in flight at a time, alternating instances: about 3 times the limit is offered.
    let n = 0;
    const worker = async () => {
      while (Date.now() < end) {
        const response = await (n++ % 2 === 0 ? first('/rest/api/user/current') : second('/rest/api/user/current', token));
        statuses.push(response.status);
        await response.arrayBuffer();
        if (response.status === 429) await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    await Promise.all([worker(), worker(), worker()]);
    const admitted = statuses.filter((s) => s === 200).length;
    expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
    expect(statuses.length).toBeGreaterThan(PER_SECOND * 10 * 1.5);
    expect(admitted).toBeGreaterThanOrEqual(PER_SECOND * 10 * 0.95);
    expect(admitted).toBeLessThanOrEqual(PER_SECOND * 10 * 1.05);
  });

  it('refuses beyond the limit on either instance with 429 and Retry-After, and /metrics says the limit is shared', async () => {
    const { token } = await t.account('Burst');
    const responses = await Promise.all(
      Array.from({ length: 3 * PER_SECOND }, (_, i) => (i % 2 ? second('/rest/api/user/current', token) : t.request('/rest/api/user/current', { token }))),
    );
    expect(responses.filter((r) => r.status === 200).length).toBeLessThanOrEqual(PER_SECOND);
    const refused = responses.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(2 * PER_SECOND);
    expect(Number(refused[0].headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const metrics = await (await t.request('/metrics', { token: t.admin.token })).text();
    expect(metrics).toMatch(/^rate_limit_shared 1$/m);
  });
});

describe('RATE_LIMIT with REDIS_URL pointing at nothing', () => {
  let t: TestApp;
  let second: (path: string, token: string) => Promise<Response>;

  beforeAll(async () => {
    // Port 1: nothing listens there, so every connection is refused at once.
    ({ t, second } = await twoInstances({ rateLimit: PER_SECOND, redisUrl: 'redis://127.0.0.1:1' }));
  });
  afterAll(() => t?.close());

  it('keeps serving and limits each instance on its own', async () => {
    const { token } = await t.account('Alone');
    const burst = (send: () => Promise<Response>) => Promise.all(Array.from({ length: 2 * PER_SECOND }, send));
    const one = await burst(() => t.request('/rest/api/user/current', { token }));
    const two = await burst(() => second('/rest/api/user/current', token));
    for (const responses of [one, two]) {
      expect(responses.map((r) => r.status).filter((s) => s !== 200 && s !== 429)).toEqual([]);
      expect(responses.filter((r) => r.status === 200).length).toBe(PER_SECOND);
    }
    const metrics = await (await t.request('/metrics', { token: t.admin.token })).text();
    expect(metrics).toMatch(/^rate_limit_shared 0$/m);
  });
});
