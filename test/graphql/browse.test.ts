// Browsing over GraphQL: Query.spaces, Query.users and Space.contents — keyset pages that walk every row once,
// the view rule applied inside the statements (counts included), bad input named, and the batching rule counted
// at the driver.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/context.js';
import { createContent, trashContent } from '../../src/services/content.js';
import { encodeCursor } from '../../src/services/paging.js';
import { addSpaceMember, createSpace } from '../../src/services/spaces.js';
import { contentFilter, countSpaceContents, spaceContentsPage } from '../../src/services/space-contents.js';
import { insertUser } from '../../src/services/users.js';
import { createTestApp, type Account, type TestApp } from '../support/app.js';
import { ok } from './operations.js';

let t: TestApp;
let stranger: Account;
let member: Account;
const BULK = 50;
const PER_SPACE = 201;

const as = (account: Account) => createContext(t.config, t.db, { id: account.user.id, siteAdmin: account.user.siteAdmin, tokenId: 0 });

beforeAll(async () => {
  t = await createTestApp();
  stranger = await t.account('Stranger');
  member = await t.account('Member');
  const admin = as(t.admin);
  // The bulk spaces first, so a site admin's first 50 spaces are they.
  for (let i = 0; i < BULK; i++) await createSpace({ ctx: admin, key: `BULK${String(i).padStart(2, '0')}`, name: `Bulk ${i}` });
  await t.db.prisma.$executeRaw`
    INSERT INTO content (space_id, type, status, title, created_by_id)
    SELECT s.id, CASE WHEN g % 3 = 0 THEN 'blogpost' ELSE 'page' END, 'current', s.key || ' item ' || g, ${t.admin.user.id}
    FROM spaces s CROSS JOIN generate_series(1, ${PER_SPACE}) g WHERE s.key LIKE 'BULK%' ORDER BY s.id, g`;
  await t.db.prisma.$executeRaw`INSERT INTO content_versions (content_id, number, title, status, by_id) SELECT id, 1, title, status, created_by_id FROM content`;
  await createSpace({ ctx: admin, key: 'SECRET', name: 'Secret', public: false });
  await createContent({ ctx: admin, spaceKey: 'SECRET', title: 'Hidden page' });
  await addSpaceMember({ ctx: admin, spaceKey: 'SECRET', user: member.user.accountId, level: 'VIEW' });
  await createSpace({ ctx: admin, key: 'MIXED', name: 'Mixed' });
  await createContent({ ctx: admin, spaceKey: 'MIXED', title: 'A page' });
  await createContent({ ctx: admin, spaceKey: 'MIXED', title: 'A post', type: 'blogpost' });
  await createContent({ ctx: admin, spaceKey: 'MIXED', title: 'A draft', status: 'draft' });
  const trashed = await createContent({ ctx: admin, spaceKey: 'MIXED', title: 'A trashed page' });
  await trashContent({ ctx: admin, id: String(trashed.id) });
}, 180_000);

afterAll(() => t?.close());

const base64url = (text: string) => Buffer.from(text, 'latin1').toString('base64url');

/** Every page of a connection field, following endCursor; the nodes in order. */
async function walk(token: string, field: (after: string | null) => string, pick: (data: any) => any): Promise<{ nodes: any[]; pages: number; totalCount: number }> {
  const nodes: any[] = [];
  let after: string | null = null;
  let pages = 0;
  let totalCount = -1;
  for (;;) {
    const connection = pick(await ok(t, token, `{ ${field(after)} }`));
    pages++;
    totalCount = connection.totalCount;
    expect(connection.pageInfo.hasPreviousPage).toBe(after !== null);
    expect(connection.edges.map((e: any) => e.cursor).at(-1) ?? null).toBe(connection.pageInfo.endCursor);
    nodes.push(...connection.nodes);
    if (!connection.pageInfo.hasNextPage) return { nodes, pages, totalCount };
    after = connection.pageInfo.endCursor;
  }
}

const PAGE = 'totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor }';
const afterArg = (cursor: string | null) => (cursor ? `, after: ${JSON.stringify(cursor)}` : '');

describe('Space.contents', () => {
  it('walks a space of 201 rows in pages of 50, every row once, in id order', async () => {
    const walked = await walk(
      t.admin.token,
      (cursor) => `space(key: "BULK07") { contents(first: 50${afterArg(cursor)}) { ${PAGE} nodes { id title space { key } } } }`,
      (data) => data.space.contents,
    );
    const stored = await t.db.prisma.content.findMany({ where: { space: { key: 'BULK07' } }, orderBy: { id: 'asc' } });
    expect(walked.nodes.map((n) => n.id)).toEqual(stored.map((c) => String(c.id)));
    expect(walked.nodes).toHaveLength(PER_SPACE);
    expect(walked.pages).toBe(5);
    expect(walked.totalCount).toBe(PER_SPACE);
    expect(new Set(walked.nodes.map((n) => n.space.key))).toEqual(new Set(['BULK07']));
  });

  it('edges carry content cursors; an empty page has no cursors and no next page', async () => {
    const data = await ok(t, t.admin.token, `{ space(key: "MIXED") { contents(first: 1) { edges { cursor node { id } } pageInfo { startCursor endCursor } } } }`);
    const [edge] = data.space.contents.edges;
    expect(edge.cursor).toBe(encodeCursor(Number(edge.node.id), 'content'));
    expect(data.space.contents.pageInfo).toEqual({ startCursor: edge.cursor, endCursor: edge.cursor });
    const empty = await ok(t, t.admin.token, `{ space(key: "MIXED") { contents(first: 0) { totalCount nodes { id } pageInfo { hasNextPage startCursor endCursor } } } }`);
    expect(empty.space.contents).toEqual({ totalCount: 2, nodes: [], pageInfo: { hasNextPage: false, startCursor: null, endCursor: null } });
  });

  it('lists current content by default; a type, a status or `any` selects', async () => {
    const titles = async (args: string) => {
      const data = await ok(t, t.admin.token, `{ space(key: "MIXED") { contents${args} { totalCount nodes { title type status } } } }`);
      expect(data.space.contents.totalCount).toBe(data.space.contents.nodes.length);
      return data.space.contents.nodes.map((n: any) => n.title);
    };
    expect(await titles('')).toEqual(['A page', 'A post']);
    expect(await titles('(type: "blogpost")')).toEqual(['A post']);
    expect(await titles('(status: "draft")')).toEqual(['A draft']);
    expect(await titles('(status: "trashed")')).toEqual(['A trashed page']);
    expect(await titles('(status: "any")')).toEqual(['A page', 'A post', 'A draft', 'A trashed page']);
    expect(await titles('(status: "any", type: "page")')).toEqual(['A page', 'A draft', 'A trashed page']);
    expect(await titles('(type: "whiteboard")')).toEqual([]);
  });

  it('the same field for several spaces pages each space on its own', async () => {
    const data = await ok(
      t,
      t.admin.token,
      `{ a: space(key: "BULK01") { contents(first: 2, type: "blogpost") { nodes { title } } }
      b: space(key: "BULK02") { contents(first: 2, type: "blogpost") { nodes { title } } } }`,
    );
    expect(data.a.contents.nodes).toEqual([{ title: 'BULK01 item 3' }, { title: 'BULK01 item 6' }]);
    expect(data.b.contents.nodes).toEqual([{ title: 'BULK02 item 3' }, { title: 'BULK02 item 6' }]);
  });

  it('a space the viewer may not view lists nothing and counts nothing, however it was reached', async () => {
    const secret = (await t.db.prisma.space.findUniqueOrThrow({ where: { key: 'SECRET' } })).id;
    const filter = contentFilter(undefined, 'any');
    const page = { limit: 25, after: null };
    expect(await spaceContentsPage(as(stranger), secret, filter, page)).toEqual({ rows: [], hasMore: false });
    expect(await countSpaceContents(as(stranger), secret, filter)).toBe(0);
    expect((await spaceContentsPage(as(member), secret, filter, page)).rows.map((c) => c.title)).toEqual(['Hidden page']);
    expect(await countSpaceContents(as(member), secret, filter)).toBe(1);
  });
});

describe('Query.spaces', () => {
  const SPACES = (cursor: string | null) => `spaces(first: 7${afterArg(cursor)}) { ${PAGE} nodes { key } }`;

  it('a site admin walks every space once, in id order', async () => {
    const walked = await walk(t.admin.token, SPACES, (data) => data.spaces);
    const stored = await t.db.prisma.space.findMany({ orderBy: { id: 'asc' } });
    expect(walked.nodes.map((n) => n.key)).toEqual(stored.map((s) => s.key));
    expect(walked.totalCount).toBe(stored.length);
    expect(walked.nodes.map((n) => n.key)).toContain('SECRET');
  });

  it('a stranger sees the public spaces only, and the count says no more', async () => {
    const walked = await walk(stranger.token, SPACES, (data) => data.spaces);
    const stored = await t.db.prisma.space.findMany({ where: { public: true }, orderBy: { id: 'asc' } });
    expect(walked.nodes.map((n) => n.key)).toEqual(stored.map((s) => s.key));
    expect(walked.nodes.map((n) => n.key)).not.toContain('SECRET');
    expect(walked.totalCount).toBe(stored.length);
    expect(walked.totalCount).toBe((await t.db.prisma.space.count()) - 1);
  });

  it('a member of a private space sees it', async () => {
    const walked = await walk(member.token, SPACES, (data) => data.spaces);
    expect(walked.nodes.map((n) => n.key)).toContain('SECRET');
    expect(walked.totalCount).toBe(await t.db.prisma.space.count());
  });
});

describe('Query.users', () => {
  let ids: Record<string, string>;

  beforeAll(async () => {
    const made: Record<string, string> = {};
    for (const [label, email, displayName] of [
      ['xavier', 'alpha1@browse.example', 'Xavier Prefix'],
      ['mail', 'xenon.mail@browse.example', 'Nobody Special'],
      ['handle', 'beta2@browse.example', 'Someone Else'],
      ['percent', 'gamma3@browse.example', '100% Real'],
      ['percentless', 'delta4@browse.example', '100X Real'],
      ['underscore', 'eps5@browse.example', 'a_b'],
      ['letter', 'zeta6@browse.example', 'axb'],
      ['backslash', 'eta7@browse.example', 'back\\slash'],
    ]) {
      made[label] = (await insertUser(t.db.prisma, { email, displayName })).accountId;
    }
    // Usernames default to the e-mail's local part; one of its own shows the username is searched on its own.
    await t.db.prisma.user.update({ where: { accountId: made.handle }, data: { username: 'XyloHandle' } });
    ids = made;
  });

  const search = async (query: string, token = stranger.token) => {
    const data = await ok(t, token, `query($q: String) { users(query: $q, first: 200) { totalCount nodes { accountId } } }`, { q: query });
    expect(data.users.totalCount).toBe(data.users.nodes.length);
    return data.users.nodes.map((n: any) => n.accountId);
  };

  it('finds by a prefix of the display name, the e-mail or the username, ignoring case', async () => {
    expect(await search('xavier p')).toEqual([ids.xavier]);
    expect(await search('XAV')).toEqual([ids.xavier]);
    expect(await search('xenon.m')).toEqual([ids.mail]);
    expect(await search('XENON.MAIL@BROWSE')).toEqual([ids.mail]);
    expect(await search('xylo')).toEqual([ids.handle]);
    expect(await search('XyLoHaNdLe')).toEqual([ids.handle]);
    expect(await search('x')).toEqual([ids.xavier, ids.mail, ids.handle]);
    // A prefix, not a substring.
    expect(await search('prefix')).toEqual([]);
  });

  it('wildcard characters match only themselves', async () => {
    expect(await search('100%')).toEqual([ids.percent]);
    expect(await search('100')).toEqual([ids.percent, ids.percentless]);
    expect(await search('a_')).toEqual([ids.underscore]);
    expect(await search('_')).toEqual([]);
    expect(await search('%')).toEqual([]);
    expect(await search('back\\')).toEqual([ids.backslash]);
    expect(await search('\\')).toEqual([]);
    expect(await search('x\u0000')).toEqual([]);
  });

  it('without a query, every user, walked once in id order', async () => {
    const walked = await walk(
      stranger.token,
      (cursor) => `users(first: 3${afterArg(cursor)}) { ${PAGE} nodes { accountId } }`,
      (data) => data.users,
    );
    const stored = await t.db.prisma.user.findMany({ orderBy: { id: 'asc' } });
    expect(walked.nodes.map((n) => n.accountId)).toEqual(stored.map((u) => u.accountId));
    expect(walked.totalCount).toBe(stored.length);
  });

  it('a search pages too', async () => {
    const walked = await walk(
      stranger.token,
      (cursor) => `users(query: "X", first: 2${afterArg(cursor)}) { ${PAGE} nodes { accountId } }`,
      (data) => data.users,
    );
    expect(walked.nodes.map((n) => n.accountId)).toEqual([ids.xavier, ids.mail, ids.handle]);
    expect(walked.pages).toBe(2);
  });
});

describe('bad input', () => {
  const relationCursor = encodeCursor(1);
  it.each([
    ['a negative first for spaces', '{ spaces(first: -1) { totalCount } }', 'first'],
    ['a malformed cursor for spaces', '{ spaces(after: "garbage") { totalCount } }', 'after'],
    ['a relation cursor for spaces', `{ spaces(after: "${relationCursor}") { totalCount } }`, 'after'],
    ['a legacy relation cursor for spaces', `{ spaces(after: "${base64url('r1')}") { totalCount } }`, 'after'],
    ['a user cursor for spaces', `{ spaces(after: "${encodeCursor(1, 'user')}") { totalCount } }`, 'after'],
    ['a negative first for users', '{ users(first: -3) { totalCount } }', 'first'],
    ['a space cursor for users', `{ users(after: "${encodeCursor(1, 'space')}") { totalCount } }`, 'after'],
    ['a negative first for contents', '{ space(key: "MIXED") { contents(first: -1) { totalCount } } }', 'first'],
    ['a space cursor for contents', `{ space(key: "MIXED") { contents(after: "${encodeCursor(1, 'space')}") { totalCount } } }`, 'after'],
    ['a malformed cursor for contents', '{ space(key: "MIXED") { contents(after: "%%%") { totalCount } } }', 'after'],
    ['an unknown content type', '{ space(key: "MIXED") { contents(type: "novel") { totalCount } } }', 'type'],
    ['an upper-case content type', '{ space(key: "MIXED") { contents(type: "PAGE") { totalCount } } }', 'type'],
    ['an unknown content status', '{ space(key: "MIXED") { contents(status: "gone") { totalCount } } }', 'status'],
    ['an empty content status', '{ space(key: "MIXED") { contents(status: "") { totalCount } } }', 'status'],
    ['historical, which pins versions', '{ space(key: "MIXED") { contents(status: "historical") { totalCount } } }', 'status'],
  ])('%s is BAD_USER_INPUT naming the argument', async (_, query, field) => {
    const { status, body } = await t.graphql(query, {}, t.admin.token);
    expect(status).toBe(200);
    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(body.errors?.[0].message).toContain(field);
  });

  it('first above 200 is capped silently', async () => {
    const data = await ok(t, t.admin.token, '{ space(key: "BULK00") { contents(first: 5000) { nodes { id } pageInfo { hasNextPage } } } }');
    expect(data.space.contents.nodes).toHaveLength(200);
    expect(data.space.contents.pageInfo.hasNextPage).toBe(true);
  });
});

describe('statements (the batching rule)', () => {
  const QUERY = `query($n: Int, $m: Int) { spaces(first: $n) { totalCount nodes { key contents(first: $m) { totalCount nodes { title space { key } } } } } }`;

  async function statementsFor(query: string, n: number, m: number) {
    const before = t.db.statements.count;
    const data = await ok(t, t.admin.token, query, { n, m });
    const statements = t.db.statements.count - before;
    expect(data.spaces.nodes).toHaveLength(n);
    for (const space of data.spaces.nodes) {
      expect(space.contents.nodes).toHaveLength(m);
      expect(new Set(space.contents.nodes.map((c: any) => c.space.key))).toEqual(new Set([space.key]));
      if ('totalCount' in space.contents) expect(space.contents.totalCount).toBe(PER_SPACE);
    }
    return statements;
  }

  it.each([1, 5, BULK])('%i spaces with their content cost 1 (token) + 2 + 2 statements at every page size', async (n) => {
    for (const m of [1, 25, 200]) expect(await statementsFor(QUERY, n, m)).toBe(5);
  });

  it.each([1, 5, BULK])('without totalCount, %i spaces cost 1 (token) + 1 + 1 statements', async (n) => {
    const query = QUERY.replaceAll('totalCount ', '');
    for (const m of [1, 25, 200]) expect(await statementsFor(query, n, m)).toBe(3);
  });

  it('the space a content row shows costs nothing however the parent was reached', async () => {
    const before = t.db.statements.count;
    const data = await ok(t, t.admin.token, '{ space(key: "BULK03") { contents(first: 200) { nodes { space { key name } } } } }');
    expect(data.space.contents.nodes).toHaveLength(200);
    // The token, the space by key, its content.
    expect(t.db.statements.count - before).toBe(3);
  });

  it("a content row's latest version comes with it", async () => {
    const before = t.db.statements.count;
    const data = await ok(t, t.admin.token, '{ spaces(first: 5) { nodes { contents(first: 200) { nodes { version { number by { displayName } } } } } } }');
    expect(data.spaces.nodes.flatMap((s: any) => s.contents.nodes.map((c: any) => `${c.version.number} ${c.version.by.displayName}`))).toEqual(
      Array(5 * 200).fill(`1 ${t.admin.user.displayName}`),
    );
    // The token (its user, the admin, is the author: the users loader has it), the spaces, their content with its versions.
    expect(t.db.statements.count - before).toBe(3);
  });

  it('one statement reads pages for distinct arguments apart, the same arguments together', async () => {
    const before = t.db.statements.count;
    await ok(
      t,
      t.admin.token,
      `{ spaces(first: 3) { nodes { a: contents(first: 1) { nodes { id } } b: contents(first: 2) { nodes { id } } c: contents(first: 1) { nodes { id } } } } }`,
    );
    // The token, the spaces, `first: 1` for a and c together, `first: 2` for b.
    expect(t.db.statements.count - before).toBe(4);
  });
});
