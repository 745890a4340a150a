// A caller this process has seen is taken on trust until its request's first read confirms it (the read carries
// the token's check, src/services/callers.ts). These are the attempts that must still fail, on the next request,
// whatever the request reads: a revoked token, a changed user, a demoted admin, a Basic identity that is not the
// token's user; and the counts that show when the token's own statement runs.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Prisma } from '../../src/generated/prisma/client.js';
import { createTestApp, type Account, type TestApp } from '../support/app.js';

let t: TestApp;
let owner: Account;
let page: string;
let secret: string;

const LIKES = (user: string) => `/rest/api/relation/likes/from/user/${user}/to/content`;
const FROM_CURRENT = `{ relationsFrom(name: "likes", source: { type: USER, key: "current" }, targetType: CONTENT) {
  nodes { target { ... on Content { title } } } } }`;
const CREATE = `mutation { createApiToken(input: { name: "second" }) { __typename ... on CreateApiTokenSuccess { token apiToken { id } } } }`;
const REVOKE = `mutation($id: Int!) { revokeApiToken(input: { id: $id }) { __typename } }`;

beforeAll(async () => {
  t = await createTestApp();
  owner = await t.account('Owner');
  await t.request('/rest/api/space', { method: 'POST', token: t.admin.token, json: { key: 'OPEN', name: 'Open' } });
  await t.request('/rest/api/space/_private', { method: 'POST', token: t.admin.token, json: { key: 'HIDDEN', name: 'Hidden' } });
  const made = async (space: string, title: string) => {
    const created = await t.request('/rest/api/content', { method: 'POST', token: t.admin.token, json: { space: { key: space }, title, type: 'page' } });
    return ((await created.json()) as { id: string }).id;
  };
  page = await made('OPEN', 'Liked page');
  secret = await made('HIDDEN', 'Secret page');
  const liked = await t.request(`${LIKES(owner.user.accountId)}/${page}`, { method: 'PUT', token: owner.token });
  expect(liked.status).toBe(200);
});
afterAll(() => t?.close());

/** A request's status, body and the statements it sent. */
async function sent(send: () => Promise<Response>) {
  const before = t.db.statements.count;
  const response = await send();
  const body = await response.text();
  return { status: response.status, body, statements: t.db.statements.count - before };
}

async function newToken(account: Account): Promise<{ token: string; id: number }> {
  const { body } = await t.graphql(CREATE, {}, account.token);
  return { token: body.data.createApiToken.token, id: body.data.createApiToken.apiToken.id };
}

describe('when the token is read', () => {
  test("a token's first request reads the token; its next reads carry the check in their one statement", async () => {
    const { token } = await newToken(owner);
    const list = () => t.request(LIKES('current'), { token });
    expect(await sent(list)).toMatchObject({ status: 200, statements: 2 });
    const again = await sent(list);
    expect(again).toMatchObject({ status: 200, statements: 1 });
    expect(JSON.parse(again.body).results).toHaveLength(1);
  });

  test('a read that returns no row carries no answer: the token is read after it, before the answer', async () => {
    const empty = await sent(() => t.request('/rest/api/relation/nothing/from/user/current/to/content', { token: owner.token }));
    expect(empty).toMatchObject({ status: 200, statements: 2 });
    expect(JSON.parse(empty.body).size).toBe(0);
  });

  test("writes read the token first; a relation's PUT and DELETE confirm it in their ends' lookup, before the write", async () => {
    await t.request(LIKES('current'), { token: owner.token });
    const one = `/rest/api/relation/watch/from/user/current/to/content/${page}`;
    expect(await sent(() => t.request(one, { method: 'PUT', token: owner.token }))).toMatchObject({ status: 200, statements: 2 });
    expect(await sent(() => t.request(one, { method: 'DELETE', token: owner.token }))).toMatchObject({ status: 204, statements: 2 });
    const made = await t.request('/rest/api/content', { method: 'POST', token: t.admin.token, json: { space: { key: 'OPEN' }, title: 'Next page', type: 'page' } });
    const next = ((await made.json()) as { id: string }).id;
    const created = await sent(() =>
      t.request('/umbraco/relation', { method: 'POST', token: owner.token, json: { parentId: Number(page), childId: Number(next), relationTypeAlias: 'next' } }),
    );
    expect(created).toMatchObject({ status: 201, statements: 3 });
  });
});

describe('refused on the next request', () => {
  test('a revoked token, on every face, whatever the request reads', async () => {
    const second = await newToken(owner);
    const calls: Record<string, () => Promise<Response>> = {
      'Confluence list (its page carries the check)': () => t.request(LIKES('current'), { token: second.token }),
      'Confluence empty list (the token read after it)': () => t.request('/rest/api/relation/nothing/from/user/current/to/content', { token: second.token }),
      'Confluence current user (nothing read)': () => t.request('/rest/api/user/current', { token: second.token }),
      'Umbraco list': () => t.request(`/umbraco/relation/parent/${page}`, { headers: { 'api-key': second.token } }),
      'GraphQL list': () => t.request('/graphql', { method: 'POST', token: second.token, json: { query: FROM_CURRENT } }),
      'GraphQL me (nothing read)': () => t.request('/graphql', { method: 'POST', token: second.token, json: { query: '{ me { accountId } }' } }),
    };
    for (const [name, call] of Object.entries(calls)) expect((await call()).status, name).toBe(200);
    expect((await t.graphql(REVOKE, { id: second.id }, owner.token)).body.data.revokeApiToken.__typename).toBe('RevokeApiTokenSuccess');
    for (const [name, call] of Object.entries(calls)) {
      const refused = await sent(call);
      expect(refused.status, name).toBe(401);
      expect(refused.body, name).not.toContain('Liked page');
      expect(refused.body, name).not.toContain(owner.user.accountId);
    }
    // GraphQL's refusal is the top-level UNAUTHENTICATED of an unknown token, with no data.
    const graphql = JSON.parse((await sent(calls['GraphQL list'])).body);
    expect(graphql).toEqual({ errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) })] });
    // A page that carried the check refused the caller in its one statement.
    expect(await sent(calls['Confluence list (its page carries the check)'])).toMatchObject({ status: 401, statements: 1 });
  });

  test('a revoked token writes nothing: a GraphQL mutation and a REST PUT are refused before they run', async () => {
    const second = await newToken(owner);
    expect((await t.request(LIKES('current'), { token: second.token })).status).toBe(200);
    await t.graphql(REVOKE, { id: second.id }, owner.token);
    const before = await t.db.prisma.relation.count();
    const mutation = await t.graphql(
      `mutation($i: RelationInput!) { createRelation(input: $i) { __typename } }`,
      { i: { name: 'favourite', source: { type: 'USER', key: 'current' }, target: { type: 'CONTENT', key: page } } },
      second.token,
    );
    expect(mutation.status).toBe(401);
    expect(mutation.body.data ?? null).toBeNull();
    expect(mutation.body.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    const put = await t.request(`/rest/api/relation/favourite/from/user/current/to/content/${page}`, { method: 'PUT', token: second.token });
    expect(put.status).toBe(401);
    expect(await t.db.prisma.relation.count()).toBe(before);
    // The relation the owner made at the start stays: a DELETE on trust is refused by the ends' lookup.
    const del = await t.request(`${LIKES(owner.user.accountId)}/${page}`, { method: 'DELETE', token: second.token });
    expect(del.status).toBe(401);
    expect(await t.db.prisma.relation.count()).toBe(before);
  });

  test("a Basic identity that is not the token's user, even for a known token", async () => {
    expect((await t.request(LIKES('current'), { token: owner.token })).status).toBe(200);
    const other = await t.account('Other');
    const basic = (identity: string) => `Basic ${Buffer.from(`${identity}:${owner.token}`).toString('base64')}`;
    expect((await t.request(`/wiki${LIKES('current')}`, { headers: { authorization: basic(owner.user.email) } })).status).toBe(200);
    expect((await t.request(`/wiki${LIKES('current')}`, { headers: { authorization: basic(other.user.email) } })).status).toBe(401);
  });

  test('a site admin demoted outside the API has no admin rights from the next request on', async () => {
    const boss = await t.account('Boss', true);
    const hidden = () => t.request(`/rest/api/content/${secret}`, { token: boss.token });
    expect((await hidden()).status).toBe(200);
    await t.db.prisma.$executeRaw(Prisma.sql`UPDATE users SET site_admin = false WHERE id = ${boss.user.id}`);
    expect((await hidden()).status).toBe(404);
  });
});

describe('a changed user', () => {
  test("a user's row edited outside the API: the read's check differs, the token is read again, and the next read carries the new one", async () => {
    const list = () => t.request(LIKES('current'), { token: owner.token });
    expect(await sent(list)).toMatchObject({ status: 200, statements: 1 });
    await t.db.prisma.$executeRaw(Prisma.sql`UPDATE users SET display_name = 'Owner, renamed' WHERE id = ${owner.user.id}`);
    expect(await sent(list)).toMatchObject({ status: 200, statements: 2 });
    expect(await sent(list)).toMatchObject({ status: 200, statements: 1 });
    const { body } = await t.graphql('{ me { displayName } }', {}, owner.token);
    expect(body.data.me.displayName).toBe('Owner, renamed');
  });
});
