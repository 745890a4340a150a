// What the executor answers for operations it cannot run, and which operation of a document it runs.
import { createSchema, createYoga } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compiledExecution } from '../../src/graphql/jit.js';
import { supportedOperations } from '../../src/graphql/operations.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { freshPlace, startServe, TOKEN } from '../support/processes.js';
import { graphqlResults } from '../support/streams.js';
import { ok } from './operations.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(() => t?.close());

const UNKNOWN_FIELD = {
  errors: [
    {
      message: 'Cannot query field "x" on type "Subscription".',
      locations: [{ line: 1, column: 16 }],
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    },
  ],
};

async function post(body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await t.request('/graphql', { method: 'POST', token: t.admin.token, headers, json: body });
  return { status: response.status, type: response.headers.get('content-type'), results: await graphqlResults(response) };
}

const tokenNames = async () => (await ok(t, t.admin.token, '{ apiTokens { name } }')).apiTokens.map((k: { name: string }) => k.name);

// The schema has a Subscription type (relationEvents, docs/events.md): what once answered 500 and then "not supported"
// is now an ordinary validation error, answered as yoga answers any, except under SSE (see src/graphql/sse.ts).
describe('a subscription the schema cannot answer', () => {
  it('the reported request, `subscription { x }` as curl sends it, is a validation error, not a 500', async () => {
    const { status, results } = await post({ query: 'subscription { x }' }, { accept: '*/*' });
    expect(status).toBeLessThan(500);
    expect(results).toEqual([UNKNOWN_FIELD]);
  });

  it.each([
    ['application/json', 200],
    ['application/graphql-response+json', 400],
    ['multipart/mixed', 400],
    // An EventSource retries a 200 that ends: a document that can never run is a 400, so it gives up.
    ['text/event-stream', 400],
  ])('under accept: %s it is a %i with the same error', async (accept, expected) => {
    const { status, type, results } = await post({ query: 'subscription { x }' }, { accept });
    expect(status).toBe(expected);
    expect(type).toContain(accept);
    expect(results).toEqual([UNKNOWN_FIELD]);
  });

  it('runs nothing: a mutation field under `subscription` creates no token', async () => {
    const { status } = await post({ query: 'subscription { createApiToken(input: { name: "via-subscription" }) { __typename } }' }, { accept: 'text/event-stream' });
    expect(status).toBe(400);
    expect(await tokenNames()).not.toContain('via-subscription');
  });

  it('is a 400 over GET as an EventSource asks', async () => {
    const response = await t.request(`/graphql?query=${encodeURIComponent('subscription { x }')}`, {
      token: t.admin.token,
      headers: { 'graphql-require-preflight': '1', accept: 'text/event-stream' },
    });
    expect(response.status).toBe(400);
    expect(await graphqlResults(response)).toEqual([UNKNOWN_FIELD]);
  });
});

describe('a document with several operations', () => {
  const DOCUMENT = 'query Me { me { displayName } }\nquery Type { __typename }';

  it('runs the operation operationName names, each in turn', async () => {
    for (const [operationName, data] of [
      ['Me', { me: { displayName: 'Admin' } }],
      ['Type', { __typename: 'Query' }],
      ['Me', { me: { displayName: 'Admin' } }],
    ] as const) {
      const { status, results } = await post({ query: DOCUMENT, operationName });
      expect({ operationName, status, results }).toEqual({ operationName, status: 200, results: [{ data }] });
    }
  });

  it('never runs a mutation of the document for a query sent over GET', async () => {
    const query = 'query Q { me { displayName } }\nmutation M { createApiToken(input: { name: "shared-document" }) { __typename } }';
    expect((await post({ query, operationName: 'M' })).results).toEqual([{ data: { createApiToken: { __typename: 'CreateApiTokenSuccess' } } }]);
    const url = `/graphql?query=${encodeURIComponent(query)}&operationName=Q`;
    const response = await t.request(url, { token: t.admin.token, headers: { 'graphql-require-preflight': '1' } });
    expect({ status: response.status, body: await response.json() }).toEqual({ status: 200, body: { data: { me: { displayName: 'Admin' } } } });
    expect((await tokenNames()).filter((name: string) => name === 'shared-document')).toHaveLength(1);
  });
});

describe('the reported request against a served gateway', () => {
  it('answers a validation error, not a 500, and logs no stack trace', { timeout: 120_000 }, async () => {
    const place = await freshPlace();
    const served = await startServe({ ...place.env, DEMO: 'false' });
    try {
      const token = served.output().match(TOKEN)![0];
      const response = await fetch(`${served.url}/graphql`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: '*/*' },
        body: JSON.stringify({ query: 'subscription { x }' }),
      });
      expect({ status: response.status, body: await response.json() }).toEqual({ status: 200, body: UNKNOWN_FIELD });
      expect(served.output()).not.toMatch(/No root type|\n\s+at /);
    } finally {
      await served.stop('SIGKILL');
      await place.cleanup();
    }
  });
});

describe('the same executor on a schema with a Subscription type and no Mutation type', () => {
  const schema = createSchema({
    typeDefs: 'type Query { ok: Boolean } type Subscription { count(to: Int!): Int! }',
    resolvers: {
      Subscription: {
        count: {
          subscribe: async function* (_: unknown, { to }: { to: number }) {
            for (let i = 1; i <= to; i++) yield { count: i };
          },
        },
      },
    },
  });
  const yoga = createYoga({ schema, plugins: [supportedOperations, compiledExecution()], logging: false });
  const send = async (body: Record<string, unknown>, accept: string) => {
    const response = await yoga.fetch('http://yoga/graphql', { method: 'POST', headers: { 'content-type': 'application/json', accept }, body: JSON.stringify(body) });
    return { status: response.status, results: response.status === 406 ? [] : await graphqlResults(response) };
  };

  it('streams a subscription over SSE, with its arguments written inline', async () => {
    expect(await send({ query: 'subscription { count(to: 3) }' }, 'text/event-stream')).toEqual({
      status: 200,
      results: [1, 2, 3].map((count) => ({ data: { count } })),
    });
  });

  it('streams a subscription over SSE, with its arguments from variables of other names', async () => {
    const body = { query: 'subscription($n: Int!) { count(to: $n) }', variables: { n: 2 } };
    expect(await send(body, 'text/event-stream')).toEqual({ status: 200, results: [1, 2].map((count) => ({ data: { count } })) });
  });

  it('answers 406 for a subscription to a client that only accepts JSON', async () => {
    expect((await send({ query: 'subscription { count(to: 3) }' }, 'application/json')).status).toBe(406);
  });

  it('answers 400 for a subscription whose variables do not coerce', async () => {
    const { status, results } = await send({ query: 'subscription($to: Int!) { count(to: $to) }', variables: { to: 'three' } }, 'text/event-stream');
    expect(status).toBe(400);
    expect(results[0].errors[0].message).toMatch(/\$to/);
  });

  it('answers 400 before anything runs for what the JIT cannot compile, even without the validation rule', async () => {
    const bare = createYoga({ schema, plugins: [compiledExecution()], logging: false });
    const response = await bare.fetch('http://yoga/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation { ok }' }),
    });
    expect(response.status).toBe(400);
    expect((await response.json()).errors).toEqual([
      { message: 'This operation cannot be executed: No root type for operation mutation', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
    ]);
  });

  it('answers 400 for the operation type this schema lacks', async () => {
    const { status, results } = await send({ query: 'mutation { ok }' }, 'text/event-stream');
    expect(status).toBe(400);
    expect(results[0].errors[0]).toMatchObject({ message: 'The mutation operation is not supported by the schema.', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
  });
});
