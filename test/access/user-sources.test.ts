// A relation whose source is a user speaks for that user: only they or a site admin create or delete it, on every
// face that can name a user (GraphQL and the Confluence relation and watch paths; Umbraco relates content only).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, expectError } from '../confluence/support.js';
import { content, createContent, createSpace, relate, unrelate, user } from '../graphql/operations.js';
import { createTestApp, type Account, type TestApp } from '../support/app.js';

let t: TestApp;
let alice: Account;
let bob: Account;

beforeAll(async () => {
  t = await createTestApp();
  [alice, bob] = [await t.account('Alice'), await t.account('Bob')];
  await createSpace(t, alice.token, 'OPEN');
});
afterAll(() => t?.close());

// Each test relates its own page, so what one test creates is never what another reads back.
let pages = 0;
const newPage = async () => (await createContent(t, alice.token, 'OPEN', `Open page ${++pages}`)).id;
const rest = (name: string, from: string, to: string) => `/wiki/rest/api/relation/${name}/from/user/${from}/to/content/${to}`;
const watch = (who: string, page: string) => `/rest/api/user/watch/content/${page}?accountId=${who}`;

describe('creating a relation from a user', () => {
  it('someone else gets a ForbiddenError over GraphQL, for any name', async () => {
    const page = await newPage();
    for (const name of ['likes', 'favourite', 'watch', 'endorses']) {
      const result = await relate(t, bob.token, name, user(alice.user.accountId), content(page));
      expect(result, name).toMatchObject({ __typename: 'ForbiddenError', message: expect.stringMatching(/only the user themself or a site admin/i) });
    }
  });

  it('someone else gets a 403 on the Confluence face, by relation path and by watch path', async () => {
    const page = await newPage();
    expectError(await call(t, 'PUT', rest('likes', alice.user.accountId, page), { token: bob.token }), 403, /only the user themself or a site admin/i);
    expectError(await call(t, 'POST', watch(alice.user.accountId, page), { token: bob.token }), 403);
    expect((await call(t, 'GET', rest('likes', alice.user.accountId, page), { token: alice.token })).status).toBe(404);
    expect((await call(t, 'GET', watch(alice.user.accountId, page), { token: alice.token })).body).toEqual({ watching: false });
  });

  it('the user themself and a site admin may, on both faces', async () => {
    const page = await newPage();
    expect((await relate(t, alice.token, 'likes', user('current'), content(page))).__typename).toBe('CreateRelationSuccess');
    expect((await relate(t, t.admin.token, 'endorses', user(alice.user.accountId), content(page))).__typename).toBe('CreateRelationSuccess');
    expect((await call(t, 'PUT', rest('cites', 'current', page), { token: alice.token })).status).toBe(200);
    expect((await call(t, 'PUT', rest('recommends', alice.user.accountId, page), { token: t.admin.token })).status).toBe(200);
    expect((await call(t, 'POST', watch(alice.user.accountId, page), { token: t.admin.token })).status).toBe(204);
  });

  it('a relation that merely targets a user is anyone’s to make', async () => {
    const page = await newPage();
    const mention = await relate(t, bob.token, 'mentions', content(page), user(alice.user.accountId));
    expect(mention.__typename).toBe('CreateRelationSuccess');
  });
});

describe('deleting a relation from a user', () => {
  it('someone else gets a ForbiddenError or a 403, and the relation stays', async () => {
    const page = await newPage();
    await relate(t, alice.token, 'likes', user('current'), content(page));
    expect((await unrelate(t, bob.token, 'likes', user(alice.user.accountId), content(page))).__typename).toBe('ForbiddenError');
    expectError(await call(t, 'DELETE', rest('likes', alice.user.accountId, page), { token: bob.token }), 403);
    await call(t, 'POST', watch('current', page), { token: alice.token });
    expectError(await call(t, 'DELETE', watch(alice.user.accountId, page), { token: bob.token }), 403);
    expect((await call(t, 'GET', rest('likes', alice.user.accountId, page), { token: bob.token })).status).toBe(200);
    expect((await call(t, 'GET', watch(alice.user.accountId, page), { token: bob.token })).body).toEqual({ watching: true });
  });

  it('the user themself and a site admin may', async () => {
    const page = await newPage();
    await relate(t, alice.token, 'likes', user('current'), content(page));
    expect(await unrelate(t, alice.token, 'likes', user('current'), content(page))).toMatchObject({ deleted: true });
    await relate(t, alice.token, 'likes', user('current'), content(page));
    expect((await call(t, 'DELETE', rest('likes', alice.user.accountId, page), { token: t.admin.token })).status).toBe(204);
    expect((await call(t, 'GET', rest('likes', alice.user.accountId, page), { token: alice.token })).status).toBe(404);
  });
});
