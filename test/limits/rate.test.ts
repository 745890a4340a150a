import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { expectConfluenceError, expectGraphQLErrors, expectUmbracoError } from '../hostile/faces.js';

const PER_SECOND = 2;
const BURST = 20;
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ rateLimit: PER_SECOND });
});

afterAll(() => t?.close());

const faces = {
  graphql: {
    send: (token: string) => t.request('/graphql', { method: 'POST', token, json: { query: '{ me { displayName } }' } }),
    expectRefusal: (body: any) => expectGraphQLErrors(body, 'RATE_LIMITED'),
  },
  confluence: {
    send: (token: string) => t.request('/rest/api/user/current', { token }),
    expectRefusal: (body: any) => expectConfluenceError(body, 429),
  },
  umbraco: {
    send: (token: string) => t.request('/umbraco/relation/type', { token }),
    expectRefusal: (body: any) => {
      expectUmbracoError(body);
      expect(body.error.code).toBe('TooManyRequests');
    },
  },
};

describe.each(Object.entries(faces))('RATE_LIMIT on the %s face', (_, face) => {
  it(`answers a burst of ${BURST} requests of one token with 429 and Retry-After beyond the bucket, in the face's format`, async () => {
    const { token } = await t.account('Burst');
    const responses = await Promise.all(Array.from({ length: BURST }, () => face.send(token)));
    const refused = responses.filter((r) => r.status === 429);
    const served = responses.filter((r) => r.status === 200);
    expect(served.length + refused.length).toBe(BURST);
    expect(served.length).toBeGreaterThanOrEqual(PER_SECOND);
    expect(refused.length).toBeGreaterThan(0);
    for (const response of refused) {
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      face.expectRefusal(await response.json());
    }
  });

  it("limits each token on its own: another token's first request is served", async () => {
    const busy = await t.account('Busy');
    await Promise.all(Array.from({ length: BURST }, () => face.send(busy.token)));
    const calm = await t.account('Calm');
    expect((await face.send(calm.token)).status).toBe(200);
  });

  it('serves the token again once Retry-After has passed', async () => {
    const { token } = await t.account('Patient');
    const burst = await Promise.all(Array.from({ length: BURST }, () => face.send(token)));
    const wait = Math.max(...burst.map((r) => Number(r.headers.get('retry-after') ?? 0)));
    expect(wait).toBeGreaterThanOrEqual(1);
    await new Promise((resolve) => setTimeout(resolve, wait * 1000 + 50));
    expect((await face.send(token)).status).toBe(200);
  });
});

it('is off unless configured: the same burst without RATE_LIMIT is all served', async () => {
  const free = await createTestApp();
  try {
    const responses = await Promise.all(Array.from({ length: BURST }, () => free.request('/rest/api/user/current', { token: free.admin.token })));
    expect(responses.map((r) => r.status)).toEqual(Array(BURST).fill(200));
  } finally {
    await free.close();
  }
});

it('counts each operation of a GraphQL batch: the operations beyond the bucket answer RATE_LIMITED', async () => {
  const { token } = await t.account('Batcher');
  const response = await t.request('/graphql', { method: 'POST', token, json: Array.from({ length: 5 }, () => ({ query: '{ me { displayName } }' })) });
  const results = await response.json();
  expect(results).toHaveLength(5);
  const limited = results.filter((r: any) => r.errors?.[0]?.extensions?.code === 'RATE_LIMITED');
  expect(limited.length).toBeGreaterThan(0);
  expect(results.filter((r: any) => r.data?.me).length).toBeGreaterThanOrEqual(PER_SECOND);
});
