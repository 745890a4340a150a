// A space admin may delete someone's favourite that targets their space, but may not see it: the answer is the same
// whether the favourite existed or not, on GraphQL and on the Confluence face, so the delete reveals nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, content, createContent, createSpace, DELETE_RELATION, relate, relationsFrom, space, unrelate, user } from '../graphql/operations.js';
import { createTestApp, type Account, type TestApp } from '../support/app.js';

let t: TestApp;
let owner: Account;
let spaceAdmin: Account;
let page: string;

beforeAll(async () => {
  t = await createTestApp();
  [owner, spaceAdmin] = [await t.account('Owner'), await t.account('Space Admin')];
  await createSpace(t, spaceAdmin.token, 'ADMINED');
  await addMember(t, spaceAdmin.token, 'ADMINED', owner.user.accountId, 'VIEW');
  page = (await createContent(t, spaceAdmin.token, 'ADMINED', 'Page')).id;
});
afterAll(() => t?.close());

const favourites = async (targetType: 'CONTENT' | 'SPACE') =>
  (await relationsFrom(t, owner.token, { name: 'favourite', source: user('current'), targetType })).totalCount;

/** The whole GraphQL answer of the space admin's delete, as text. */
async function graphqlDelete(target: object): Promise<string> {
  const { status, body } = await t.graphql(DELETE_RELATION, { input: { name: 'favourite', source: user(owner.user.accountId), target } }, spaceAdmin.token);
  return `${status} ${JSON.stringify(body)}`;
}

async function restDelete(target: string): Promise<string> {
  const response = await t.request(`/wiki/rest/api/relation/favourite/from/user/${owner.user.accountId}/to/${target}`, { method: 'DELETE', token: spaceAdmin.token });
  return `${response.status} ${await response.text()}`;
}

describe('deleting a favourite one may delete but not see', () => {
  it.each([
    ['content', () => content(page), 'CONTENT' as const],
    ['space', () => space('ADMINED'), 'SPACE' as const],
  ])('GraphQL: the same answer for an existing and a missing favourite of a %s, and it is gone', async (_, targetOf, type) => {
    const target = targetOf();
    await relate(t, owner.token, 'favourite', user('current'), target);
    expect(await favourites(type)).toBe(1);
    const existed = await graphqlDelete(target);
    expect(await favourites(type)).toBe(0);
    const missing = await graphqlDelete(target);
    expect(existed).toBe(missing);
    expect(JSON.parse(existed.slice(4)).data.deleteRelation).toEqual({ __typename: 'DeleteRelationSuccess', deleted: false });
  });

  it('Confluence: 204 with no body for an existing and a missing favourite alike, and it is gone', async () => {
    await relate(t, owner.token, 'favourite', user('current'), content(page));
    const existed = await restDelete(`content/${page}`);
    expect(await favourites('CONTENT')).toBe(0);
    expect(await restDelete(`content/${page}`)).toBe(existed);
    expect(existed).toBe('204 ');
  });

  it('the owner still learns whether there was one', async () => {
    await relate(t, owner.token, 'favourite', user('current'), content(page));
    expect(await unrelate(t, owner.token, 'favourite', user('current'), content(page))).toMatchObject({ deleted: true });
    expect(await unrelate(t, owner.token, 'favourite', user('current'), content(page))).toMatchObject({ deleted: false });
  });

  it('a public relation stays truthful for whoever deletes it', async () => {
    await relate(t, spaceAdmin.token, 'links', content(page), content(page));
    expect(await unrelate(t, spaceAdmin.token, 'links', content(page), content(page))).toMatchObject({ deleted: true });
  });
});
