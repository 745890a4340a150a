// Nested relation fields: one SQL statement per field position for all of its parents, whatever their number
// and page size, with the ends carried along; permissions as in the flat lists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/context.js';
import { createContent, updateContent } from '../../src/services/content.js';
import { createRelation } from '../../src/services/relations.js';
import { addSpaceMember, createSpace } from '../../src/services/spaces.js';
import { createTestApp, type Account, type TestApp } from '../support/app.js';
import { insertRelations, type StoredEnd } from '../support/relate.js';
import { ok } from './operations.js';

let t: TestApp;
let alice: Account;
let stranger: Account;
let likers: Account[];
const pages: number[] = [];
let privatePage: number;

const as = (account: Account) => createContext(t.config, t.db, { id: account.user.id, siteAdmin: account.user.siteAdmin, tokenId: 0 });

const relate = (name: string, pairs: [StoredEnd, StoredEnd][]) => insertRelations(t.db, name, pairs, t.admin.user.id);

beforeAll(async () => {
  t = await createTestApp();
  alice = await t.account('Alice Nested');
  stranger = await t.account('Stranger Nested');
  likers = [];
  for (let i = 0; i < 50; i++) likers.push(await t.account(`Liker ${i}`));
  const admin = as(t.admin);
  await createSpace({ ctx: admin, key: 'NEST', name: 'Nested' });
  await createSpace({ ctx: admin, key: 'NESTP', name: 'Nested private', public: false });
  await addSpaceMember({ ctx: admin, spaceKey: 'NESTP', user: alice.user.accountId, level: 'VIEW' });
  for (let i = 0; i < 50; i++) pages.push((await createContent({ ctx: admin, spaceKey: 'NEST', title: `Nested page ${i}` })).id);
  privatePage = (await createContent({ ctx: admin, spaceKey: 'NESTP', title: 'Secret page' })).id;
  const user = (a: Account): StoredEnd => ({ type: 'USER', id: a.user.id });
  const page = (id: number): StoredEnd => ({ type: 'CONTENT', id });
  await relate(
    'favourite',
    pages.map((id) => [user(alice), page(id)]),
  );
  await relate(
    'likes',
    likers.flatMap((l) => pages.map((id) => [user(l), page(id)] as [StoredEnd, StoredEnd])),
  );
  await relate(
    'watch',
    likers.flatMap((l) => pages.map((id) => [user(l), page(id)] as [StoredEnd, StoredEnd])),
  );
  // Through the service, so the rules apply: alice likes the private page, which a stranger may not see.
  await createRelation({ ctx: as(alice), name: 'likes', source: { type: 'USER', key: 'current' }, target: { type: 'CONTENT', key: String(privatePage) } });
  await createRelation({ ctx: as(alice), name: 'likes', source: { type: 'USER', key: 'current' }, target: { type: 'CONTENT', key: String(pages[0]) } });
  // From here on alice is a caller the app has seen: a query's first statement carries her token's check
  // (src/services/callers.ts) instead of a statement of its own.
  await ok(t, alice.token, '{ __typename }');
}, 300_000);

afterAll(() => t?.close());

const NESTED = (count: boolean) => `query($a: Int, $b: Int, $c: Int) {
  me {
    relationsFrom(name: "favourite", targetType: CONTENT, first: $a) {
      ${count ? 'totalCount' : ''}
      nodes {
        target { ... on Content { id title space { key } version { number by { displayName } }
          relationsTo(name: "likes", sourceType: USER, first: $b) {
            ${count ? 'totalCount' : ''}
            nodes {
              relationData { createdBy { displayName } }
              source { ... on User { displayName
                relationsFrom(name: "watch", first: $c) {
                  ${count ? 'totalCount' : ''}
                  pageInfo { hasNextPage endCursor }
                  nodes { target { __typename ... on Content { id title space { key } } ... on Space { key } } }
                }
              } }
            }
          }
        } }
      }
    }
  }
}`;

async function run(token: string, query: string, variables: Record<string, unknown>) {
  const before = t.db.statements.count;
  const data = await ok(t, token, query, variables);
  return { data, statements: t.db.statements.count - before };
}

describe('nested relation fields', () => {
  for (const [a, b, c] of [
    [1, 1, 1],
    [25, 25, 25],
    [50, 50, 5],
    [1, 200, 200],
    [200, 1, 1],
  ]) {
    it(`a three-level query costs one statement per level (the first carrying the token's check) at first ${a}, ${b}, ${c}`, async () => {
      const { data, statements } = await run(alice.token, NESTED(false), { a, b, c });
      const level1 = data.me.relationsFrom.nodes;
      expect(level1).toHaveLength(Math.min(a, 50));
      for (const n1 of level1) {
        // The likers of each page: the 50 likers, plus alice on the first page.
        const level2 = n1.target.relationsTo.nodes;
        const likersOfPage = n1.target.id === String(pages[0]) ? 51 : 50;
        expect(level2).toHaveLength(Math.min(b, likersOfPage));
        for (const n2 of level2) {
          const watched = n2.source.relationsFrom.nodes;
          const watches = n2.source.displayName === alice.user.displayName ? 0 : 50;
          expect(watched).toHaveLength(Math.min(c, watches));
          expect(n2.source.relationsFrom.pageInfo.hasNextPage).toBe(watches > c);
        }
      }
      expect(statements).toBe(3);
      // Asking for totalCount at each level adds at most one statement per level.
      const counted = await run(alice.token, NESTED(true), { a, b, c });
      expect(counted.statements).toBe(3 + 3);
      expect(counted.data.me.relationsFrom.totalCount).toBe(50);
    });
  }

  it('sends each distinct end of a level once, however many of its relations show it', async () => {
    // Each level's rows by kind (column 0: r relation, u user, c content, s space, v version) and their ids (column 1).
    const levels: Map<string, number[]>[] = [];
    t.db.statements.around = async (text, run) => {
      const result = await run();
      if (text.includes('WITH page AS MATERIALIZED')) {
        const byKind = new Map<string, number[]>();
        for (const row of (result as { rows: unknown[][] }).rows) byKind.set(row[0] as string, [...(byKind.get(row[0] as string) ?? []), row[1] as number]);
        levels.push(byKind);
      }
      return result;
    };
    try {
      await ok(t, alice.token, NESTED(false), { a: 5, b: 5, c: 5 });
    } finally {
      t.db.statements.around = undefined;
    }
    const count = (level: Map<string, number[]>, kind: string) => level.get(kind)?.length ?? 0;
    expect(levels).toHaveLength(3);
    const [favourites, likes, watches] = levels;
    // 5 favourites (+1 to see whether there are more), their 5 pages and space, each page's version 1 and its
    // author and the favourites' creator: the admin, once.
    expect([count(favourites, 'r'), count(favourites, 'c'), count(favourites, 's'), count(favourites, 'v'), count(favourites, 'u')]).toEqual([6, 6, 1, 6, 1]);
    // The likers of the 5 pages shown: the same 6 likers of each, 30 relations; the likers and the admin (their
    // creator) once each.
    expect([count(likes, 'r'), count(likes, 'u'), count(likes, 'c')]).toEqual([30, 7, 0]);
    // The watches of the 5 likers shown: the same 6 pages each; the pages, their space and the admin once.
    expect([count(watches, 'r'), count(watches, 'c'), count(watches, 's'), count(watches, 'u')]).toEqual([30, 6, 1, 1]);
    for (const level of levels) for (const [kind, ids] of level) if (kind !== 'v') expect(new Set(ids).size, kind).toBe(ids.length);
  });

  it('refuses a walk over the cost budget before any SQL runs beyond the token lookup', async () => {
    const before = t.db.statements.count;
    const { status, body } = await t.graphql(NESTED(false), { a: 200, b: 200, c: 2 }, alice.token);
    expect(status).toBe(400);
    // 200 + 200 × 200 + 200 × 200 × 2 = 120,200 > 50,000.
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COSTLY', cost: 120_200, maxCost: 50_000 });
    expect(t.db.statements.count - before).toBe(1);
  });

  it('pages of each parent follow their own cursor', async () => {
    const query = `query($after: String) { me { relationsFrom(name: "favourite", first: 20, after: $after) {
      pageInfo { hasNextPage endCursor } nodes { target { ... on Content { id } } } } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const data: any = await ok(t, alice.token, query, { after });
      seen.push(...data.me.relationsFrom.nodes.map((n: any) => n.target.id));
      if (!data.me.relationsFrom.pageInfo.hasNextPage) break;
      after = data.me.relationsFrom.pageInfo.endCursor;
    }
    expect(seen).toEqual(pages.map(String));
  });

  it('orders latest first with CREATED_DESC, keyset-paged the same way', async () => {
    const query = `query($after: String) { me { relationsFrom(name: "favourite", first: 30, after: $after, orderBy: CREATED_DESC) {
      pageInfo { hasNextPage endCursor } nodes { target { ... on Content { id } } } } } }`;
    const first: any = await ok(t, alice.token, query, {});
    const second: any = await ok(t, alice.token, query, { after: first.me.relationsFrom.pageInfo.endCursor });
    const ids = [...first.me.relationsFrom.nodes, ...second.me.relationsFrom.nodes].map((n: any) => n.target.id);
    expect(ids).toEqual(pages.map(String).reverse());
    expect(second.me.relationsFrom.pageInfo.hasNextPage).toBe(false);
  });

  it('orders the root lists latest first with CREATED_DESC too, in the same statements', async () => {
    const query = `query($after: String) { relationsTo(name: "likes", target: { type: CONTENT, key: "${pages[1]}" }, sourceType: USER, first: 30, after: $after, orderBy: CREATED_DESC) {
      pageInfo { hasNextPage endCursor } nodes { source { ... on User { displayName } } } } }`;
    const first = await run(alice.token, query, {});
    expect(first.statements).toBe(1);
    const second: any = await ok(t, alice.token, query, { after: first.data.relationsTo.pageInfo.endCursor });
    const names = [...first.data.relationsTo.nodes, ...second.relationsTo.nodes].map((n: any) => n.source.displayName);
    expect(names).toEqual(likers.map((l) => l.user.displayName).reverse());
    expect(second.relationsTo.pageInfo.hasNextPage).toBe(false);
  });

  it('lists every name and type when they are omitted, and relationNames counts them', async () => {
    const query = `query($key: String!) { user(key: $key) {
      relationsFrom(first: 200) { totalCount nodes { name target { __typename } } }
      relationNames { name direction otherType count }
    } }`;
    const data: any = await ok(t, alice.token, query, { key: alice.user.accountId });
    const names = data.user.relationsFrom.nodes.map((n: any) => n.name);
    expect(names.filter((n: string) => n === 'favourite')).toHaveLength(50);
    expect(names.filter((n: string) => n === 'likes')).toHaveLength(2);
    expect(data.user.relationsFrom.totalCount).toBe(52);
    expect(data.user.relationNames).toEqual([
      { name: 'favourite', direction: 'FROM', otherType: 'CONTENT', count: 50 },
      { name: 'likes', direction: 'FROM', otherType: 'CONTENT', count: 2 },
    ]);
  });

  it("shows a stranger neither alice's favourites nor her like of a page it may not view", async () => {
    const query = `query($key: String!) { user(key: $key) {
      relationsFrom { totalCount nodes { name target { ... on Content { id } } } }
      relationNames(direction: FROM) { name count }
    } }`;
    const data: any = await ok(t, stranger.token, query, { key: alice.user.accountId });
    expect(data.user.relationsFrom.nodes).toEqual([{ name: 'likes', target: { id: String(pages[0]) } }]);
    expect(data.user.relationsFrom.totalCount).toBe(1);
    expect(data.user.relationNames).toEqual([{ name: 'likes', count: 1 }]);
  });

  it('relationNames of many parents costs one statement', async () => {
    const query = `{ me { relationsFrom(name: "favourite", first: 50) { nodes { target { ... on Content { relationNames { name direction count } } } } } } }`;
    const { data, statements } = await run(alice.token, query, {});
    expect(statements).toBe(2);
    const first = data.me.relationsFrom.nodes[0].target.relationNames;
    // In order of first use: alice's own favourite (she may see it) came first.
    expect(first).toEqual([
      { name: 'favourite', direction: 'TO', count: 1 },
      { name: 'likes', direction: 'TO', count: 51 },
      { name: 'watch', direction: 'TO', count: 50 },
    ]);
  });

  it('refuses bad arguments with BAD_USER_INPUT naming them', async () => {
    for (const [args, field] of [
      ['first: -1', 'first'],
      ['after: "garbage"', 'after'],
      ['targetStatus: "nonsense"', 'targetStatus'],
      ['targetStatus: "historical"', 'targetVersion'],
      ['name: ""', 'name'],
    ]) {
      const { status, body } = await t.graphql(`{ me { relationsFrom(${args}) { nodes { id } } } }`, {}, alice.token);
      expect(status, args).toBe(200);
      expect(body.errors?.[0]?.extensions?.code, args).toBe('BAD_USER_INPUT');
      expect(body.errors?.[0]?.extensions?.field ?? body.errors?.[0]?.message, args).toContain(field);
    }
  });
});

// A content end's version and its author are read only when the query may show them (src/graphql/selection.ts);
// a pinned end's version is read regardless, since its title and status are the version's.
describe('versions are joined only for queries that may show them', () => {
  let pinned: number;

  beforeAll(async () => {
    const admin = as(t.admin);
    pinned = (await createContent({ ctx: admin, spaceKey: 'NEST', title: 'Pinned v1' })).id;
    await updateContent({ ctx: admin, id: String(pinned), title: 'Pinned v2' });
    const me = { type: 'USER' as const, key: 'current' };
    await createRelation({ ctx: as(alice), name: 'pinwatch', source: me, target: { type: 'CONTENT', key: String(pinned), status: 'historical', version: 1 } });
    await createRelation({ ctx: as(alice), name: 'pinwatch', source: me, target: { type: 'CONTENT', key: String(pages[1]) } });
  });

  /** The statements a query sends, as texts, besides its answer. */
  async function texts(query: string): Promise<{ data: any; sent: string[] }> {
    const sent: string[] = [];
    t.db.statements.around = (text, run) => (sent.push(text), run());
    try {
      return { data: await ok(t, alice.token, query, {}), sent };
    } finally {
      t.db.statements.around = undefined;
    }
  }

  const fields = (version: string) => `nodes { target { ... on Content { id title status ${version} } } }`;
  // Two fields, two pages: the relation pinned to version 1, and the unpinned one.
  const NESTED_PIN = (version: string, fragments = '') => `query { me {
    pinned: relationsFrom(name: "pinwatch", targetStatus: "historical", targetVersion: 1) { ${fields(version)} }
    latest: relationsFrom(name: "pinwatch") { ${fields(version)} } } } ${fragments}`;
  const ROOT_PIN = (version: string, fragments = '') => `query {
    pinned: relationsFrom(name: "pinwatch", source: {type: USER, key: "current"}, targetType: CONTENT, targetStatus: "historical", targetVersion: 1) { ${fields(version)} }
    latest: relationsFrom(name: "pinwatch", source: {type: USER, key: "current"}, targetType: CONTENT) { ${fields(version)} } } ${fragments}`;
  // How each statement reads the versions' authors: flat pages join them to each row, nested pages read them once.
  const VERSION_AUTHOR = /"ovu\.|SELECT v\.by_id FROM versions/;
  const targets = (data: any) => {
    const at = data.me ?? data;
    return [...at.pinned.nodes, ...at.latest.nodes].map((n: any) => n.target);
  };

  for (const [label, query] of [
    ['nested', NESTED_PIN],
    ['root', ROOT_PIN],
  ] as const) {
    it(`${label}: without \`version\` no version author is read, and a pinned end still shows its version's title`, async () => {
      const { data, sent } = await texts(query(''));
      expect(sent).toHaveLength(2); // the two pages (which carry the token's check)
      expect(sent.join('\n')).not.toMatch(VERSION_AUTHOR);
      expect(targets(data)).toEqual([
        { id: String(pinned), title: 'Pinned v1', status: 'current' },
        { id: String(pages[1]), title: 'Nested page 1', status: 'current' },
      ]);
    });

    it(`${label}: \`version\` under a named fragment is read with the page: the pinned one and the latest, with authors`, async () => {
      const { data, sent } = await texts(query('...Shown', 'fragment Shown on Content { version { number by { displayName } } }'));
      expect(sent).toHaveLength(2);
      expect(sent.join('\n')).toMatch(VERSION_AUTHOR);
      expect(targets(data).map((n: any) => [n.title, n.version.number, n.version.by.displayName])).toEqual([
        ['Pinned v1', 1, t.admin.user.displayName],
        ['Nested page 1', 1, t.admin.user.displayName],
      ]);
    });
  }
});
