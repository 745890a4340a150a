// Creating a relation that exists returns it without writing it again (src/services/relation-sql.ts,
// upsertStatement): no new row version, on either face. And when another request commits the same relation
// while the upsert waits on it, the answer is still that relation (the statement's fallback form).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma } from '../../src/generated/prisma/client.js';
import { relationGlobalId } from '../../src/graphql/global-id.js';
import { upsertStatement } from '../../src/services/relation-sql.js';
import { createTestApp, type Account, type TestApp } from '../support/app.js';

let t: TestApp;
let member: Account;
let page: string;

const CREATE = `mutation($i: RelationInput!) {
  createRelation(input: $i) { __typename ... on CreateRelationSuccess { created relation { id } } }
}`;

beforeAll(async () => {
  t = await createTestApp();
  member = await t.account('Member');
  await t.request('/rest/api/space', { method: 'POST', token: t.admin.token, json: { key: 'UPS', name: 'Upserts' } });
  const created = await t.request('/rest/api/content', { method: 'POST', token: t.admin.token, json: { space: { key: 'UPS' }, title: 'Upserted', type: 'page' } });
  page = ((await created.json()) as { id: string }).id;
});
afterAll(() => t?.close());

const input = (name: string) => ({ name, source: { type: 'USER', key: member.user.accountId }, target: { type: 'CONTENT', key: page } });

/** The relation's row version: a new one whenever the row is written, even with the same values. */
async function rowVersion(name: string): Promise<string> {
  const [row] = await t.db.read<{ xmin: string }>(
    Prisma.sql`SELECT xmin::text AS xmin FROM relations WHERE name = ${name} AND source_user_id = ${member.user.id} AND target_content_id = ${Number(page)}`,
  );
  return row.xmin;
}

describe('creating a relation that exists', () => {
  it('returns it unchanged, on GraphQL and on Confluence, and writes no new row version', async () => {
    const first = await t.graphql(CREATE, { i: input('likes') }, member.token);
    expect(first.body.data.createRelation).toMatchObject({ __typename: 'CreateRelationSuccess', created: true });
    const stored = await rowVersion('likes');

    const again = await t.graphql(CREATE, { i: input('likes') }, member.token);
    expect(again.body.data.createRelation).toEqual({ ...first.body.data.createRelation, created: false });
    const put = await t.request(`/rest/api/relation/likes/from/user/${member.user.accountId}/to/content/${page}`, { method: 'PUT', token: member.token });
    expect(put.status).toBe(200);
    expect(await rowVersion('likes')).toBe(stored);
  });
});

// PGlite has one connection and runs one transaction at a time: no request can wait on another's insert.
describe.skipIf(!process.env.TEST_DATABASE_URL)('a relation another request commits meanwhile (PostgreSQL)', () => {
  it('is the answer, not created, once the other transaction commits', async () => {
    let inserted = 0;
    let answer: ReturnType<typeof t.graphql<{ createRelation: unknown }>> | undefined;
    await t.db.prisma.$transaction(async (tx) => {
      const ends = { source: { type: 'USER' as const, id: member.user.id, version: 0 }, target: { type: 'CONTENT' as const, id: Number(page), version: 0 } };
      const [row] = await tx.$queryRaw<{ id: number }[]>(upsertStatement('watch', ends.source, ends.target, member.user.id, null, 'touched'));
      inserted = row.id;
      // The request's insert now waits for this transaction; its statement's snapshot cannot see the row.
      answer = t.graphql<{ createRelation: unknown }>(CREATE, { i: input('watch') }, member.token);
      for (let waited = 0; ; waited += 20) {
        const [{ n }] = await t.db.read<{ n: number }>(
          Prisma.sql`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        if (n > 0) break;
        if (waited > 10_000) throw new Error('the request never waited on the uncommitted relation');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    });
    const { body } = await answer!;
    expect(body.data?.createRelation).toEqual({ __typename: 'CreateRelationSuccess', created: false, relation: { id: relationGlobalId(inserted) } });
  });
});
