import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Account, type TestApp } from '../support/app.js';
import {
  addMember,
  content,
  CREATE_RELATION,
  createContent,
  createSpace,
  DELETE_CONTENT,
  errorCode,
  ok,
  relate,
  RELATION,
  relationsFrom,
  RELATIONS_FROM,
  RELATIONS_TO,
  space,
  unrelate,
  UPDATE_CONTENT,
  user,
} from './operations.js';

let t: TestApp;
let alice: Account;
let bob: Account;
let carol: Account;
let page1: { id: string };
let page2: { id: string };
let secret: { id: string };

beforeAll(async () => {
  t = await createTestApp();
  [alice, bob, carol] = [await t.account('Alice'), await t.account('Bob'), await t.account('Carol')];
  await createSpace(t, carol.token, 'PUB');
  await createSpace(t, alice.token, 'PRIV', false);
  page1 = await createContent(t, carol.token, 'PUB', 'Page one');
  page2 = await createContent(t, carol.token, 'PUB', 'Page two');
  secret = await createContent(t, alice.token, 'PRIV', 'Secret plans');
}, 60_000);

afterAll(() => t?.close());

describe('createRelation', () => {
  it('creates a relation and shows both ends and its relationData', async () => {
    const result = await relate(t, alice.token, 'likes', user('current'), content(page1.id), 'nice');
    expect(result).toMatchObject({
      __typename: 'CreateRelationSuccess',
      created: true,
      relation: {
        name: 'likes',
        sourceType: 'USER',
        targetType: 'CONTENT',
        source: { __typename: 'User', accountId: alice.user.accountId },
        target: { __typename: 'Content', id: page1.id, title: 'Page one', status: 'current', version: { number: 1 } },
        relationData: { createdBy: { accountId: alice.user.accountId }, friendlyCreatedDate: 'just now', comment: 'nice' },
      },
    });
    expect(new Date(result.relation.relationData.createdDate).toISOString()).toBe(result.relation.relationData.createdDate);
  });

  it('returns the existing relation unchanged when created twice', async () => {
    const first = await relate(t, alice.token, 'reads', user(alice.user.userKey), space('PUB'));
    const second = await relate(t, alice.token, 'reads', user(alice.user.username), space('PUB'));
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.relation.id).toBe(first.relation.id);
    expect(second.relation.relationData.createdDate).toBe(first.relation.relationData.createdDate);
  });

  it.each([
    ['a name with control characters', 'bad\u0007name', () => content(page1.id), { __typename: 'ValidationError', field: 'name' }],
    ['an empty name', '', () => content(page1.id), { __typename: 'ValidationError' }],
    ['a historical end without a version', 'likes', () => content(page1.id, 'historical'), { __typename: 'ValidationError', field: 'targetVersion' }],
  ])('rejects %s', async (_, name, target, expected) => {
    expect(await relate(t, alice.token, name, user('current'), target())).toMatchObject(expected);
  });

  it.each([
    ['a missing target', () => [alice, user('current'), content('999999')] as const],
    ['a missing source', () => [alice, user('nobody-here'), space('PUB')] as const],
    ['content the caller may not view', () => [bob, user('current'), content(secret.id)] as const],
    ['a space the caller may not view', () => [bob, user('current'), space('PRIV')] as const],
  ])('answers NotFoundError for %s', async (_, call) => {
    const [caller, source, target] = call();
    expect((await relate(t, caller.token, 'likes', source, target)).__typename).toBe('NotFoundError');
  });
});

describe('deleteRelation', () => {
  it('deletes an existing relation, then reports deleted false', async () => {
    await relate(t, alice.token, 'temp', user('current'), space('PUB'));
    expect(await unrelate(t, alice.token, 'temp', user('current'), space('PUB'))).toEqual({ __typename: 'DeleteRelationSuccess', deleted: true });
    expect(await unrelate(t, alice.token, 'temp', user('current'), space('PUB'))).toEqual({ __typename: 'DeleteRelationSuccess', deleted: false });
  });

  it('answers NotFoundError when an end does not exist', async () => {
    expect((await unrelate(t, alice.token, 'temp', user('current'), content('424242'))).__typename).toBe('NotFoundError');
  });

  it('answers ValidationError for a bad name', async () => {
    expect((await unrelate(t, alice.token, 'a\u0000b', user('current'), space('PUB'))).__typename).toBe('ValidationError');
  });
});

describe('relation', () => {
  it('finds a relation', async () => {
    const created = await relate(t, alice.token, 'likes', user('current'), content(page2.id));
    const found = await ok(t, bob.token, RELATION, { name: 'likes', source: user(alice.user.accountId), target: content(page2.id) });
    expect(found.relation).toMatchObject({ id: created.relation.id, name: 'likes' });
  });

  it('answers null for an absent relation', async () => {
    expect((await ok(t, bob.token, RELATION, { name: 'hates', source: user(alice.user.accountId), target: content(page2.id) })).relation).toBeNull();
  });

  it('answers null for a missing end', async () => {
    expect((await ok(t, bob.token, RELATION, { name: 'likes', source: user('ghost'), target: content(page2.id) })).relation).toBeNull();
  });

  it('is a BAD_USER_INPUT error for an invalid name', async () => {
    expect(await errorCode(t, alice.token, RELATION, { name: 'x\ny', source: user('current'), target: content(page1.id) })).toBe('BAD_USER_INPUT');
  });

  const NODE = `query($id: ID!) { node(id: $id) { __typename id ... on Relation { name } } }`;

  it('loads a relation through node(id)', async () => {
    const created = await relate(t, alice.token, 'bookmarks', user('current'), content(page1.id));
    expect((await ok(t, bob.token, NODE, { id: created.relation.id })).node).toEqual({ __typename: 'Relation', id: created.relation.id, name: 'bookmarks' });
  });

  it('answers node(id) null for an unknown relation', async () => {
    expect((await ok(t, bob.token, NODE, { id: Buffer.from('Relation:987654').toString('base64') })).node).toBeNull();
  });

  it('is a BAD_USER_INPUT error for a node(id) that is no global id', async () => {
    expect(await errorCode(t, bob.token, NODE, { id: 'not a global id' })).toBe('BAD_USER_INPUT');
  });
});

describe('relationsFrom and relationsTo', () => {
  it('list relations in both directions with totalCount', async () => {
    await relate(t, bob.token, 'cites', content(page1.id), content(page2.id));
    const from = await relationsFrom(t, bob.token, { name: 'cites', source: content(page1.id), targetType: 'CONTENT' });
    expect(from.totalCount).toBe(1);
    expect(from.nodes[0].target).toMatchObject({ __typename: 'Content', id: page2.id });
    const to = (await ok(t, bob.token, RELATIONS_TO, { name: 'cites', target: content(page2.id), sourceType: 'CONTENT' })).relationsTo;
    expect(to.nodes.map((n: any) => n.source)).toEqual([{ __typename: 'Content', id: page1.id }]);
  });

  it.each([
    ['a missing source user', () => [RELATIONS_FROM, { name: 'likes', source: user('ghost'), targetType: 'CONTENT' }] as const],
    ['invisible target content', () => [RELATIONS_TO, { name: 'likes', target: content(secret.id), sourceType: 'USER' }] as const],
    ['an invisible target space', () => [RELATIONS_TO, { name: 'likes', target: space('PRIV'), sourceType: 'USER' }] as const],
  ])('answers NOT_FOUND for %s', async (_, call) => {
    const [query, variables] = call();
    expect(await errorCode(t, bob.token, query, variables)).toBe('NOT_FOUND');
  });

  it.each([
    ['a negative first', { first: -1 }],
    ['an invalid cursor', { after: 'bm9wZQ' }],
    ['an invalid name', { name: 'tab\there' }],
    ['a historical status without a version', { targetStatus: 'historical' }],
  ])('rejects %s as BAD_USER_INPUT', async (_, change) => {
    const base = { name: 'likes', source: user('current'), targetType: 'CONTENT' };
    expect(await errorCode(t, alice.token, RELATIONS_FROM, { ...base, ...change })).toBe('BAD_USER_INPUT');
  });

  it("never shows a private space's content to a non-member, in a list or a count", async () => {
    await relate(t, alice.token, 'plans', user('current'), content(secret.id));
    await relate(t, alice.token, 'plans', user('current'), content(page1.id));
    const asAlice = await relationsFrom(t, alice.token, { name: 'plans', source: user(alice.user.accountId), targetType: 'CONTENT' });
    expect(asAlice.totalCount).toBe(2);
    const asBob = await relationsFrom(t, bob.token, { name: 'plans', source: user(alice.user.accountId), targetType: 'CONTENT' });
    expect(asBob.totalCount).toBe(1);
    expect(asBob.nodes.map((n: any) => n.target.id)).toEqual([page1.id]);
    expect((await ok(t, bob.token, RELATION, { name: 'plans', source: user(alice.user.accountId), target: content(secret.id) })).relation).toBeNull();
    expect((await ok(t, bob.token, `query($id: ID!) { content(id: $id) { id } }`, { id: secret.id })).content).toBeNull();
    const node = `query($id: ID!) { node(id: $id) { id } }`;
    expect((await ok(t, bob.token, node, { id: asAlice.nodes[0].id })).node).toBeNull();
  });

  it('walks every relation exactly once with cursors', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const page = await createContent(t, carol.token, 'PUB', `Walk ${i}`);
      await relate(t, alice.token, 'walk', user('current'), content(page.id));
      ids.push(page.id);
    }
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page: any = await relationsFrom(t, alice.token, { name: 'walk', source: user('current'), targetType: 'CONTENT', first: 3, after });
      expect(page.totalCount).toBe(7);
      expect(page.edges.map((e: any) => e.node.id)).toEqual(page.nodes.map((n: any) => n.id));
      expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
      seen.push(...page.nodes.map((n: any) => n.target.id));
      pages++;
      if (!page.pageInfo.hasNextPage) break;
      expect(page.pageInfo.endCursor).toBe(page.edges.at(-1).cursor);
      after = page.pageInfo.endCursor;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(ids);
    const empty = await relationsFrom(t, alice.token, { name: 'walk', source: user('current'), targetType: 'CONTENT', first: 0 });
    expect(empty).toMatchObject({ nodes: [], totalCount: 7, pageInfo: { hasNextPage: false, endCursor: null } });
  });
});

describe('favourites', () => {
  let favourite: any;
  beforeAll(async () => {
    favourite = await relate(t, alice.token, 'favourite', user('current'), content(page1.id));
    await relate(t, alice.token, 'favourite', user('current'), space('PUB'));
  });

  it('are visible to their owner and site admins only', async () => {
    expect(favourite.created).toBe(true);
    const asOwner = await relationsFrom(t, alice.token, { name: 'favourite', source: user('current'), targetType: 'CONTENT' });
    expect(asOwner.totalCount).toBe(1);
    const asAdmin = await relationsFrom(t, t.admin.token, { name: 'favourite', source: user(alice.user.accountId), targetType: 'CONTENT' });
    expect(asAdmin.totalCount).toBe(1);
    const asBob = await relationsFrom(t, bob.token, { name: 'favourite', source: user(alice.user.accountId), targetType: 'CONTENT' });
    expect(asBob).toMatchObject({ totalCount: 0, nodes: [] });
    const to = (await ok(t, bob.token, RELATIONS_TO, { name: 'favourite', target: space('PUB'), sourceType: 'USER' })).relationsTo;
    expect(to).toEqual({ totalCount: 0, nodes: [] });
    expect((await ok(t, bob.token, RELATION, { name: 'favourite', source: user(alice.user.accountId), target: content(page1.id) })).relation).toBeNull();
    const node = `query($id: ID!) { node(id: $id) { id } }`;
    expect((await ok(t, bob.token, node, { id: favourite.relation.id })).node).toBeNull();
  });

  it("is a ForbiddenError to create as someone else's", async () => {
    expect((await relate(t, bob.token, 'favourite', user(alice.user.accountId), content(page2.id))).__typename).toBe('ForbiddenError');
  });

  it('is a ValidationError from anything but a user', async () => {
    expect((await relate(t, alice.token, 'favourite', space('PUB'), content(page2.id))).__typename).toBe('ValidationError');
  });

  it('is a ValidationError to anything but a space or content', async () => {
    expect((await relate(t, alice.token, 'favourite', user('current'), user(bob.user.accountId))).__typename).toBe('ValidationError');
  });

  it('are a ForbiddenError to delete for someone else, but a space admin may delete those targeting their space', async () => {
    await relate(t, alice.token, 'favourite', user('current'), content(page2.id));
    expect((await unrelate(t, bob.token, 'favourite', user(alice.user.accountId), content(page2.id))).__typename).toBe('ForbiddenError');
    // Carol may delete it but not see it: `deleted` is false whether or not there was one.
    expect(await unrelate(t, carol.token, 'favourite', user(alice.user.accountId), content(page2.id))).toMatchObject({ deleted: false });
    const left = await relationsFrom(t, alice.token, { name: 'favourite', source: user('current'), targetType: 'CONTENT' });
    expect(left.nodes.map((n: any) => n.target.id)).toEqual([page1.id]);
  });
});

describe('content states', () => {
  it('pins an end to a historical version, which is a different relation showing the old content', async () => {
    const page = await createContent(t, carol.token, 'PUB', 'Draft title');
    await ok(t, carol.token, UPDATE_CONTENT, { input: { id: page.id, title: 'Final title' } });
    const pinned = await relate(t, alice.token, 'quotes', user('current'), content(page.id, 'historical', 1));
    expect(pinned.relation.target).toMatchObject({ title: 'Draft title', version: { number: 1 } });
    const latest = await relate(t, alice.token, 'quotes', user('current'), content(page.id));
    expect(latest.created).toBe(true);
    expect(latest.relation.target).toMatchObject({ title: 'Final title', version: { number: 2 } });
    const listed = await relationsFrom(t, alice.token, { name: 'quotes', source: user('current'), targetType: 'CONTENT', targetStatus: 'historical', targetVersion: 1 });
    expect(listed.nodes.map((n: any) => n.target.title)).toEqual(['Draft title']);
    expect((await relate(t, alice.token, 'quotes', user('current'), content(page.id, 'historical', 3))).__typename).toBe('NotFoundError');
  });

  it("hides a trashed content's relations by default, reaches them with status trashed, and purge removes them", async () => {
    const page = await createContent(t, carol.token, 'PUB', 'Doomed');
    await relate(t, alice.token, 'tracks', user('current'), content(page.id));
    const trash = (await ok(t, carol.token, DELETE_CONTENT, { input: { id: page.id } })).deleteContent;
    expect(trash).toMatchObject({ purged: false, content: { status: 'trashed' } });

    const list = (status?: string) => relationsFrom(t, alice.token, { name: 'tracks', source: user('current'), targetType: 'CONTENT', targetStatus: status });
    expect((await list()).totalCount).toBe(0);
    expect((await list('trashed')).nodes.map((n: any) => n.target)).toEqual([{ __typename: 'Content', id: page.id, title: 'Doomed', status: 'trashed' }]);
    expect((await ok(t, alice.token, RELATION, { name: 'tracks', source: user('current'), target: content(page.id) })).relation).toBeNull();
    expect((await ok(t, alice.token, RELATION, { name: 'tracks', source: user('current'), target: content(page.id, 'trashed') })).relation).not.toBeNull();

    const purge = (await ok(t, carol.token, DELETE_CONTENT, { input: { id: page.id, purge: true } })).deleteContent;
    expect(purge).toMatchObject({ purged: true, content: { id: page.id } });
    expect((await list('any')).totalCount).toBe(0);
    expect((await ok(t, carol.token, `query($id: ID!) { content(id: $id, status: "any") { id } }`, { id: page.id })).content).toBeNull();
  });
});

describe('errors as data', () => {
  it('carry the Error interface on every member', async () => {
    const result = (await ok(t, bob.token, CREATE_RELATION, { input: { name: 'x', source: user('current'), target: content('31337') } })).createRelation;
    expect(result).toEqual({ __typename: 'NotFoundError', message: expect.stringContaining('31337') });
  });

  it('a new member of a private space may relate its content', async () => {
    const dave = await t.account('Dave');
    expect((await relate(t, dave.token, 'likes', user('current'), content(secret.id))).__typename).toBe('NotFoundError');
    await addMember(t, alice.token, 'PRIV', dave.user.accountId, 'VIEW');
    expect((await relate(t, dave.token, 'likes', user('current'), content(secret.id))).__typename).toBe('CreateRelationSuccess');
  });
});
