// Property-based fuzzing of /graphql: variables, documents of every operation type, operationName, Accept and
// the request envelope. Every answer is a non-5xx GraphQL response ({data} or {errors}), in bounded time, and
// the process keeps serving.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlResults } from '../support/streams.js';
import { CONTENT_TYPES, GRAPHQL_ACCEPTS, RUNS, hostileJson, hostileString, inUrl, monsterJson } from './arbitraries.js';
import { NAMES, OPERATION_TYPES, expectedData, operationNamesFor, operationsDocument, retyped } from './documents.js';
import { describeRequest, expectStillServing, fuzzWorld, sendHostile, type FuzzWorld } from './harness.js';

let w: FuzzWorld;

beforeAll(async () => {
  w = await fuzzWorld();
});

afterAll(async () => {
  console.info(`hostile GraphQL: ${w?.stats.requests} requests, statuses ${JSON.stringify(w?.stats.statuses)}`);
  await w?.close();
});

const timeout = Math.max(120_000, RUNS * 600);
const REF = '{ type: $type, key: $key, status: $status, version: $version }';

/** Valid operations whose variables the fuzzer fills. */
const OPERATIONS: { query: string; variables: string[] }[] = [
  {
    query: `query($name: String!, $type: EntityType!, $key: String!, $status: String, $version: Int, $targetType: EntityType!, $first: Int, $after: String, $targetStatus: String) {
      relationsFrom(name: $name, source: ${REF}, targetType: $targetType, first: $first, after: $after, targetStatus: $targetStatus) {
        totalCount nodes { id name relationData { comment createdBy { displayName } } } pageInfo { endCursor hasNextPage } } }`,
    variables: ['name', 'type', 'key', 'status', 'version', 'targetType', 'first', 'after', 'targetStatus'],
  },
  {
    query: `query($name: String!, $type: EntityType!, $key: String!, $status: String, $version: Int, $sourceType: EntityType!, $first: Int, $after: String) {
      relationsTo(name: $name, target: ${REF}, sourceType: $sourceType, first: $first, after: $after) { totalCount edges { cursor } } }`,
    variables: ['name', 'type', 'key', 'status', 'version', 'sourceType', 'first', 'after'],
  },
  {
    query: `query($name: String!, $type: EntityType!, $key: String!, $status: String, $version: Int) {
      relation(name: $name, source: ${REF}, target: ${REF}) { id } }`,
    variables: ['name', 'type', 'key', 'status', 'version'],
  },
  {
    query: 'query($id: ID!, $status: String, $version: Int) { content(id: $id, status: $status, version: $version) { id title version { number } } }',
    variables: ['id', 'status', 'version'],
  },
  {
    query: `query($key: String!, $name: String, $targetType: EntityType, $targetStatus: String, $targetVersion: Int, $first: Int, $after: String, $orderBy: RelationOrder, $direction: RelationDirection) {
      user(key: $key) {
        relationNames(direction: $direction) { name direction otherType count }
        relationsFrom(name: $name, targetType: $targetType, targetStatus: $targetStatus, targetVersion: $targetVersion, first: $first, after: $after, orderBy: $orderBy) {
          totalCount pageInfo { endCursor }
          nodes { target { ... on Content { relationsTo(name: $name, first: $first, after: $after, orderBy: $orderBy) { totalCount nodes { id } } relationNames(direction: $direction) { count } }
                           ... on Space { relationsFrom(name: $name, first: $first) { nodes { id } } } } } } }
      space(key: $key) { relationsTo(name: $name, sourceType: $targetType, sourceStatus: $targetStatus, sourceVersion: $targetVersion, first: $first, after: $after) { totalCount nodes { id } } } }`,
    variables: ['key', 'name', 'targetType', 'targetStatus', 'targetVersion', 'first', 'after', 'orderBy', 'direction'],
  },
  {
    query: `query($id: ID!, $status: String, $name: String, $first: Int, $after: String, $sourceType: EntityType) {
      content(id: $id, status: $status) { relationsTo(name: $name, sourceType: $sourceType, first: $first, after: $after) {
        nodes { source { ... on User { relationsFrom(name: $name, first: $first) { totalCount nodes { id } } } } } } } }`,
    variables: ['id', 'status', 'name', 'first', 'after', 'sourceType'],
  },
  { query: 'query($id: ID!) { node(id: $id) { id } }', variables: ['id'] },
  { query: 'query($key: String!) { space(key: $key) { key name } user(key: $key) { accountId } }', variables: ['key'] },
  {
    query:
      'query($query: String, $first: Int, $after: String) { users(query: $query, first: $first, after: $after) { totalCount nodes { accountId } pageInfo { endCursor } } }',
    variables: ['query', 'first', 'after'],
  },
  {
    query: `query($key: String!, $contentType: String, $status: String, $first: Int, $after: String) {
      space(key: $key) { contents(type: $contentType, status: $status, first: $first, after: $after) { totalCount nodes { id title space { key } } } }
      spaces(first: $first, after: $after) { totalCount nodes { key } pageInfo { endCursor } } }`,
    variables: ['key', 'contentType', 'status', 'first', 'after'],
  },
  { query: 'mutation($input: RelationInput!) { createRelation(input: $input) { __typename } }', variables: ['input'] },
  { query: 'mutation($input: RelationInput!) { deleteRelation(input: $input) { __typename } }', variables: ['input'] },
  { query: 'mutation($input: CreateContentInput!) { createContent(input: $input) { __typename } }', variables: ['input'] },
  { query: 'mutation($input: UpdateContentInput!) { updateContent(input: $input) { __typename } }', variables: ['input'] },
  { query: 'mutation($input: CreateSpaceInput!) { createSpace(input: $input) { __typename } }', variables: ['input'] },
  { query: 'mutation($input: AddSpaceMemberInput!) { addSpaceMember(input: $input) { __typename } }', variables: ['input'] },
  { query: 'mutation($input: CreateApiTokenInput) { createApiToken(input: $input) { __typename } }', variables: ['input'] },
  { query: 'mutation($input: RevokeApiTokenInput!) { revokeApiToken(input: $input) { __typename } }', variables: ['input'] },
  { query: 'mutation($input: CreateUserInput!) { createUser(input: $input) { __typename } }', variables: ['input'] },
];

const ENTITY_TYPES = ['USER', 'SPACE', 'CONTENT'];
const INPUT_FIELDS = [
  'name',
  'source',
  'target',
  'comment',
  'type',
  'key',
  'status',
  'version',
  'spaceKey',
  'title',
  'id',
  'number',
  'level',
  'user',
  'public',
  'description',
  'email',
  'displayName',
  'admin',
  'purge',
];

/** A variable value: hostile, or plausible enough to reach the resolvers and services. */
function variableValue(name: string): fc.Arbitrary<unknown> {
  const plausible: Record<string, fc.Arbitrary<unknown>> = {
    type: fc.constantFrom(...ENTITY_TYPES),
    targetType: fc.constantFrom(...ENTITY_TYPES),
    sourceType: fc.constantFrom(...ENTITY_TYPES),
    key: fc.constantFrom('current', ...w.keys.content, ...w.keys.spaces, ...w.keys.accountIds),
    id: fc.constantFrom(...w.keys.content),
    name: fc.constantFrom('favourite', 'watch', 'related'),
    first: fc.oneof(fc.integer(), fc.constantFrom(0, -1, 200, 201, 2 ** 31 - 1)),
    version: fc.integer(),
    targetVersion: fc.integer(),
    orderBy: fc.constantFrom('CREATED_ASC', 'CREATED_DESC'),
    direction: fc.constantFrom('FROM', 'TO'),
    contentType: fc.constantFrom(...CONTENT_TYPES),
    status: fc.constantFrom('current', 'any', 'draft', 'trashed', 'historical'),
    query: hostileString,
    input: fc.dictionary(fc.constantFrom(...INPUT_FIELDS), fc.oneof(hostileJson, fc.record({ type: fc.constantFrom(...ENTITY_TYPES), key: hostileString })), {
      maxKeys: 6,
    }),
  };
  const arbitraries = [hostileJson, ...(plausible[name] ? [plausible[name], plausible[name]] : [])];
  return fc.oneof(...arbitraries);
}

const operationWithVariables = fc
  .constantFrom(...OPERATIONS)
  .chain((op) => fc.tuple(fc.constant(op.query), fc.record(Object.fromEntries(op.variables.map((v) => [v, variableValue(v)])), { requiredKeys: [] })));

/** A valid document with one edit: a character inserted, deleted or replaced, or a hostile splice. */
const mutatedDocument = fc
  .tuple(
    fc.constantFrom(...OPERATIONS.map((o) => o.query), '{ me { displayName } }', '{ __schema { types { name } } }'),
    fc.nat(),
    fc.nat({ max: 20 }),
    hostileString,
    fc.constantFrom('insert', 'delete', 'replace'),
  )
  .map(([doc, at, length, splice, how]) => {
    const i = at % (doc.length + 1);
    if (how === 'delete') return doc.slice(0, i) + doc.slice(i + length);
    return doc.slice(0, i) + splice + doc.slice(how === 'replace' ? i + length : i);
  });

/** A document with hostile values written as literals. */
const literalDocument = fc
  .tuple(hostileString, hostileString, fc.oneof(fc.bigInt().map(String), fc.constantFrom('1e400', '-0', '0x10', '2147483648', '9'.repeat(400))))
  .map(
    ([name, key, first]) =>
      `{ relationsFrom(name: ${JSON.stringify(name)}, source: { type: USER, key: ${JSON.stringify(key)} }, targetType: CONTENT, first: ${first}) { totalCount } }`,
  );

/** A valid document under another operation keyword (query, mutation, subscription, none). */
const retypedDocument = fc.tuple(fc.constantFrom(...OPERATIONS.map((o) => o.query)), fc.constantFrom(...OPERATION_TYPES, '')).map(([doc, type]) => retyped(doc, type));

/** Documents that are large or deep in one dimension. */
const monsterDocument = fc.oneof(
  fc.integer({ min: 10, max: 5_000 }).map((n) => `${'{ me '.repeat(n)}${'}'.repeat(n)}`),
  fc.integer({ min: 10, max: 5_000 }).map((n) => `{ ${'...on Query { '.repeat(n)}me { displayName }${' }'.repeat(n)} }`),
  fc.integer({ min: 10, max: 50_000 }).map((n) => `{ me { displayName @include(if: true) ${'@skip(if: false) '.repeat(n % 200)} } ${'#'.repeat(n)} }`),
  fc.integer({ min: 10, max: 2_000 }).map((n) => `query(${Array.from({ length: n }, (_, i) => `$v${i}: Int`).join(', ')}) { me { displayName } }`),
  fc.integer({ min: 10, max: 2_000 }).map((n) => `fragment A on Query { ...B } fragment B on Query { ...A } { ...A ${'me { displayName } '.repeat(n % 50)} }`),
  fc
    .integer({ min: 1, max: 1_000 })
    .map((n) => `{ relationsFrom(name: "${'x'.repeat(n * 10)}", source: { type: USER, key: "current" }, targetType: CONTENT, first: 1) { totalCount } }`),
);

const token = () =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant(w.tokens[0]) },
    { weight: 3, arbitrary: fc.constant(w.tokens[1]) },
    { weight: 1, arbitrary: fc.constantFrom(...w.tokens.slice(2)) },
  );

async function post(body: string, tk: string | undefined, contentType = 'application/json', method = 'POST', accept?: string): Promise<Response | undefined> {
  const headers: Record<string, string> = { 'content-type': contentType, ...(tk ? { authorization: `Bearer ${tk}` } : {}), ...(accept ? { accept } : {}) };
  return sendHostile(w, '/graphql', { method, headers, body }, describeRequest(method, '/graphql', headers, body));
}

/** A GET as a deliberate client sends it (with the CSRF preflight header). */
async function get(query: string, operationName: string | undefined, accept?: string): Promise<Response | undefined> {
  const url = `/graphql?query=${encodeURIComponent(query)}${operationName === undefined ? '' : `&operationName=${encodeURIComponent(operationName)}`}`;
  const headers: Record<string, string> = { authorization: `Bearer ${w.admin.token}`, 'graphql-require-preflight': '1', ...(accept ? { accept } : {}) };
  return sendHostile(w, url, { headers }, describeRequest('GET', url, headers));
}

const operationName = fc.option(fc.oneof(fc.constantFrom(...NAMES), hostileString), { nil: undefined });

describe('hostile input on the GraphQL face', () => {
  it(
    `survives hostile variables (${RUNS} cases)`,
    async () => {
      await fc.assert(
        fc.asyncProperty(operationWithVariables, token(), async ([query, variables], tk) => {
          await post(JSON.stringify({ query, variables }), tk);
        }),
        { numRuns: RUNS },
      );
      await expectStillServing(w);
    },
    timeout,
  );

  it(
    `answers every operation type, anonymous, named or several, as operationName selects (${RUNS} cases)`,
    async () => {
      await fc.assert(
        fc.asyncProperty(operationsDocument, fc.constantFrom(...GRAPHQL_ACCEPTS), fc.constantFrom('POST', 'GET'), async (doc, accept, method) => {
          // The same document with each operationName in turn: a compiled operation must never answer for another.
          for (const name of operationNamesFor(doc)) {
            const response =
              method === 'POST'
                ? await post(JSON.stringify({ query: doc.query, operationName: name }), w.admin.token, 'application/json', 'POST', accept)
                : await get(doc.query, name, accept);
            const expected = expectedData(doc, name, method);
            const [result] = await graphqlResults(response!);
            const where = `${method} ${doc.query} operationName=${name} accept=${accept} → ${response!.status} ${JSON.stringify(result)}`;
            if (expected) expect({ status: response!.status, result }, where).toEqual({ status: 200, result: { data: expected } });
            else expect({ data: result.data, failed: result.errors?.length > 0 }, where).toEqual({ data: undefined, failed: true });
          }
        }),
        { numRuns: RUNS },
      );
      await expectStillServing(w);
    },
    timeout,
  );

  it(
    `survives hostile, broken, huge and deep documents of every operation type (${RUNS} cases)`,
    async () => {
      const documents = fc.oneof(
        mutatedDocument,
        retypedDocument,
        operationsDocument.map((d) => d.query),
        literalDocument,
        monsterDocument,
        hostileString,
      );
      await fc.assert(
        fc.asyncProperty(documents, operationName, fc.constantFrom(...GRAPHQL_ACCEPTS), token(), async (query, name, accept, tk) => {
          await post(JSON.stringify({ query, operationName: name }), tk, 'application/json', 'POST', accept);
        }),
        { numRuns: RUNS },
      );
      await expectStillServing(w);
    },
    timeout,
  );

  it(
    `survives hostile request envelopes, wrong content types and GET parameters (${RUNS} cases)`,
    async () => {
      const envelope = fc.oneof(
        fc
          .record(
            { query: fc.oneof(hostileJson, fc.constant('{ me { displayName } }')), variables: hostileJson, operationName: hostileJson, extensions: hostileJson },
            { requiredKeys: [] },
          )
          .map((b) => JSON.stringify(b)),
        fc
          .array(fc.record({ query: fc.constantFrom('{ me { displayName } }', 'mutation { createApiToken { __typename } }'), variables: hostileJson }), { maxLength: 15 })
          .map((b) => JSON.stringify(b)),
        hostileJson.map((b) => JSON.stringify(b) ?? ''),
        monsterJson,
        hostileString,
      );
      const get = fc.tuple(
        fc.array(fc.tuple(fc.constantFrom('query', 'variables', 'operationName', 'extensions', 'x'), fc.oneof(hostileString, fc.constant('{ me { displayName } }'))), {
          maxLength: 5,
        }),
        fc.boolean(),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            envelope.map((body) => ({ body })),
            get.map(([pairs, raw]) => ({ pairs, raw })),
          ),
          fc.constantFrom(...CONTENT_TYPES),
          token(),
          fc.boolean(),
          fc.constantFrom('POST', 'POST', 'POST', 'PUT', 'PATCH', 'DELETE'),
          async (request, type, tk, preflight, method) => {
            if ('body' in request) {
              await post(request.body, tk, type, method);
              return;
            }
            const query = request.pairs.map(([k, v]) => `${k}=${inUrl(v, request.raw)}`).join('&');
            const headers: Record<string, string> = {
              accept: 'application/json',
              ...(tk ? { authorization: `Bearer ${tk}` } : {}),
              ...(preflight ? { 'graphql-require-preflight': '1' } : {}),
            };
            await sendHostile(w, `/graphql?${query}`, { headers }, describeRequest('GET', `/graphql?${query}`, headers));
          },
        ),
        { numRuns: RUNS },
      );
      await expectStillServing(w);
    },
    timeout,
  );
});
