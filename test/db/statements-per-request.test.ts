// How many SQL statements a request of each common shape issues, counted at the driver (deterministic,
// unlike its time). Every read is one statement: the lookup of the entities the request names leads the read
// itself and the read joins it (src/services/prefetch.ts, resolveWithRead), whatever the key form, and it
// carries the check of the caller's token (src/services/callers.ts: the member is a caller this process has
// seen; the first request of a token, and a site admin's, read the token first). A Confluence PUT or DELETE of a
// relation is the ends (one prepared statement, carrying the check too), then the write itself; other writes
// read the token first.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createContext } from '../../src/context.js';
import { createContent, trashContent, updateContent } from '../../src/services/content.js';
import { createRelation } from '../../src/services/relations.js';
import { createTestApp, type Account, type TestApp } from '../support/app.js';

let t: TestApp;
let member: Account;
let page: string;
let other: string;
/** Content at version 2, with a relation pinned to its version 1. */
let edited: string;
/** Trashed content, with a relation made while it was current. */
let trashed: string;

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
  const admin = createContext(t.config, t.db, { id: t.admin.user.id, siteAdmin: true, tokenId: 0 });
  const as = createContext(t.config, t.db, { id: member.user.id, siteAdmin: false, tokenId: 0 });
  edited = String((await createContent({ ctx: admin, spaceKey: 'COUNT', title: 'Edited page' })).id);
  trashed = String((await createContent({ ctx: admin, spaceKey: 'COUNT', title: 'Trashed page' })).id);
  const me = { type: 'USER' as const, key: member.user.accountId };
  const content = (key: string, status?: string, version?: number) => ({ type: 'CONTENT' as const, key, status, version });
  await createRelation({ ctx: as, name: 'likes', source: me, target: content(page) });
  await createRelation({ ctx: as, name: 'likes', source: me, target: content(other) });
  await createRelation({ ctx: as, name: 'likes', source: me, target: content(trashed) });
  await createRelation({ ctx: as, name: 'reviewed', source: me, target: content(edited) });
  await createRelation({ ctx: as, name: 'watch', source: me, target: { type: 'SPACE', key: 'COUNT' } });
  await createRelation({ ctx: as, name: 'cites', source: content(page), target: content(other) });
  await updateContent({ ctx: admin, id: edited, title: 'Edited page, again' });
  await createRelation({ ctx: as, name: 'reviewed', source: me, target: content(edited, 'historical', 1) });
  await trashContent({ ctx: admin, id: trashed });
  // The member's token is known from here on (its first request read the token on its own).
  await t.request('/rest/api/user/current', { token: member.token });
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
  test("a Confluence PUT of a relation from a user named by account id: the ends with the token's check, the upsert", async () => {
    // A new relation: the upsert inserts it.
    expect(await counted(() => t.request(relationPath('endorses', member.user.accountId, page), { method: 'PUT', token: member.token }))).toEqual({
      status: 200,
      statements: 2,
    });
    // Again: the relation exists, the answer is the same, and so is the cost.
    expect(await counted(() => t.request(relationPath('endorses', member.user.accountId, page), { method: 'PUT', token: member.token }))).toEqual({
      status: 200,
      statements: 2,
    });
  });

  test("a Confluence DELETE of a relation from a user named by account id: the ends with the token's check, the delete", async () => {
    await t.request(relationPath('marks', member.user.accountId, page), { method: 'PUT', token: member.token });
    expect(await counted(() => t.request(relationPath('marks', member.user.accountId, page), { method: 'DELETE', token: member.token }))).toEqual({
      status: 204,
      statements: 2,
    });
  });

  test('a GraphQL createRelation between two pages: token, both ends in one statement, upsert', async () => {
    const query = `mutation($i: RelationInput!) { createRelation(input: $i) { __typename } }`;
    for (const name of ['quotes', 'quotes']) {
      // New the first time, existing the second: the same cost.
      const input = { name, source: { type: 'CONTENT', key: page }, target: { type: 'CONTENT', key: other } };
      const before = t.db.statements.count;
      const { body } = await t.graphql(query, { i: input }, member.token);
      expect(body).toEqual({ data: { createRelation: { __typename: 'CreateRelationSuccess' } } });
      expect(t.db.statements.count - before).toBe(3);
    }
  });

  test("a relation to a missing end costs no more: the ends with the token's check, then the 404", async () => {
    expect(await counted(() => t.request(relationPath('likes', member.user.accountId, '999999'), { method: 'PUT', token: member.token }))).toEqual({
      status: 404,
      statements: 1,
    });
  });

  test("a list to a content (its likers): the anchor with the page in one statement, which carries the token's check", async () => {
    const list = `/rest/api/relation/likes/to/content/${other}/from/user`;
    expect(await counted(() => t.request(list, { token: member.token }))).toEqual({ status: 200, statements: 1 });
  });

  test("a Confluence GET of one relation with relationData and target.space expanded: ends, relation, version shown and its author in one statement (a site admin's token first)", async () => {
    const one = `${relationPath('likes', member.user.accountId, page)}?expand=relationData,target.space`;
    // A site admin is never taken on trust: the token's own statement first.
    expect(await counted(() => t.request(one, { token: t.admin.token }))).toEqual({ status: 200, statements: 2 });
    // Seen by the member, the version's author (the admin) is not the viewer: it comes with the statement too.
    expect(await counted(() => t.request(one, { token: member.token }))).toEqual({ status: 200, statements: 1 });
  });

  test('a Confluence list reads versions and their authors only for the content ends it expands', async () => {
    /** The statements' texts, with the answer. */
    const sent = async (path: string) => {
      const texts: string[] = [];
      t.db.statements.around = (text, run) => (texts.push(text), run());
      try {
        const response = await t.request(path, { token: member.token });
        return { status: response.status, body: (await response.json()) as { results: Record<string, any>[] }, texts };
      } finally {
        t.db.statements.around = undefined;
      }
    };
    const to = `/rest/api/relation/likes/to/content/${other}/from/user`;
    // The likers and their creator: neither the anchor (not expanded) nor a user shows a version.
    const likers = await sent(`${to}?expand=relationData,source`);
    expect([likers.status, likers.texts.length]).toEqual([200, 1]);
    expect(likers.texts.join('\n')).not.toContain('"ovu.');
    expect(likers.body.results[0].source.accountId).toBe(member.user.accountId);
    // The anchor expanded: its version and author come with the page, still one statement.
    const anchored = await sent(`${to}?expand=target`);
    expect([anchored.status, anchored.texts.length]).toEqual([200, 1]);
    expect(anchored.body.results[0].target.version).toMatchObject({ number: 1, by: { accountId: t.admin.user.accountId } });
    // From the member to content, the targets expanded: the pinned version 1 of the edited page and the latest of the others.
    const from = `/rest/api/relation/reviewed/from/user/${member.user.accountId}/to/content`;
    const latest = await sent(`${from}?expand=target`);
    expect([latest.status, latest.texts.length]).toEqual([200, 1]);
    expect(latest.texts.join('\n')).toContain('"ovu.');
    expect(latest.body.results.map((r) => [r.target.title, r.target.version.number])).toEqual([['Edited page, again', 2]]);
    const pinned = await sent(`${from}?targetStatus=historical&targetVersion=1`);
    expect([pinned.status, pinned.texts.length]).toEqual([200, 1]);
    expect(pinned.body.results).toHaveLength(1);
    expect(pinned.texts.join('\n')).not.toContain('"ovu.');
  });

  test("an Umbraco list of a content's children: the anchor with the list in one statement", async () => {
    await t.request('/umbraco/relation', { method: 'POST', token: member.token, json: { parentId: Number(page), childId: Number(other), relationTypeAlias: 'child' } });
    expect(await counted(() => t.request(`/umbraco/relation/parent/${page}`, { token: member.token }))).toEqual({ status: 200, statements: 1 });
    expect(await counted(() => t.request(`/umbraco/relation/child/${other}`, { token: member.token }))).toEqual({ status: 200, statements: 1 });
    // By alias, and the alias as a relation type: one statement each.
    expect(await counted(() => t.request('/umbraco/relation/cites', { token: member.token }))).toEqual({ status: 200, statements: 1 });
    expect(await counted(() => t.request('/umbraco/relation/type/cites', { token: member.token }))).toEqual({ status: 200, statements: 1 });
  });
});

// Both ends in full, so nothing a page shows may cost a statement of its own.
const END = `... on User { displayName accountId }
  ... on Space { key name }
  ... on Content { id title status version { number by { displayName } } space { key name } }`;
const NODES = `nodes { name source { ${END} } target { ${END} } relationData { createdBy { displayName } comment } }`;

/** Runs a GraphQL read as the member; its data, errors and statements. */
async function graphqlCounted(query: string, variables: Record<string, unknown>) {
  const before = t.db.statements.count;
  const { body } = await t.graphql(query, variables, member.token);
  return { body, statements: t.db.statements.count - before };
}

describe("statements per read, whatever the key form: one statement, which carries the token's check", () => {
  const FROM = `query($source: EntityRef!, $type: EntityType!, $name: String!) {
    relationsFrom(name: $name, source: $source, targetType: $type) { COUNT ${NODES} } }`;
  const TO = `query($target: EntityRef!, $type: EntityType!, $name: String!) {
    relationsTo(name: $name, target: $target, sourceType: $type) { COUNT ${NODES} } }`;

  const users = () => [
    ['accountId', member.user.accountId],
    ['userKey', member.user.userKey],
    ['username', member.user.username],
    ['current', 'current'],
  ];

  test.each([false, true])('GraphQL relationsFrom a user by accountId, userKey, username and current (totalCount: %s)', async (total) => {
    const query = FROM.replace('COUNT', total ? 'totalCount' : '');
    for (const [form, key] of users()) {
      const { body, statements } = await graphqlCounted(query, { name: 'likes', source: { type: 'USER', key }, type: 'CONTENT' });
      expect(body.errors, form).toBeUndefined();
      // page and other: the trashed one is not current.
      expect(
        body.data.relationsFrom.nodes.map((n: any) => n.target.id),
        form,
      ).toEqual([page, other]);
      if (total) expect(body.data.relationsFrom.totalCount, form).toBe(2);
      // The count is a statement of its own, made only when asked for, and it resolves the anchor again inside it.
      expect(statements, form).toBe(total ? 2 : 1);
    }
  });

  test.each([false, true])('GraphQL relationsTo content by id, trashed, pinned to a version; to a space by key; from content (totalCount: %s)', async (total) => {
    const cases: [string, string, Record<string, unknown>, string[]][] = [
      ['a content id', TO, { name: 'likes', target: { type: 'CONTENT', key: other }, type: 'USER' }, [member.user.displayName]],
      ['trashed content', TO, { name: 'likes', target: { type: 'CONTENT', key: trashed, status: 'trashed' }, type: 'USER' }, [member.user.displayName]],
      [
        'a historical version',
        TO,
        { name: 'reviewed', target: { type: 'CONTENT', key: edited, status: 'historical', version: 1 }, type: 'USER' },
        [member.user.displayName],
      ],
      ['a space key', TO, { name: 'watch', target: { type: 'SPACE', key: 'COUNT' }, type: 'USER' }, [member.user.displayName]],
      ['from a content id', FROM, { name: 'cites', source: { type: 'CONTENT', key: page }, type: 'CONTENT' }, ['Other page']],
    ];
    for (const [form, shape, variables, shown] of cases) {
      const query = shape.replace('COUNT', total ? 'totalCount' : '');
      const { body, statements } = await graphqlCounted(query, variables);
      expect(body.errors, form).toBeUndefined();
      const list = body.data.relationsTo ?? body.data.relationsFrom;
      const other = shape === TO ? 'source' : 'target';
      expect(
        list.nodes.map((n: any) => n[other].displayName ?? n[other].title),
        form,
      ).toEqual(shown);
      expect(statements, form).toBe(total ? 2 : 1);
    }
    // The anchor shows the version it was asked for, with its author.
    const { body } = await graphqlCounted(TO.replace('COUNT', ''), {
      name: 'reviewed',
      target: { type: 'CONTENT', key: edited, status: 'historical', version: 1 },
      type: 'USER',
    });
    expect(body.data.relationsTo.nodes[0].target).toMatchObject({ title: 'Edited page', version: { number: 1, by: { displayName: 'Admin' } } });
  });

  test('GraphQL relation: both ends, the relation, its creator and the versions shown in one statement', async () => {
    const query = `query($source: EntityRef!, $target: EntityRef!, $name: String!) {
      relation(name: $name, source: $source, target: $target) { name source { ${END} } target { ${END} } relationData { createdBy { displayName } } } }`;
    const cases: [string, Record<string, unknown>][] = [
      ['a user by accountId to content', { name: 'likes', source: { type: 'USER', key: member.user.accountId }, target: { type: 'CONTENT', key: page } }],
      ['current to trashed content', { name: 'likes', source: { type: 'USER', key: 'current' }, target: { type: 'CONTENT', key: trashed, status: 'trashed' } }],
      [
        'a username to a pinned version',
        { name: 'reviewed', source: { type: 'USER', key: member.user.username }, target: { type: 'CONTENT', key: edited, status: 'historical', version: 1 } },
      ],
      ['a userKey to a space', { name: 'watch', source: { type: 'USER', key: member.user.userKey }, target: { type: 'SPACE', key: 'COUNT' } }],
      ['content to content', { name: 'cites', source: { type: 'CONTENT', key: page }, target: { type: 'CONTENT', key: other } }],
    ];
    for (const [form, variables] of cases) {
      const { body, statements } = await graphqlCounted(query, variables);
      expect(body.errors, form).toBeUndefined();
      expect(body.data.relation?.name, form).toBe(variables.name);
      expect(statements, form).toBe(1);
    }
    // None between them: still one statement, and null.
    const { body, statements } = await graphqlCounted(query, { name: 'likes', source: { type: 'USER', key: 'current' }, target: { type: 'CONTENT', key: edited } });
    expect(body.data.relation).toBeNull();
    expect(statements).toBe(1);
  });

  test('a Confluence watch check, of the caller and of a user by account id: one statement', async () => {
    const watching = async (path: string) => {
      const before = t.db.statements.count;
      const response = await t.request(path, { token: member.token });
      return { body: await response.json(), statements: t.db.statements.count - before };
    };
    expect(await watching('/rest/api/user/watch/space/COUNT')).toEqual({ body: { watching: true }, statements: 1 });
    expect(await watching(`/wiki/rest/api/user/watch/space/COUNT?accountId=${member.user.accountId}`)).toEqual({ body: { watching: true }, statements: 1 });
    expect(await watching(`/rest/api/user/watch/content/${page}`)).toEqual({ body: { watching: false }, statements: 1 });
  });

  test('a relation by id (GraphQL node, Umbraco GET): the relation with both ends, their spaces and the versions shown in one statement', async () => {
    const made = await t.request('/umbraco/relation', {
      method: 'POST',
      token: member.token,
      json: { parentId: Number(page), childId: Number(edited), relationTypeAlias: 'byid' },
    });
    const { _id: id } = (await made.json()) as { _id: number };
    const globalId = Buffer.from(`Relation:${id}`).toString('base64');
    const query = `query($id: ID!) { node(id: $id) { ... on Relation { name source { ${END} } target { ${END} } relationData { createdBy { displayName } } } } }`;
    const { body, statements } = await graphqlCounted(query, { id: globalId });
    expect(body.errors).toBeUndefined();
    expect(body.data.node).toMatchObject({ name: 'byid', target: { title: 'Edited page, again', version: { number: 2 } } });
    expect(statements).toBe(1);
    expect(await counted(() => t.request(`/umbraco/relation/${id}`, { token: member.token }))).toEqual({ status: 200, statements: 1 });
    // A delete by id: token, the relation read and checked once, the delete.
    expect(await counted(() => t.request(`/umbraco/relation/${id}`, { method: 'DELETE', token: member.token }))).toEqual({ status: 200, statements: 3 });
    expect(await counted(() => t.request(`/umbraco/relation/${id}`, { method: 'DELETE', token: member.token }))).toEqual({ status: 404, statements: 2 });
  });

  test('a missing or invisible anchor: the same not-found, still in one statement', async () => {
    const { body, statements } = await graphqlCounted(FROM.replace('COUNT', ''), {
      name: 'likes',
      source: { type: 'USER', key: 'nobody-has-this-key' },
      type: 'CONTENT',
    });
    expect(body.errors?.[0]).toMatchObject({ message: "No user found with key 'nobody-has-this-key'", extensions: { code: 'NOT_FOUND' } });
    expect(statements).toBe(1);
    // Trashed content asked for as current.
    const asCurrent = await graphqlCounted(TO.replace('COUNT', ''), { name: 'likes', target: { type: 'CONTENT', key: trashed }, type: 'USER' });
    expect(asCurrent.body.errors?.[0]).toMatchObject({ message: `No content found with id '${trashed}' and status 'current'`, extensions: { code: 'NOT_FOUND' } });
    expect(asCurrent.statements).toBe(1);
  });

  test('REST lists by accountId, userKey, username and current, by content id (trashed, historical), by space key; Cloud prefix and Basic auth', async () => {
    const basic = `Basic ${Buffer.from(`${member.user.email}:${member.token}`).toString('base64')}`;
    const expand = 'expand=relationData,source,target.space';
    const paths: [string, number][] = [
      ...users().map(([, key]) => [`/rest/api/relation/likes/from/user/${encodeURIComponent(key)}/to/content?${expand}`, 2] as [string, number]),
      [`/wiki/rest/api/relation/likes/to/content/${other}/from/user?${expand}`, 1],
      [`/wiki/rest/api/relation/likes/to/content/${trashed}/from/user?targetStatus=trashed&${expand}`, 1],
      [`/wiki/rest/api/relation/reviewed/to/content/${edited}/from/user?targetStatus=historical&targetVersion=1&${expand}`, 1],
      [`/wiki/rest/api/relation/watch/to/space/COUNT/from/user?${expand}`, 1],
      [`/rest/api/relation/cites/from/content/${page}/to/content?${expand}`, 1],
    ];
    for (const [path, size] of paths) {
      for (const headers of [{ authorization: `Bearer ${member.token}` }, { authorization: basic }]) {
        const before = t.db.statements.count;
        const response = await t.request(path, { headers });
        const body = (await response.json()) as { size: number };
        expect({ path, status: response.status, size: body.size, statements: t.db.statements.count - before }).toEqual({ path, status: 200, size, statements: 1 });
      }
    }
  });

  test("a Confluence create of a new relation (the ends with the token's check, the insert), and an Umbraco one (token, ends, insert)", async () => {
    expect(await counted(() => t.request(relationPath('marks', member.user.username, other), { method: 'PUT', token: member.token }))).toEqual({
      status: 200,
      statements: 2,
    });
    const created = await counted(() =>
      t.request('/umbraco/relation', { method: 'POST', token: member.token, json: { parentId: Number(other), childId: Number(page), relationTypeAlias: 'next' } }),
    );
    expect(created).toEqual({ status: 201, statements: 3 });
  });
});
