// Hand-picked hostile requests, among them every one the fuzzers once caught as a 5xx: each stays a 4xx in its face's format.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectFaceAnswer, faceOf } from './faces.js';
import { inUrl } from './arbitraries.js';
import { fuzzWorld, sendHostile, type FuzzWorld } from './harness.js';

let w: FuzzWorld;

beforeAll(async () => {
  w = await fuzzWorld();
});

afterAll(() => w?.close());

const deep = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
const NUL = '\u0000';

async function expect4xx(url: string, init: RequestInit & { json?: unknown }, expected?: number): Promise<any> {
  const headers = { authorization: `Bearer ${w.admin.token}`, 'content-type': 'application/json', ...(init.headers as Record<string, string>) };
  const body = init.json !== undefined ? JSON.stringify(init.json) : init.body;
  const response = await sendHostile(w, url, { ...init, headers, body }, `${init.method ?? 'GET'} ${url}`);
  expect(response).toBeDefined();
  expect(response!.status).toBeGreaterThanOrEqual(400);
  if (expected) expect(response!.status).toBe(expected);
  return response!.json();
}

describe('caught by the fuzzers once', () => {
  it('a Confluence body nested 100,000 levels deep is a 400, not a stack overflow', async () => {
    await expect4xx('/rest/api/content', { method: 'POST', body: deep(100_000) }, 400);
  });

  it.each(['variables=%zz', 'extensions=%uD800', 'extensions=x'])('GET /graphql?%s (malformed JSON parameter) is a 400', async (query) => {
    const body = await expect4xx(`/graphql?query=%7Bme%7BdisplayName%7D%7D&${query}`, { headers: { 'graphql-require-preflight': '1' } }, 400);
    expect(body.errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('a form post with a malformed variables field is a 400', async () => {
    await expect4xx(
      '/graphql',
      { method: 'POST', body: 'query=x&variables=%zz', headers: { 'content-type': 'application/x-www-form-urlencoded', 'graphql-require-preflight': '1' } },
      400,
    );
  });

  it('POST /graphql with a content type no parser reads is a 415 with a GraphQL error body', async () => {
    const body = await expect4xx('/graphql', { method: 'POST', body: '<q/>', headers: { 'content-type': 'application/xml' } }, 415);
    expect(body.errors[0].message).toMatch(/Content-Type/);
  });

  it.each(['PUT', 'PATCH', 'DELETE'])('%s /graphql is a 405 with Allow and a GraphQL error body', async (method) => {
    const body = await expect4xx('/graphql', { method, body: '{}' }, 405);
    expect(body.errors[0].extensions.code).toBe('METHOD_NOT_ALLOWED');
  });
});

describe('NUL bytes, lone surrogates and 10,000-character names reach no database as a 5xx', () => {
  const values = [`a${NUL}b`, '\uD800', 'x'.repeat(10_000), "'; DROP TABLE users; --"];

  it.each(values.map((v) => [JSON.stringify(v).slice(0, 30), v]))('in Umbraco relation fields: %s', async (_, value) => {
    await expect4xx('/umbraco/relation', { method: 'POST', json: { relationTypeAlias: value, parentId: value, childId: w.keys.content[1], comment: value } });
    await expect4xx(`/umbraco/relation/type/${inUrl(value, false)}`, {}, 404);
  });

  it.each(values.map((v) => [JSON.stringify(v).slice(0, 30), v]))('in Confluence content and space fields: %s', async (_, value) => {
    await expect4xx('/rest/api/content', { method: 'POST', json: { type: 'page', title: value, space: { key: value } } });
    await expect4xx('/rest/api/space', { method: 'POST', json: { key: value, name: value } });
  });

  it.each(values.map((v) => [JSON.stringify(v).slice(0, 30), v]))('in GraphQL variables: %s', async (_, value) => {
    const create = 'mutation($input: CreateSpaceInput!) { createSpace(input: $input) { __typename ... on Error { message } } }';
    const response = await sendHostile(
      w,
      '/graphql',
      {
        method: 'POST',
        headers: { authorization: `Bearer ${w.admin.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ query: create, variables: { input: { key: value, name: value } } }),
      },
      'createSpace',
    );
    const body = await response!.json();
    expect(body.data?.createSpace.__typename ?? body.errors?.[0].extensions.code).toMatch(/ValidationError|BAD_USER_INPUT|CreateSpaceSuccess/);
    const relation = 'query($key: String!) { relationsFrom(name: $key, source: { type: USER, key: $key }, targetType: CONTENT) { totalCount } }';
    await sendHostile(
      w,
      '/graphql',
      {
        method: 'POST',
        headers: { authorization: `Bearer ${w.admin.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ query: relation, variables: { key: value } }),
      },
      'relationsFrom',
    );
  });

  it('in a Confluence path and query, %00 and %2e%2e included, as a 4xx', async () => {
    for (const url of [
      '/rest/api/content/%00',
      `/rest/api/content/${w.keys.content[0]}?expand=%00`,
      '/rest/api/space/%2e%2e%2f%2e%2e',
      '/rest/api/content?limit=-1&limit=1',
    ]) {
      const response = await w.request(url, { token: w.admin.token });
      expect(response.status, url).toBeGreaterThanOrEqual(400);
      await expectFaceAnswer(response, faceOf(`http://x${url}`), url);
    }
  });

  it('a duplicated query parameter counts once, its first value', async () => {
    const response = await w.request('/rest/api/content?limit=1&limit=-1&start=0&start=x', { token: w.admin.token });
    expect(response.status).toBe(200);
    expect((await response.json()).limit).toBe(1);
  });

  it('an absurd limit is capped, the normal answer', async () => {
    const response = await w.request('/rest/api/relation/favourite/from/user/current/to/content?limit=99999999999999999999', { token: w.admin.token });
    expect(response.status).toBe(200);
    expect((await response.json()).limit).toBe(200);
  });
});
