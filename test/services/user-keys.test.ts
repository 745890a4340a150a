// A user key names the user whose accountId, else userKey, else username equals it (USER_KEY_FIELDS in
// src/domain/entities.ts): the same on the loader path (a lookup) and the prefetched path (a relation end).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestApp, type Account, type TestApp } from '../support/app.js';

let t: TestApp;
let byAccountId: Account;
let byUserKey: Account;
let byUsername: Account;

beforeAll(async () => {
  t = await createTestApp();
  [byAccountId, byUserKey, byUsername] = [await t.account('Account Holder'), await t.account('Key Holder'), await t.account('Name Holder')];
  // The first user's accountId is also the third user's userKey and username.
  await t.db.prisma.user.update({ where: { id: byUsername.user.id }, data: { userKey: byAccountId.user.accountId, username: byAccountId.user.accountId } });
  // 'shared-key' is the second user's userKey and the first user's username.
  await t.db.prisma.user.update({ where: { id: byUserKey.user.id }, data: { userKey: 'shared-key' } });
  await t.db.prisma.user.update({ where: { id: byAccountId.user.id }, data: { username: 'shared-key' } });
});
afterAll(() => t?.close());

const LOOKUP = 'query($k: String!) { user(key: $k) { displayName } }';
const RELATE = `mutation($i: RelationInput!) { createRelation(input: $i) { ... on CreateRelationSuccess { relation { source { ... on User { displayName } } } } } }`;

describe('a key several users match', () => {
  test.each([
    ['an accountId over a userKey and a username', () => byAccountId.user.accountId, 'Account Holder'],
    ['a userKey over a username', () => 'shared-key', 'Key Holder'],
  ])('names the user by %s, when looked up and as a relation end', async (_, key, expected) => {
    const looked = await t.graphql(LOOKUP, { k: key() }, t.admin.token);
    expect(looked.body).toEqual({ data: { user: { displayName: expected } } });
    const related = await t.graphql(RELATE, { i: { name: 'follows', source: { type: 'USER', key: key() }, target: { type: 'USER', key: 'current' } } }, t.admin.token);
    expect(related.body).toEqual({ data: { createRelation: { relation: { source: { displayName: expected } } } } });
  });
});
