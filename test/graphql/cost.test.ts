// The cost limit (DESIGN.md, Graph traversal: Cost limit): the calculator on documents against the real schema
// and a nested one, and the refusal through HTTP before any SQL beyond the token lookup.
import { buildSchema, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryCost } from '../../src/graphql/cost.js';
import { schema } from '../../src/graphql/schema/index.js';
import { createTestApp, type TestApp } from '../support/app.js';

const cost = (query: string, variables: Record<string, unknown> = {}, operationName?: string) => queryCost(schema, parse(query), variables, operationName);

const from = (args = '') => `relationsFrom(name: "favourite", source: {type: USER, key: "current"}, targetType: CONTENT${args})`;
const to = (args = '') => `relationsTo(name: "favourite", target: {type: USER, key: "current"}, sourceType: CONTENT${args})`;
const PAGE = '{ totalCount nodes { id name target { __typename ... on Content { id title } } } edges { cursor } pageInfo { hasNextPage } }';

describe('the cost of an operation on the real schema', () => {
  it('counts 25 for a list whose first is left out, and nothing for fields that are not lists', () => {
    expect(cost(`{ ${from()} ${PAGE} }`)).toBe(25);
    expect(cost('{ me { displayName } apiTokens { name } }')).toBe(0);
  });

  it('adds up root lists, aliases included', () => {
    expect(cost(`{ a: ${from(', first: 10')} ${PAGE} b: ${from(', first: 7')} ${PAGE} ${to(', first: 3')} ${PAGE} }`)).toBe(20);
  });

  it('caps first at 200 and counts a negative or refused one as 0', () => {
    expect(cost(`{ ${from(', first: 1000')} ${PAGE} }`)).toBe(200);
    expect(cost(`{ ${from(', first: 200')} ${PAGE} }`)).toBe(200);
    expect(cost(`{ ${from(', first: -5')} ${PAGE} }`)).toBe(0);
    expect(cost(`{ ${from(', first: 0')} ${PAGE} }`)).toBe(0);
  });

  it('applies variables, their defaults, and null as the default page', () => {
    const query = `query($n: Int, $m: Int = 40) { a: ${from(', first: $n')} ${PAGE} b: ${from(', first: $m')} ${PAGE} }`;
    expect(cost(query, { n: 12 })).toBe(12 + 40);
    expect(cost(query, { n: 12, m: 3 })).toBe(15);
    expect(cost(query, {})).toBe(25 + 40);
    expect(cost(query, { n: null, m: null })).toBe(50);
    expect(cost(query, { n: 500, m: -1 })).toBe(200);
    expect(cost(query, { n: 2.5, m: 'ten' })).toBe(0);
  });

  it('counts a fragment where it is spread, each time, named or inline', () => {
    const query = `query { a: ${from(', first: 10')} ...Page b: ${from(', first: 20')} ...Page ... on Query { c: ${to(', first: 5')} ${PAGE} } ...Lists }
      fragment Page on RelationConnection { totalCount nodes { id } }
      fragment Lists on Query { d: ${from(', first: 100')} ...Page e: ${from()} ...Page }`;
    expect(cost(query)).toBe(10 + 20 + 5 + 100 + 25);
  });

  it('costs the operation asked for by operationName', () => {
    const document = `query Small { ${from(', first: 1')} ${PAGE} } query Large { ${from(', first: 99')} ${PAGE} }`;
    expect(cost(document, {}, 'Small')).toBe(1);
    expect(cost(document, {}, 'Large')).toBe(99);
  });

  it('counts fields under @skip and @include as if included', () => {
    expect(cost(`query($no: Boolean = true) { ${from(', first: 10')} @skip(if: $no) ${PAGE} ${to(', first: 5')} @include(if: false) ${PAGE} }`)).toBe(15);
  });

  it('charges nothing for introspection', () => {
    expect(cost('{ __schema { types { name fields { name } } } __type(name: "Query") { name } __typename }')).toBe(0);
  });
});

// Nested lists, on a schema shaped as the graph will be: a list is any field with a `first` argument.
const nested = buildSchema(`
  type Query { relationsFrom(first: Int): Connection!  users(first: Int = 3): [User!]!  relation: Relation  byName(name: String): Connection! }
  type Connection { totalCount: Int! nodes: [Relation!]! }
  type Relation { id: ID! source: Entity! target: Entity! }
  union Entity = User | Content
  type User { id: ID! relationsFrom(first: Int): Connection! }
  type Content { id: ID! relationsTo(first: Int): Connection! versions: [Int!]! }
`);
const nestedCost = (query: string, variables: Record<string, unknown> = {}) => queryCost(nested, parse(query), variables);

describe('the cost of nested lists', () => {
  it('multiplies the page sizes on the path: 25 + 25 × 10 + 25 × 10 × 5', () => {
    const query = `{ relationsFrom(first: 25) { nodes { target { ... on Content { relationsTo(first: 10) { nodes {
      source { ... on User { relationsFrom(first: 5) { totalCount nodes { id } } } } } } } } } } }`;
    expect(nestedCost(query)).toBe(1525);
  });

  it('multiplies through named fragments, variables and defaults', () => {
    const query = `query($outer: Int, $inner: Int = 4) { relationsFrom(first: $outer) { nodes { ...Target } } }
      fragment Target on Relation { target { ... on Content { relationsTo(first: $inner) { totalCount } } ... on User { relationsFrom { totalCount } } } }`;
    expect(nestedCost(query, { outer: 10 })).toBe(10 + 10 * 4 + 10 * 25);
    expect(nestedCost(query, { outer: 300, inner: 300 })).toBe(200 + 200 * 200 + 200 * 25);
    expect(nestedCost(query, { outer: -1, inner: 9 })).toBe(0);
  });

  it('decides from the schema, not from names: a field default applies, a list without first is free', () => {
    expect(nestedCost('{ users { id relationsFrom(first: 2) { totalCount } } }')).toBe(3 + 3 * 2);
    expect(nestedCost('{ byName(name: "x") { nodes { target { ... on Content { versions } } } } }')).toBe(0);
    expect(nestedCost('{ relation { source { ... on User { relationsFrom(first: 7) { totalCount } } } } }')).toBe(7);
  });

  it('costs a fragment spread many times over in linear time', () => {
    // F9 spreads F8 twice, ..., F0: 2^10 spreads of one list, costed once per fragment.
    const fragments = Array.from({ length: 10 }, (_, i) =>
      i === 0 ? 'fragment F0 on Query { relationsFrom(first: 1) { totalCount } }' : `fragment F${i} on Query { ...F${i - 1} ...F${i - 1} }`,
    );
    expect(nestedCost(`{ ...F9 } ${fragments.join(' ')}`)).toBe(2 ** 9);
  });

  it('costs 2^39 spreads without visiting each: every fragment once per request, from the compiled cost too', () => {
    const fragments = Array.from({ length: 40 }, (_, i) =>
      i === 0 ? 'fragment F0 on Query { relationsFrom(first: 1) { totalCount } }' : `fragment F${i} on Query { ...F${i - 1} ...F${i - 1} }`,
    );
    const document = parse(`{ ...F39 } ${fragments.join(' ')}`);
    expect(queryCost(nested, document)).toBe(2 ** 39);
    expect(queryCost(nested, document)).toBe(2 ** 39);
  });
});

describe('the cost limit over HTTP', () => {
  const BUDGET = 100;
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ maxQueryCost: BUDGET });
  });

  afterAll(() => t?.close());

  const aliased = (sizes: number[]) => `{ ${sizes.map((n, i) => `p${i}: ${from(`, first: ${n}`)} ${PAGE}`).join(' ')} }`;

  it('refuses an operation above the budget with QUERY_TOO_COSTLY and its cost, after only the token lookup', async () => {
    const before = t.db.statements.count;
    const { status, body } = await t.graphql(aliased([60, 41]), undefined, t.admin.token);
    expect(t.db.statements.count - before).toBe(1);
    expect(status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0].extensions).toEqual({ code: 'QUERY_TOO_COSTLY', cost: 101, maxCost: BUDGET });
    expect(body.errors?.[0].message).toMatch(/Query cost 101 exceeds the limit of 100/);
  });

  it('runs an operation at exactly the budget', async () => {
    const { status, body } = await t.graphql(aliased([60, 40]), undefined, t.admin.token);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.p0.totalCount).toBe(0);
  });

  it('costs with the request variables and the operation named by operationName', async () => {
    const query = `query Big($n: Int) { a: ${from(', first: $n')} ${PAGE} b: ${from()} ${PAGE} } query Small { ${from(', first: 1')} ${PAGE} }`;
    const send = (operationName: string, variables: Record<string, unknown>) =>
      t
        .request('/graphql', { method: 'POST', token: t.admin.token, json: { query, variables, operationName } })
        .then(async (r) => ({ status: r.status, body: await r.json() }));
    expect((await send('Big', { n: 75 })).body.errors).toBeUndefined();
    const refused = await send('Big', { n: 76 });
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].extensions).toEqual({ code: 'QUERY_TOO_COSTLY', cost: 101, maxCost: BUDGET });
    expect((await send('Small', { n: 1000 })).body.errors).toBeUndefined();
  });

  it('costs each operation of a batch on its own', async () => {
    const response = await t.request('/graphql', {
      method: 'POST',
      token: t.admin.token,
      json: [{ query: aliased([100]) }, { query: aliased([100, 1]) }, { query: aliased([100]) }],
    });
    const results = await response.json();
    expect(results.map((r: any) => r.errors?.[0].extensions.code ?? 'OK')).toEqual(['OK', 'QUERY_TOO_COSTLY', 'OK']);
  });

  it('leaves a negative first to the field: BAD_USER_INPUT naming it, not a 500', async () => {
    const { status, body } = await t.graphql(`query($n: Int) { ${from(', first: $n')} ${PAGE} }`, { n: -3 }, t.admin.token);
    expect(status).toBeLessThan(500);
    expect(body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it('reads first as a null variable as the default page', async () => {
    const { status, body } = await t.graphql(`query($n: Int) { ${from(', first: $n')} ${PAGE} }`, { n: null }, t.admin.token);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const refused = await t.graphql(
      `query($n: Int) { a: ${from(', first: $n')} ${PAGE} b: ${from(', first: $n')} ${PAGE} c: ${from(', first: $n')} ${PAGE} d: ${from(', first: $n')} ${PAGE} e: ${from(', first: $n')} ${PAGE} }`,
      { n: null },
      t.admin.token,
    );
    expect(refused.status).toBe(400);
    expect(refused.body.errors?.[0].extensions).toEqual({ code: 'QUERY_TOO_COSTLY', cost: 125, maxCost: BUDGET });
  });

  it('answers a variable of the wrong type as graphql-js does, not with a 500', async () => {
    const { status, body } = await t.graphql(`query($n: Int) { ${from(', first: $n')} ${PAGE} }`, { n: 'many' }, t.admin.token);
    expect(status).toBe(400);
    expect(body.errors?.[0].message).toMatch(/\$n/);
  });
});
