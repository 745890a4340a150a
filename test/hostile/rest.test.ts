// Property-based fuzzing of both REST faces: paths, query parameters, headers and bodies. Every answer is a
// non-5xx in the face's own error format, in bounded time, and the process keeps serving.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { CONTENT_TYPES, HEADER_NAMES, RUNS, headerValue, hostileJson, hostileString, inUrl, monsterJson } from './arbitraries.js';
import { describeRequest, expectStillServing, fuzzWorld, sendHostile, type FuzzWorld } from './harness.js';

let w: FuzzWorld;

beforeAll(async () => {
  w = await fuzzWorld();
});

afterAll(async () => {
  console.info(`hostile REST: ${w?.stats.requests} requests, statuses ${JSON.stringify(w?.stats.statuses)}`);
  await w?.close();
});

type Slot = 'content' | 'space' | 'type' | 'name' | 'account' | 'relation' | 'any';
interface Route {
  method: string;
  path: string;
}

const CONFLUENCE: Route[] = [
  ...['GET', 'POST'].map((method) => ({ method, path: '/content' })),
  ...['GET', 'PUT', 'DELETE'].map((method) => ({ method, path: '/content/{content}' })),
  { method: 'GET', path: '/longtask/{any}' },
  { method: 'GET', path: '/relation/{name}/from/{type}/{any}/to/{type}' },
  { method: 'GET', path: '/relation/{name}/to/{type}/{any}/from/{type}' },
  ...['GET', 'PUT', 'DELETE'].map((method) => ({ method, path: '/relation/{name}/from/{type}/{any}/to/{type}/{any}' })),
  ...['GET', 'POST'].map((method) => ({ method, path: '/space' })),
  { method: 'POST', path: '/space/_private' },
  ...['GET', 'DELETE'].map((method) => ({ method, path: '/space/{space}' })),
  { method: 'GET', path: '/user' },
  { method: 'GET', path: '/user/current' },
  ...['GET', 'POST', 'DELETE'].map((method) => ({ method, path: '/user/watch/content/{content}' })),
  ...['GET', 'POST', 'DELETE'].map((method) => ({ method, path: '/user/watch/space/{space}' })),
  { method: 'GET', path: '/openapi.json' },
  { method: 'PATCH', path: '/{any}/{any}' },
];

const UMBRACO: Route[] = [
  { method: 'GET', path: '/relation/type' },
  { method: 'GET', path: '/relation/type/{name}' },
  { method: 'GET', path: '/relation/parent/{content}' },
  { method: 'GET', path: '/relation/child/{content}' },
  { method: 'GET', path: '/relation/{any}' },
  { method: 'GET', path: '/relation/{relation}' },
  { method: 'POST', path: '/relation' },
  { method: 'DELETE', path: '/relation/{any}' },
  { method: 'PUT', path: '/relation/{relation}' },
  { method: 'GET', path: '/{any}/{any}/{any}' },
];

const QUERY_NAMES = [
  'expand',
  'limit',
  'start',
  'cursor',
  'status',
  'version',
  'spaceKey',
  'title',
  'type',
  'accountId',
  'key',
  'username',
  'favourite',
  'spaceId',
  'page',
  'pageSize',
  'api-version',
];
const BODY_FIELDS = [
  'type',
  'title',
  'status',
  'space',
  'key',
  'name',
  'description',
  'body',
  'version',
  'number',
  'ancestors',
  'relationTypeAlias',
  'parentId',
  'childId',
  'comment',
  'id',
  '__proto__',
  'constructor',
];

/** A value for a path slot: mostly hostile, sometimes real so the hostile rest reaches deeper code. */
function slotValue(slot: Slot): fc.Arbitrary<string> {
  const real: Record<Slot, string[]> = {
    content: w.keys.content,
    space: w.keys.spaces,
    type: ['user', 'content', 'space', 'USER', 'Content'],
    name: ['favourite', 'watch', 'related', 'like'],
    account: w.keys.accountIds,
    relation: w.keys.relationIds,
    any: [...w.keys.content, 'current'],
  };
  return fc.oneof({ weight: 3, arbitrary: hostileString }, { weight: 1, arbitrary: fc.constantFrom(...real[slot]) });
}

/** A route with each slot filled; `hostilePath` false keeps the slots real. */
function pathOf(route: Route, hostilePath: boolean): fc.Arbitrary<string> {
  const slots = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as Slot);
  const hostile = (slot: Slot) => fc.tuple(slotValue(slot), fc.boolean()).map(([v, raw]) => inUrl(v, raw));
  const safe = (slot: Slot) => fc.constantFrom(...(slot === 'space' ? w.keys.spaces : slot === 'type' ? ['content'] : slot === 'name' ? ['favourite'] : w.keys.content));
  return fc.tuple(...slots.map(hostilePath ? hostile : safe)).map((filled) => {
    let i = 0;
    return route.path.replace(/\{\w+\}/g, () => filled[i++]);
  });
}

const queryPairs: fc.Arbitrary<[string, string][]> = fc.array(
  fc.tuple(
    fc.oneof(fc.constantFrom(...QUERY_NAMES), hostileString),
    fc.oneof(hostileString, fc.constantFrom('0', '25', '200', '201', '-1', 'relationData,target.space', 'any', 'current', 'historical')),
  ),
  { maxLength: 6 },
);

const queryString = (pairs: [string, string][], raw: boolean) => (pairs.length ? `?${pairs.map(([k, v]) => `${inUrl(k, raw)}=${inUrl(v, raw)}`).join('&')}` : '');

const shapedBody: fc.Arbitrary<unknown> = fc.dictionary(fc.constantFrom(...BODY_FIELDS), hostileJson, { maxKeys: 6 });

const bodyText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: shapedBody.map((b) => JSON.stringify(b)) },
  { weight: 2, arbitrary: hostileJson.map((b) => JSON.stringify(b) ?? 'null') },
  { weight: 1, arbitrary: monsterJson },
  { weight: 1, arbitrary: hostileString },
);

const contentType = fc.oneof(
  { weight: 3, arbitrary: fc.constant('application/json') },
  { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

// Mostly real tokens: an unauthenticated request stops at the door and tests little else.
const token = () =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant(w.tokens[0]) },
    { weight: 3, arbitrary: fc.constant(w.tokens[1]) },
    { weight: 1, arbitrary: fc.constantFrom(...w.tokens.slice(2)) },
  );

interface Case {
  route: Route;
  path: string;
  query: string;
  headers: Record<string, string>;
  body?: string;
}

async function run(prefix: string, c: Case): Promise<void> {
  const url = prefix + c.path + c.query;
  const method = c.route.method;
  const hasBody = c.body !== undefined && method !== 'GET';
  await sendHostile(w, url, { method, headers: c.headers, body: hasBody ? c.body : undefined }, describeRequest(method, url, c.headers, c.body));
}

function auth(tokenValue: string | undefined): Record<string, string> {
  return tokenValue ? { authorization: `Bearer ${tokenValue}` } : {};
}

const faces = { confluence: { routes: CONFLUENCE, prefixes: ['/rest/api', '/wiki/rest/api'] }, umbraco: { routes: UMBRACO, prefixes: ['/umbraco'] } };

describe.each(Object.entries(faces))('hostile input on the %s face', (_, face) => {
  const timeout = Math.max(120_000, RUNS * 600);
  const route = () => fc.constantFrom(...face.routes);
  const prefix = () => fc.constantFrom(...face.prefixes);

  it(
    `survives hostile paths (${RUNS} cases)`,
    async () => {
      await fc.assert(
        fc.asyncProperty(
          prefix(),
          route().chain((r) => fc.tuple(fc.constant(r), pathOf(r, true))),
          token(),
          async (p, [r, path], tk) => {
            await run(p, { route: r, path, query: '', headers: auth(tk) });
          },
        ),
        { numRuns: RUNS },
      );
      await expectStillServing(w);
    },
    timeout,
  );

  it(
    `survives hostile, malformed and duplicate query parameters (${RUNS} cases)`,
    async () => {
      await fc.assert(
        fc.asyncProperty(
          prefix(),
          route().chain((r) => fc.tuple(fc.constant(r), pathOf(r, false))),
          queryPairs,
          fc.boolean(),
          token(),
          async (p, [r, path], pairs, raw, tk) => {
            await run(p, { route: r, path, query: queryString(pairs, raw), headers: auth(tk) });
          },
        ),
        { numRuns: RUNS },
      );
      await expectStillServing(w);
    },
    timeout,
  );

  it(
    `survives hostile headers (${RUNS} cases)`,
    async () => {
      await fc.assert(
        fc.asyncProperty(
          prefix(),
          route().chain((r) => fc.tuple(fc.constant(r), pathOf(r, false))),
          fc.dictionary(fc.constantFrom(...HEADER_NAMES), headerValue, { maxKeys: 4 }),
          token(),
          async (p, [r, path], headers, tk) => {
            await run(p, { route: r, path, query: '', headers: { ...auth(tk), ...headers }, body: r.method === 'GET' ? undefined : '{}' });
          },
        ),
        { numRuns: RUNS },
      );
      await expectStillServing(w);
    },
    timeout,
  );

  it(
    `survives hostile bodies, huge and deep JSON and wrong content types (${RUNS} cases)`,
    async () => {
      const writes = face.routes.filter((r) => r.method !== 'GET' && r.method !== 'DELETE');
      await fc.assert(
        fc.asyncProperty(
          prefix(),
          fc.constantFrom(...writes).chain((r) => fc.tuple(fc.constant(r), pathOf(r, false))),
          bodyText,
          contentType,
          token(),
          async (p, [r, path], body, type, tk) => {
            await run(p, { route: r, path, query: '', headers: { ...auth(tk), ...(type ? { 'content-type': type } : {}) }, body });
          },
        ),
        { numRuns: RUNS },
      );
      await expectStillServing(w);
    },
    timeout,
  );
});
