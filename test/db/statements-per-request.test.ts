// How many SQL statements a request of each common shape issues, counted at the driver (deterministic,
// unlike its time): the token with its user, one statement that resolves the ends it names
// (src/services/prefetch.ts), then the read or the write itself.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestApp, type Account, type TestApp } from '../support/app.js';

let t: TestApp;
let member: Account;
let page: string;
let other: string;

beforeAll(async () => {
  t = await createTestApp();
  member = await t.account('Member');
  await t.request('/rest/api/space', { method: 'POST', token: t.admin.token, json: { key: 'COUNT', name: 'Counted' } });
  await t.graphql(
    `mutation($i: AddSpaceMemberInput!) { addSpaceMember(input: $i) { __typename } }`,
    { i: { spaceKey: 'COUNT', user: member.user.accountId, level: 'EDIT' } },
    t.admin.token,
  );
  const made = async (title: string) => {
    const created = await t.request('/rest/api/content', { method: 'POST', token: t.admin.token, json: { space: { key: 'COUNT' }, title, type: 'page' } });
    return ((await created.json()) as { id: string }).id;
  };
  [page, other] = [await made('Counted page'), await made('Other page')];
});
afterAll(() => t?.close());

/** The statements one request issued, and its status. */
async function counted(send: () => Promise<Response>): Promise<{ status: number; statements: number }> {
  const before = t.db.statements.count;
  const response = await send();
  await response.arrayBuffer();
  return { status: response.status, statements: t.db.statements.count - before };
}

const relationPath = (name: string, user: string, content: string) => `/rest/api/relation/${name}/from/user/${user}/to/content/${content}`;

describe('statements per request', () => {
  test('a Confluence PUT of a relation from a user named by account id: token, ends, upsert', async () => {
    expect(await counted(() => t.request(relationPath('likes', member.user.accountId, page), { method: 'PUT', token: member.token }))).toEqual({
      status: 200,
      statements: 3,
    });
    // Again: the relation exists, the answer is the same, and so is the cost.
    expect(await counted(() => t.request(relationPath('likes', member.user.accountId, page), { method: 'PUT', token: member.token }))).toEqual({
      status: 200,
      statements: 3,
    });
  });

  test('a Confluence DELETE of a relation from a user named by account id: token, ends, delete', async () => {
    await t.request(relationPath('marks', member.user.accountId, page), { method: 'PUT', token: member.token });
    expect(await counted(() => t.request(relationPath('marks', member.user.accountId, page), { method: 'DELETE', token: member.token }))).toEqual({
      status: 204,
      statements: 3,
    });
  });

  test('a GraphQL createRelation between two pages: token, both ends in one statement, upsert', async () => {
    const query = `mutation($i: RelationInput!) { createRelation(input: $i) { __typename } }`;
    const input = { name: 'cites', source: { type: 'CONTENT', key: page }, target: { type: 'CONTENT', key: other } };
    const before = t.db.statements.count;
    const { body } = await t.graphql(query, { i: input }, member.token);
    expect(body).toEqual({ data: { createRelation: { __typename: 'CreateRelationSuccess' } } });
    expect(t.db.statements.count - before).toBe(3);
  });

  test('a relation to a missing end costs no more: token, ends, then the 404', async () => {
    expect(await counted(() => t.request(relationPath('likes', member.user.accountId, '999999'), { method: 'PUT', token: member.token }))).toEqual({
      status: 404,
      statements: 2,
    });
  });

  test('a list to a content (its likers): token, the anchor, the page', async () => {
    await t.request(relationPath('likes', member.user.accountId, other), { method: 'PUT', token: member.token });
    const list = `/rest/api/relation/likes/to/content/${other}/from/user`;
    expect(await counted(() => t.request(list, { token: member.token }))).toEqual({ status: 200, statements: 3 });
  });

  test('a Confluence GET of one relation with relationData and target.space expanded: token, ends, the relation, the version shown', async () => {
    // The version's author is the admin who created the page, here also the viewer, whose row came with the token.
    await t.request(relationPath('likes', member.user.accountId, page), { method: 'PUT', token: member.token });
    const one = `${relationPath('likes', member.user.accountId, page)}?expand=relationData,target.space`;
    expect(await counted(() => t.request(one, { token: t.admin.token }))).toEqual({ status: 200, statements: 4 });
  });

  test("an Umbraco list of a content's children: token, the anchor, the list", async () => {
    await t.request('/umbraco/relation', { method: 'POST', token: member.token, json: { parentId: Number(page), childId: Number(other), relationTypeAlias: 'child' } });
    expect(await counted(() => t.request(`/umbraco/relation/parent/${page}`, { token: member.token }))).toEqual({ status: 200, statements: 3 });
  });
});
