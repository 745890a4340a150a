import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { LIMITS } from '../../src/graphql/limits.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { expectGraphQLErrors } from '../hostile/faces.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(() => t?.close());

const post = (body: unknown, headers: Record<string, string> = {}) =>
  t.request('/graphql', { method: 'POST', token: t.admin.token, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

const messages = (body: any): string[] => (body.errors ?? []).map((e: any) => e.message);

const relation = `id name relationData { comment createdDate createdBy { accountId displayName profilePicture { path } } }
  target { ... on Content { id title status type space { key name } version { number by { displayName } } } }`;

const fullPage = (first: number) => `relationsFrom(name: "favourite", source: {type: USER, key: "current"}, targetType: CONTENT, first: ${first}) {
  totalCount nodes { ${relation} } edges { cursor node { ${relation} } } pageInfo { hasNextPage endCursor }
}`;

describe('document limits', () => {
  it(`refuses a document nested deeper than ${LIMITS.depth} levels, naming the limit, before running it`, async () => {
    let selection = 'displayName';
    for (let i = 0; i < LIMITS.depth + 1; i++) selection = `me { ${selection} }`;
    const response = await post({ query: `{ ${selection} }` });
    const body = await response.json();
    expect(body.data).toBeUndefined();
    expect(messages(body)).toContain(`Syntax Error: Query depth limit of ${LIMITS.depth} exceeded, found ${LIMITS.depth + 2}.`);
  });

  it(`allows ${LIMITS.aliases} aliases and refuses one more`, async () => {
    const aliased = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: me { displayName }`).join(' ')} }`;
    const allowed = await (await post({ query: aliased(LIMITS.aliases) })).json();
    expect(Object.keys(allowed.data)).toHaveLength(LIMITS.aliases);
    const refused = await (await post({ query: aliased(LIMITS.aliases + 1) })).json();
    expect(refused.data).toBeUndefined();
    expect(messages(refused)).toContain(`Syntax Error: Aliases limit of ${LIMITS.aliases} exceeded, found ${LIMITS.aliases + 1}.`);
  });

  it(`refuses a document of more than ${LIMITS.tokens} tokens`, async () => {
    const query = `{ me { ${'displayName '.repeat(LIMITS.tokens)} } }`;
    const body = await (await post({ query })).json();
    expect(body.data).toBeUndefined();
    expect(messages(body)).toContain(`Syntax Error: Token limit of ${LIMITS.tokens} exceeded.`);
  });

  it('runs a full page of 200, and twelve side by side: the cost limit counts list items (test/graphql/cost.test.ts), not fields', async () => {
    const one = await (await post({ query: `{ ${fullPage(200)} }` })).json();
    expect(one.errors).toBeUndefined();
    expect(one.data.relationsFrom.totalCount).toBe(0);
    // Cost 12 × 200 = 2,400; graphql-armor's field count, once used here, refused it.
    const many = `{ ${Array.from({ length: 12 }, (_, i) => `p${i}: ${fullPage(200)}`).join('\n')} }`;
    const body = await (await post({ query: many })).json();
    expect(body.errors).toBeUndefined();
    expect(Object.keys(body.data)).toHaveLength(12);
  });

  it('keeps the limits when the document is spread over fragments', async () => {
    const fragments = Array.from({ length: LIMITS.aliases + 1 }, (_, i) => `fragment F${i} on Query { a${i}: me { displayName } }`);
    const query = `{ ${fragments.map((_, i) => `...F${i}`).join(' ')} }\n${fragments.join('\n')}`;
    const body = await (await post({ query })).json();
    expect(body.data).toBeUndefined();
    expect(messages(body).join('\n')).toMatch(/Aliases limit/);
  });
});

describe('batching', () => {
  it(`runs a batch of up to ${LIMITS.batch} operations and answers one result per operation`, async () => {
    const response = await post(Array.from({ length: LIMITS.batch }, () => ({ query: '{ me { displayName } }' })));
    expect(response.status).toBe(200);
    const results = await response.json();
    expect(results).toHaveLength(LIMITS.batch);
    for (const result of results) expect(result.data.me.displayName).toBe('Admin');
  });

  it('refuses a larger batch with 413 and a clear error', async () => {
    const response = await post(Array.from({ length: LIMITS.batch + 1 }, () => ({ query: '{ me { displayName } }' })));
    expect(response.status).toBe(413);
    const body = await response.json();
    expect(messages(body)).toEqual([`Batching is limited to ${LIMITS.batch} operations per request.`]);
  });
});

describe('CSRF prevention', () => {
  const get = (query: string, headers: Record<string, string> = {}) =>
    t.request(`/graphql?query=${encodeURIComponent(query)}`, { token: t.admin.token, headers: { accept: 'application/json', ...headers } });

  it('refuses a query over GET without a preflight header', async () => {
    const response = await get('{ me { displayName } }');
    expect(response.status).toBe(400);
    expectGraphQLErrors(await response.json(), 'CSRF_PREVENTED');
  });

  it('runs a query over GET with the graphql-require-preflight header', async () => {
    const response = await get('{ me { displayName } }', { 'graphql-require-preflight': '1' });
    expect(response.status).toBe(200);
    expect((await response.json()).data.me.displayName).toBe('Admin');
  });

  it('never runs a mutation over GET, preflight or not', async () => {
    const response = await get('mutation { createApiToken(input: {name: "x"}) { __typename } }', { 'graphql-require-preflight': '1' });
    expect(response.status).toBe(405);
    expectGraphQLErrors(await response.json());
    const tokens = await t.graphql('{ apiTokens { name } }', undefined, t.admin.token);
    expect(tokens.body.data.apiTokens.map((k: any) => k.name)).not.toContain('x');
  });

  it.each(['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/plain'])('refuses a POST a form could send (%s)', async (type) => {
    const body = type.startsWith('application/x-www')
      ? `query=${encodeURIComponent('mutation { createApiToken(input: {name: "form"}) { __typename } }')}`
      : JSON.stringify({ query: '{ me { displayName } }' });
    const response = await t.request('/graphql', { method: 'POST', token: t.admin.token, headers: { 'content-type': type }, body });
    expect(response.status).toBe(400);
    expectGraphQLErrors(await response.json(), 'CSRF_PREVENTED');
  });
});

describe('introspection and GraphiQL policy', () => {
  it('hides field suggestions when introspection is off, and shows them when it is on', async () => {
    const open = await (await post({ query: '{ me { displayNam } }' })).json();
    expect(messages(open).join()).toMatch(/Did you mean "displayName"/);
    const closed = await createTestApp({ introspection: loadConfig({ INTROSPECTION: 'false' }).introspection });
    try {
      const account = await closed.account('Closed');
      const body = (await closed.graphql('{ me { displayNam } }', undefined, account.token)).body;
      expect(messages(body).join()).not.toMatch(/displayName/);
      expect(messages(body).join()).toMatch(/Cannot query field "displayNam"/);
    } finally {
      await closed.close();
    }
  });

  it('serves no GraphiQL page with GRAPHIQL=false, and the API still works', async () => {
    const closed = await createTestApp({ graphiql: loadConfig({ GRAPHIQL: 'false' }).graphiql });
    try {
      const page = await closed.request('/graphql', { headers: { accept: 'text/html' } });
      expect(page.status).toBeGreaterThanOrEqual(400);
      expect(page.status).toBeLessThan(500);
      expect(await page.text()).not.toMatch(/GraphiQL/i);
      const body = (await closed.graphql('{ me { displayName } }', undefined, closed.admin.token)).body;
      expect(body.data.me.displayName).toBe('Admin');
    } finally {
      await closed.close();
    }
  });
});
