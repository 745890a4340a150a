import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createContext } from '../../src/context.js';
import { createContent } from '../../src/services/content.js';
import { createRelation } from '../../src/services/relations.js';
import { createSpace } from '../../src/services/spaces.js';
import { createTestApp, type Account, type TestApp } from '../support/app.js';
import { ok } from './operations.js';

let t: TestApp;
let reader: Account;

const QUERY = `query($first: Int) {
  relationsFrom(name: "reads", source: { type: USER, key: "current" }, targetType: CONTENT, first: $first) {
    totalCount
    pageInfo { hasNextPage }
    nodes {
      source { ... on User { displayName } }
      target { ... on Content { id title version { number by { displayName } } space { key name } } }
      relationData { createdBy { displayName } }
    }
  }
}`;

beforeAll(async () => {
  t = await createTestApp();
  reader = await t.account('Reader');
  // Site admins: only they may create relations from another user (the reader).
  const writers = [t.admin, await t.account('Writer A', true), await t.account('Writer B', true), await t.account('Writer C', true)];
  const as = (account: Account) => createContext(t.config, t.db, { id: account.user.id, siteAdmin: account.user.siteAdmin, tokenId: 0 });
  const admin = as(t.admin);
  for (let s = 0; s < 5; s++) await createSpace({ ctx: admin, key: `LOAD${s}`, name: `Load ${s}` });
  // 201 relations, each target in one of five spaces, created by four different site admins (none of them the reader).
  for (let i = 0; i < 201; i++) {
    const page = await createContent({ ctx: admin, spaceKey: `LOAD${i % 5}`, title: `Page ${i}` });
    await createRelation({
      ctx: as(writers[i % writers.length]),
      name: 'reads',
      source: { type: 'USER', key: reader.user.accountId },
      target: { type: 'CONTENT', key: String(page.id) },
    });
  }
  // From here on the reader is a caller the app has seen: a query's first statement carries its token's check
  // (src/services/callers.ts) instead of a statement of its own.
  await ok(t, reader.token, '{ __typename }');
}, 120_000);

afterAll(() => t?.close());

async function statementsFor(first: number): Promise<{ statements: number; data: any }> {
  const before = t.db.statements.count;
  const data = await ok(t, reader.token, QUERY, { first });
  return { statements: t.db.statements.count - before, data };
}

describe('dataloaders', () => {
  it('relationsFrom costs the same number of SQL statements for 1, 25 and 200 relations with both ends expanded', async () => {
    const counts: number[] = [];
    for (const first of [1, 25, 200]) {
      const { statements, data } = await statementsFor(first);
      expect(data.relationsFrom.nodes).toHaveLength(first);
      expect(data.relationsFrom.totalCount).toBe(201);
      expect(new Set(data.relationsFrom.nodes.map((n: any) => n.relationData.createdBy.displayName)).size).toBe(Math.min(first, 4));
      expect(new Set(data.relationsFrom.nodes.map((n: any) => `${n.target.version.number} ${n.target.version.by.displayName}`))).toEqual(
        new Set([`1 ${t.admin.user.displayName}`]),
      );
      counts.push(statements);
    }
    // The page joined to targets, spaces and creators (with the token's check), then the count.
    expect(counts).toEqual([2, 2, 2]);
    // A query that reads nothing costs the token's own statement, before it is answered.
    const before = t.db.statements.count;
    await ok(t, reader.token, '{ __typename }');
    expect(t.db.statements.count - before).toBe(1);
  });

  it('skips the count when totalCount is not selected', async () => {
    const before = t.db.statements.count;
    const data = await ok(t, reader.token, QUERY.replace('totalCount', ''), { first: 200 });
    expect(data.relationsFrom.nodes).toHaveLength(200);
    expect(t.db.statements.count - before).toBe(1);
  });

  it("leaves a version's author out of the page when nothing shows it, and reads it when a fragment asks for it", async () => {
    const texts: string[] = [];
    const around = t.db.statements.around;
    t.db.statements.around = (text, run) => {
      texts.push(text);
      return run();
    };
    try {
      const page = (version: string, fragments = '') => `query {
        relationsFrom(name: "reads", source: { type: USER, key: "current" }, targetType: CONTENT, first: 25) {
          nodes { target { ... on Content { id version { ${version} } } } }
        }
      } ${fragments}`;
      const numbers = await ok(t, reader.token, page('number'));
      expect(numbers.relationsFrom.nodes.map((n: any) => n.target.version.number)).toEqual(Array(25).fill(1));
      expect(texts).toHaveLength(1);
      expect(texts[0]).toContain('content_versions ov');
      expect(texts[0]).not.toContain('ovu');

      texts.length = 0;
      const authors = await ok(t, reader.token, page('...Author', 'fragment Author on Version { number by { displayName } }'));
      expect(new Set(authors.relationsFrom.nodes.map((n: any) => n.target.version.by.displayName))).toEqual(new Set([t.admin.user.displayName]));
      // The author came with the page: still one statement.
      expect(texts).toHaveLength(1);
      expect(texts[0]).toContain('ovu');
    } finally {
      t.db.statements.around = around;
    }
  });

  it("shows every liker's creator from the page alone, whether the liker created the relation or a site admin did", async () => {
    const admin = createContext(t.config, t.db, { id: t.admin.user.id, siteAdmin: true, tokenId: 0 });
    const liked = await createContent({ ctx: admin, spaceKey: 'LOAD0', title: 'Liked' });
    const likers = [await t.account('Liker A'), await t.account('Liker B'), await t.account('Liker C')];
    // A likes for itself; the admin creates B's and C's (the page's creator is then not its other end).
    for (const [i, liker] of likers.entries()) {
      const creator = i === 0 ? liker.user : t.admin.user;
      await createRelation({
        ctx: createContext(t.config, t.db, { id: creator.id, siteAdmin: creator.siteAdmin, tokenId: 0 }),
        name: 'likes',
        source: { type: 'USER', key: liker.user.accountId },
        target: { type: 'CONTENT', key: String(liked.id) },
      });
    }
    // What each statement returned: the creators the page read (`cu`, joined only for a creator not already on the row).
    const results: { columns: string[]; rows: unknown[][] }[] = [];
    const around = t.db.statements.around;
    t.db.statements.around = async (_text, run) => {
      const result = await run();
      results.push(result as (typeof results)[number]);
      return result;
    };
    const creatorsRead = () => {
      const [{ columns, rows }] = results.splice(0);
      return rows.map((row) => row[columns.indexOf('cu.id')]).filter((id) => id !== null);
    };
    onTestFinished(() => {
      t.db.statements.around = around;
    });
    const before = t.db.statements.count;
    const data = await ok(
      t,
      reader.token,
      `query($id: String!) { relationsTo(name: "likes", target: { type: CONTENT, key: $id }, sourceType: USER) {
        nodes { source { ... on User { displayName } } relationData { createdBy { displayName } } }
      } }`,
      { id: String(liked.id) },
    );
    expect(data.relationsTo.nodes.map((n: any) => [n.source.displayName, n.relationData.createdBy.displayName])).toEqual([
      ['Liker A', 'Liker A'],
      ['Liker B', t.admin.user.displayName],
      ['Liker C', t.admin.user.displayName],
    ]);
    expect(t.db.statements.count - before).toBe(1);
    expect(creatorsRead()).toEqual([t.admin.user.id, t.admin.user.id]);

    // Listed from the liker who created it (by accountId, and as `current`): the creator is the anchor, whose row
    // the request holds (the lookup's, the token's), so the page does not read it and no statement follows.
    const [self] = likers;
    await ok(t, self.token, '{ __typename }');
    const fromLiker = `query($key: String!) { relationsFrom(name: "likes", source: { type: USER, key: $key }, targetType: CONTENT) {
      nodes { target { ... on Content { title } } relationData { createdBy { displayName } } }
    } }`;
    for (const [token, key] of [
      [reader.token, self.user.accountId],
      [self.token, 'current'],
    ]) {
      results.length = 0;
      const start = t.db.statements.count;
      const mine = await ok(t, token, fromLiker, { key });
      expect(mine.relationsFrom.nodes).toEqual([{ target: { title: 'Liked' }, relationData: { createdBy: { displayName: 'Liker A' } } }]);
      expect(t.db.statements.count - start).toBe(1);
      expect(creatorsRead()).toEqual([]);
    }
    // One relation between two named ends: its creator is the source, which the lookup read.
    const one = await ok(
      t,
      reader.token,
      `query($key: String!, $id: String!) { relation(name: "likes", source: { type: USER, key: $key }, target: { type: CONTENT, key: $id }) {
        relationData { createdBy { displayName } }
      } }`,
      { key: self.user.accountId, id: String(liked.id) },
    );
    expect(one.relation.relationData.createdBy.displayName).toBe('Liker A');
    expect(creatorsRead()).toEqual([]);
  });

  it("leaves out of a list's page what its conditions fix (the name, the anchor end, the other end's type and version), and still shows them", async () => {
    const admin = createContext(t.config, t.db, { id: t.admin.user.id, siteAdmin: true, tokenId: 0 });
    const page = await createContent({ ctx: admin, spaceKey: 'LOAD0', title: 'Fixed' });
    const liker = await t.account('Fixed liker');
    await createRelation({
      ctx: admin,
      name: 'likes',
      source: { type: 'USER', key: liker.user.accountId },
      target: { type: 'CONTENT', key: String(page.id) },
    });
    const columns: string[][] = [];
    const around = t.db.statements.around;
    t.db.statements.around = async (_text, run) => {
      const result = await run();
      columns.push([...(result as { columns: string[] }).columns]);
      return result;
    };
    onTestFinished(() => {
      t.db.statements.around = around;
    });
    const data = await ok(
      t,
      reader.token,
      `query($id: String!) { relationsTo(name: "likes", target: { type: CONTENT, key: $id }, sourceType: USER) {
        nodes { name source { ... on User { accountId } } target { ... on Content { id version { number } } } }
      } }`,
      { id: String(page.id) },
    );
    expect(data.relationsTo.nodes).toEqual([{ name: 'likes', source: { accountId: liker.user.accountId }, target: { id: String(page.id), version: { number: 1 } } }]);
    expect(columns).toHaveLength(1);
    expect(columns[0]).toEqual(expect.arrayContaining(['id', 'sourceId', 'createdById', 'createdAt', 'comment']));
    for (const fixed of ['name', 'sourceType', 'sourceVersion', 'targetType', 'targetId', 'targetVersion']) expect(columns[0]).not.toContain(fixed);
  });

  it('caps first at 200 silently', async () => {
    const { data } = await statementsFor(5000);
    expect(data.relationsFrom.nodes).toHaveLength(200);
    expect(data.relationsFrom.pageInfo.hasNextPage).toBe(true);
  });
});
