// New relation names are NFC, without surrounding whitespace or invisible characters, and no lookalike of a reserved
// name, on all three faces in their own error formats; relations stored before these rules stay readable and deletable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/context.js';
import { upsertStatement } from '../../src/services/relation-sql.js';
import { call, expectError } from '../confluence/support.js';
import { content, createContent, createSpace, ok, relate, RELATION, relationsFrom, unrelate, user } from '../graphql/operations.js';
import { createTestApp, type Account, type TestApp } from '../support/app.js';

let t: TestApp;
let alice: Account;
let bob: Account;
let pages: string[];

beforeAll(async () => {
  t = await createTestApp();
  [alice, bob] = [await t.account('Alice'), await t.account('Bob')];
  await createSpace(t, alice.token, 'NAMES');
  pages = [(await createContent(t, alice.token, 'NAMES', 'One')).id, (await createContent(t, alice.token, 'NAMES', 'Two')).id];
});
afterAll(() => t?.close());

// The names of the report that found the gap, and more of their kind.
const LOOKALIKES = ['Favourite', 'FAVOURITE', 'favourit\u0435', 'ｆａｖｏｕｒｉｔｅ', 'Watch', 'w\u0430tch'];
const MALFORMED: [string, RegExp][] = [
  ['favourite ', /whitespace/],
  [' favourite', /whitespace/],
  ['likes\u200b', /invisible/],
  ['\u202elikes', /invisible/],
  ['cafe\u0301', /NFC/],
];

const umbraco = (token: string, body: unknown) =>
  t.request('/umbraco/relation', { method: 'POST', headers: { 'api-key': token, 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('a lookalike of a reserved name', () => {
  it.each(LOOKALIKES)('%s is a ValidationError over GraphQL, even from the user themself', async (name) => {
    const result = await relate(t, alice.token, name, user('current'), content(pages[0]));
    expect(result).toMatchObject({ __typename: 'ValidationError', field: 'name', message: expect.stringMatching(/looks like the reserved name '(favourite|watch)'/) });
  });

  it.each(LOOKALIKES)('%s is a 400 on the Confluence face', async (name) => {
    const answer = await call(t, 'PUT', `/rest/api/relation/${encodeURIComponent(name)}/from/user/current/to/content/${pages[0]}`, { token: alice.token });
    expectError(answer, 400, /looks like the reserved name/);
  });

  it.each(LOOKALIKES)('%s is a 422 naming relationTypeAlias on the Umbraco face', async (name) => {
    const response = await umbraco(alice.token, { parentId: pages[0], childId: pages[1], relationTypeAlias: name });
    expect(response.status).toBe(422);
    const body = await response.json();
    expect(body.error.code).toBe('ValidationFailed');
    expect(body.error.details).toEqual([{ code: 'ValidationFailed', message: expect.stringMatching(/looks like the reserved name/), target: 'relationTypeAlias' }]);
  });

  it('nothing was stored by any of those attempts', async () => {
    // The same attempts on every face, between two pages of its own, so the check reads only what it made.
    const own = [(await createContent(t, alice.token, 'NAMES', 'Lookalike one')).id, (await createContent(t, alice.token, 'NAMES', 'Lookalike two')).id];
    for (const name of LOOKALIKES) {
      expect((await relate(t, alice.token, name, user('current'), content(own[0]))).__typename).toBe('ValidationError');
      expect((await call(t, 'PUT', `/rest/api/relation/${encodeURIComponent(name)}/from/user/current/to/content/${own[0]}`, { token: alice.token })).status).toBe(400);
      expect((await umbraco(alice.token, { parentId: own[0], childId: own[1], relationTypeAlias: name })).status).toBe(422);
    }
    const ids = own.map(Number);
    const rows = await t.db.prisma.relation.findMany({
      where: { name: { in: LOOKALIKES }, OR: [{ sourceContentId: { in: ids } }, { targetContentId: { in: ids } }] },
    });
    expect(rows).toEqual([]);
  });
});

describe('a name with surrounding whitespace, an invisible character or not in NFC', () => {
  it.each(MALFORMED)('%j is refused on every face', async (name, message) => {
    expect(await relate(t, alice.token, name, user('current'), content(pages[0]))).toMatchObject({
      __typename: 'ValidationError',
      field: 'name',
      message: expect.stringMatching(message),
    });
    expectError(
      await call(t, 'PUT', `/wiki/rest/api/relation/${encodeURIComponent(name)}/from/content/${pages[0]}/to/content/${pages[1]}`, { token: alice.token }),
      400,
      message,
    );
    const response = await umbraco(alice.token, { parentId: pages[0], childId: pages[1], relationTypeAlias: name });
    expect(response.status).toBe(422);
    expect((await response.json()).error.details[0]).toMatchObject({ target: 'relationTypeAlias', message: expect.stringMatching(message) });
  });

  it('the same name written well is accepted', async () => {
    expect((await relate(t, alice.token, 'café', user('current'), content(pages[0]))).__typename).toBe('CreateRelationSuccess');
    expect(
      (await call(t, 'PUT', `/rest/api/relation/${encodeURIComponent('caf\u00e9')}/from/content/${pages[0]}/to/content/${pages[1]}`, { token: alice.token })).status,
    ).toBe(200);
  });
});

describe('relations stored before these rules', () => {
  // Written with the service's own insert, past today's checks, as an older gateway would have stored them.
  const store = async (name: string, by: Account, source: { type: 'USER' | 'CONTENT'; id: number }, target: number) => {
    const ctx = createContext(t.config, t.db, { id: by.user.id, siteAdmin: false, tokenId: 0 });
    const { rows } = await ctx.db.write<{ id: number }>(
      upsertStatement(name, { ...source, version: 0 }, { type: 'CONTENT', id: target, version: 0 }, by.user.id, null, 'read'),
    );
    const [row] = rows;
    return row.id;
  };

  it('stay readable by their exact name on GraphQL and Confluence, and listed', async () => {
    await store('Favourite', bob, { type: 'USER', id: alice.user.id }, Number(pages[0]));
    const found = await ok(t, alice.token, RELATION, { name: 'Favourite', source: user('current'), target: content(pages[0]) });
    expect(found.relation).toMatchObject({ name: 'Favourite' });
    expect((await relationsFrom(t, alice.token, { name: 'Favourite', source: user('current'), targetType: 'CONTENT' })).totalCount).toBe(1);
    expect((await call(t, 'GET', `/rest/api/relation/Favourite/from/user/${alice.user.accountId}/to/content/${pages[0]}`, { token: bob.token })).status).toBe(200);
  });

  it('cannot be created again: a PUT of one is a 400', async () => {
    await store(' watch', alice, { type: 'USER', id: alice.user.id }, Number(pages[1]));
    expectError(
      await call(t, 'PUT', `/rest/api/relation/${encodeURIComponent(' watch')}/from/user/current/to/content/${pages[1]}`, { token: alice.token }),
      400,
      /whitespace/,
    );
  });

  it('their user may delete them, someone else may not', async () => {
    await store('likes\u200b', bob, { type: 'USER', id: alice.user.id }, Number(pages[1]));
    expect((await unrelate(t, bob.token, 'likes\u200b', user(alice.user.accountId), content(pages[1]))).__typename).toBe('ForbiddenError');
    expect(await unrelate(t, alice.token, 'likes\u200b', user('current'), content(pages[1]))).toMatchObject({ deleted: true });
  });

  it('on the Umbraco face, are read by id and alias and deleted by id', async () => {
    const id = await store('Related\u200d', alice, { type: 'CONTENT', id: Number(pages[0]) }, Number(pages[1]));
    const headers = { 'api-key': alice.token };
    expect((await t.request(`/umbraco/relation/${id}`, { headers })).status).toBe(200);
    const byAlias = await (await t.request(`/umbraco/relation/${encodeURIComponent('Related\u200d')}`, { headers })).json();
    expect(byAlias._embedded.relations.map((r: { _id: number }) => r._id)).toEqual([id]);
    expect((await t.request(`/umbraco/relation/${id}`, { method: 'DELETE', headers })).status).toBe(200);
    expect((await t.request(`/umbraco/relation/${id}`, { headers })).status).toBe(404);
  });
});
