// A seeded storm of creates and deletes over all three faces. Each relation key is a lane whose operations
// run one after another; the lanes run at once. So every answer, and the final state, must equal a serial
// replay of each lane's acknowledged operations.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { LONG, prng, SEED } from './support.js';

const LANES = LONG ? 64 : 16;
const OPS_PER_LANE = LONG ? 40 : 12;
const NAMES = ['storm-a', 'storm-b'];

type Face = 'graphql' | 'confluence' | 'umbraco';
interface Key {
  name: string;
  source: string;
  target: string;
}
/** What a serial replay of the lane's acknowledged operations says about its key. */
interface Model {
  present: boolean;
  createdDate?: string;
  /** Known once a face that shows it (GraphQL, Umbraco) has answered for the current row. */
  id?: number;
}

const CREATE = `mutation($input: RelationInput!) { createRelation(input: $input) {
  __typename ... on CreateRelationSuccess { created relation { id relationData { createdDate } } } } }`;
const DELETE = `mutation($input: RelationInput!) { deleteRelation(input: $input) { __typename ... on DeleteRelationSuccess { deleted } } }`;

let t: TestApp;
const pages: string[] = [];

beforeAll(async () => {
  t = await createTestApp();
  await t.request('/rest/api/space', { method: 'POST', token: t.admin.token, json: { key: 'STORM', name: 'Storm' } });
  for (let i = 0; i < 6; i++) {
    const page = await t.request('/rest/api/content', { method: 'POST', token: t.admin.token, json: { space: { key: 'STORM' }, title: `Page ${i}`, type: 'page' } });
    pages.push(((await page.json()) as { id: string }).id);
  }
});
afterAll(() => t?.close());

const input = (key: Key) => ({ name: key.name, source: { type: 'CONTENT', key: key.source }, target: { type: 'CONTENT', key: key.target } });
const confluencePath = (key: Key) => `/rest/api/relation/${key.name}/from/content/${key.source}/to/content/${key.target}?expand=relationData`;
const relationId = (globalId: string) => Number(/^Relation:(\d+)$/.exec(Buffer.from(globalId, 'base64').toString())![1]);

/** Sends one operation through a face, checks its answer against the model, and returns the model after it. */
async function apply(key: Key, model: Model, op: 'create' | 'delete', face: Face, token: string): Promise<Model> {
  const where = `${face} ${op} ${JSON.stringify(key)} (seed ${SEED})`;
  if (face === 'graphql') {
    const { status, body } = await t.graphql(op === 'create' ? CREATE : DELETE, { input: input(key) }, token);
    expect(status, where).toBe(200);
    if (op === 'delete') {
      expect(body.data.deleteRelation, where).toEqual({ __typename: 'DeleteRelationSuccess', deleted: model.present });
      return { present: false };
    }
    const { created, relation } = body.data.createRelation;
    expect(created, where).toBe(!model.present);
    if (model.present) expect(relation.relationData.createdDate, where).toBe(model.createdDate);
    return { present: true, createdDate: relation.relationData.createdDate, id: relationId(relation.id) };
  }
  if (face === 'confluence') {
    const response = await t.request(confluencePath(key), { method: op === 'create' ? 'PUT' : 'DELETE', token });
    if (op === 'delete') {
      expect(response.status, where).toBe(204);
      return { present: false };
    }
    expect(response.status, where).toBe(200);
    const createdDate = ((await response.json()) as { relationData: { createdDate: string } }).relationData.createdDate;
    if (model.present) expect(createdDate, where).toBe(model.createdDate);
    return { present: true, createdDate, id: model.present ? model.id : undefined };
  }
  if (op === 'delete') {
    const response = await t.request(`/umbraco/relation/${model.id}`, { method: 'DELETE', token });
    expect(response.status, where).toBe(200);
    expect(((await response.json()) as { _id: number })._id, where).toBe(model.id);
    return { present: false };
  }
  const response = await t.request('/umbraco/relation', {
    method: 'POST',
    token,
    json: { parentId: key.source, childId: key.target, relationTypeAlias: key.name },
  });
  expect(response.status, where).toBe(model.present ? 200 : 201);
  const body = (await response.json()) as { _id: number; _createDate: string };
  if (model.present) {
    expect(body._createDate, where).toBe(model.createdDate);
    if (model.id !== undefined) expect(body._id, where).toBe(model.id);
  }
  return { present: true, createdDate: body._createDate, id: body._id };
}

describe(`a storm of ${LANES} lanes × ${OPS_PER_LANE} creates and deletes over GraphQL, Confluence and Umbraco`, () => {
  test('every answer and the final state equal the serial replay of each lane', { timeout: 120_000 }, async () => {
    const random = prng(SEED);
    const writer = await t.account('Writer');
    const keys: Key[] = [];
    while (keys.length < LANES) {
      const key = { name: random.pick(NAMES), source: random.pick(pages), target: random.pick(pages) };
      if (!keys.some((k) => k.name === key.name && k.source === key.source && k.target === key.target)) keys.push(key);
    }
    // The plan is drawn up front, so one seed always means the same operations.
    const plans = keys.map(() =>
      Array.from({ length: OPS_PER_LANE }, () => ({
        op: random.next() < 0.55 ? ('create' as const) : ('delete' as const),
        face: random.pick<Face>(['graphql', 'confluence', 'umbraco']),
        token: random.next() < 0.5 ? t.admin.token : writer.token,
      })),
    );

    const finals = await Promise.all(
      keys.map(async (key, lane) => {
        let model: Model = { present: false };
        for (const { op, face, token } of plans[lane]) {
          // Umbraco deletes by id: without a known id the same delete goes through Confluence.
          const via = face === 'umbraco' && op === 'delete' && model.id === undefined ? 'confluence' : face;
          model = await apply(key, model, op, via, token);
        }
        return model;
      }),
    );

    const rows = await t.db.prisma.relation.findMany({ where: { name: { in: NAMES } }, orderBy: { id: 'asc' } });
    const actual = rows.map((r) => `${r.name} ${r.sourceId}->${r.targetId}`).sort();
    const expected = keys
      .filter((_, lane) => finals[lane].present)
      .map((k) => `${k.name} ${k.source}->${k.target}`)
      .sort();
    expect(actual, `seed ${SEED}`).toEqual(expected);
    for (const [lane, key] of keys.entries()) {
      const model = finals[lane];
      if (!model.present) continue;
      const row = rows.find((r) => r.name === key.name && String(r.sourceId) === key.source && String(r.targetId) === key.target)!;
      if (model.id !== undefined) expect(row.id, `seed ${SEED}`).toBe(model.id);
      expect(row.createdAt.toISOString(), `seed ${SEED}`).toBe(model.createdDate);
    }
  });
});
