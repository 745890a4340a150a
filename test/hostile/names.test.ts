// Generated lookalikes of the reserved names and malformed names, sent to every face that creates relations: each
// is refused as bad input in the face's own format (never a 5xx), and none is ever stored.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUNS, lookalikeName, malformedName } from './arbitraries.js';
import { expectStillServing, fuzzWorld, sendHostile, type FuzzWorld } from './harness.js';

let w: FuzzWorld;

beforeAll(async () => {
  w = await fuzzWorld();
});

afterAll(async () => {
  console.info(`hostile names: ${w?.stats.requests} requests, statuses ${JSON.stringify(w?.stats.statuses)}`);
  await w?.close();
});

const timeout = Math.max(120_000, RUNS * 600);
const json = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
const CREATE = 'mutation($input: RelationInput!) { createRelation(input: $input) { __typename ... on ValidationError { field } } }';

/** Creates a relation named `name` on one face, as its own user (so only the name can be at fault); returns whether it was refused as bad input. */
async function refusedOn(face: 'graphql' | 'confluence' | 'umbraco', name: string, tried: Set<string>): Promise<boolean> {
  const [page, other] = w.keys.content;
  tried.add(name);
  if (face === 'graphql') {
    const input = { name, source: { type: 'USER', key: 'current' }, target: { type: 'CONTENT', key: page } };
    const response = await sendHostile(
      w,
      '/graphql',
      { method: 'POST', headers: json(w.admin.token), body: JSON.stringify({ query: CREATE, variables: { input } }) },
      `graphql ${JSON.stringify(name)}`,
    );
    const result = (await response!.json()).data?.createRelation;
    return result?.__typename === 'ValidationError' && result.field === 'name';
  }
  if (face === 'confluence') {
    const url = `/rest/api/relation/${encodeURIComponent(name)}/from/content/${page}/to/content/${other}`;
    const response = await sendHostile(w, url, { method: 'PUT', headers: { authorization: `Bearer ${w.admin.token}` } }, `PUT ${JSON.stringify(name)}`);
    return response!.status === 400;
  }
  const body = JSON.stringify({ parentId: page, childId: other, relationTypeAlias: name });
  const response = await sendHostile(w, '/umbraco/relation', { method: 'POST', headers: json(w.admin.token), body }, `umbraco ${JSON.stringify(name)}`);
  if (response!.status !== 422) return false;
  const details = (await response!.json()).error.details as { target?: string }[];
  return details.some((d) => d.target === 'relationTypeAlias');
}

const face = fc.constantFrom('graphql' as const, 'confluence' as const, 'umbraco' as const);

async function expectAllRefused(names: fc.Arbitrary<string>): Promise<void> {
  const tried = new Set<string>();
  await fc.assert(
    fc.asyncProperty(face, names, async (f, name) => {
      expect(await refusedOn(f, name, tried), `${f} ${JSON.stringify(name)}`).toBe(true);
    }),
    { numRuns: RUNS },
  );
  expect(await w.db.prisma.relation.count({ where: { name: { in: [...tried] } } }), 'stored anyway').toBe(0);
  await expectStillServing(w);
}

describe('names no new relation may carry', () => {
  it(`a lookalike of favourite or watch is refused on every face, and never stored (${RUNS} cases)`, () => expectAllRefused(lookalikeName), timeout);

  it(
    `a name with an invisible character, surrounding whitespace or not in NFC is refused on every face, and never stored (${RUNS} cases)`,
    () => expectAllRefused(malformedName),
    timeout,
  );
});
