// A named statement's rows share one column list (db/read.ts), and readers are kept per list
// (relation-sql.ts): the list must stay the statement's own, whatever a caller does with a result.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Prisma } from '../../src/generated/prisma/client.js';
import type { Ctx } from '../../src/context.js';
import type { Database } from '../../src/db/database.js';
import { readRowsAs } from '../../src/services/callers.js';
import { freshDatabase } from '../support/database.js';

let db: Database;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(() => db?.close());

const statement = () => Prisma.sql`SELECT ${1}::int AS a, ${'x'}::text AS b`;

describe('column lists', () => {
  test('the same statement reads the same columns every time (on PostgreSQL, the same list)', async () => {
    const first = await db.readRows(statement());
    const second = await db.readRows(statement());
    expect(first.columns).toEqual(['a', 'b']);
    expect(second.columns).toEqual(['a', 'b']);
    // Named statements on PostgreSQL; PGlite reads through its own path and builds a list per result.
    if (process.env.TEST_DATABASE_URL && !process.env.TEST_POOLER_URL) expect(second.columns).toBe(first.columns);
  });

  test('a read carrying a pending caller check leaves the shared list as it was', async () => {
    const carried = await db.readRows(Prisma.sql`SELECT q.*, ${7}::int AS rg_caller FROM (${statement()}) q`);
    const settled: unknown[] = [];
    const caller = { pending: true, column: () => Prisma.sql`${7}::int`, settle: (stamp: unknown) => void settled.push(stamp) };
    const read = await readRowsAs({ db, caller } as unknown as Ctx, statement());
    expect(read.columns).toEqual(['a', 'b']);
    expect(read.rows).toEqual([[1, 'x']]);
    expect(settled).toEqual([7]);
    const again = await db.readRows(Prisma.sql`SELECT q.*, ${7}::int AS rg_caller FROM (${statement()}) q`);
    expect(again.columns).toEqual(['a', 'b', 'rg_caller']);
    expect(carried.columns).toEqual(['a', 'b', 'rg_caller']);
  });
});
