// The hot reads are prepared once per connection; PostgreSQL must keep their generic plan rather than
// re-plan them per execution (it did, for the relation page of a user with many relations among a million).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { Prisma } from '../../src/generated/prisma/client.js';
import { usersCountStatement, usersPageStatement } from '../../src/services/browse.js';
import { freshDatabase } from '../support/database.js';

let db: Database;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(() => db?.close());

const mode = Prisma.sql`SELECT current_setting('plan_cache_mode') AS mode`;

describe(`prepared statements keep a generic plan (${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('on every connection the hot reads use, and on the ones Prisma uses', async () => {
    // More reads at once than one connection serves, so several pool connections answer.
    const modes = await Promise.all(Array.from({ length: 12 }, () => db.read<{ mode: string }>(mode)));
    expect(new Set(modes.map(([row]) => row.mode))).toEqual(new Set(['force_generic_plan']));
    const viaPrisma = await Promise.all(Array.from({ length: 12 }, () => db.prisma.$queryRaw<{ mode: string }[]>(mode)));
    expect(new Set(viaPrisma.map(([row]) => row.mode))).toEqual(new Set(['force_generic_plan']));
  });
});

// PG_PREPARED_STATEMENTS=pooled (pgbouncer 1.21 or later in transaction mode): named statements still, but no
// session-level SET, which would stay on a server connection another client of the pooler gets next.
describe.skipIf(!process.env.TEST_DATABASE_URL)('PG_PREPARED_STATEMENTS=pooled and false (PostgreSQL)', () => {
  const prepared = Prisma.sql`SELECT count(*)::int AS n, current_setting('plan_cache_mode') AS mode FROM pg_prepared_statements`;

  it('pooled: reads are named statements, and no connection was SET', async () => {
    const pooled = await freshDatabase({ preparedStatements: 'pooled' });
    try {
      const rows = (await Promise.all(Array.from({ length: 12 }, () => pooled.read<{ n: number; mode: string }>(prepared)))).map(([row]) => row);
      // The statement that asks is itself prepared on the connection that answers.
      expect(rows.every((row) => row.n >= 1)).toBe(true);
      expect(new Set(rows.map((row) => row.mode))).toEqual(new Set(['auto']));
    } finally {
      await pooled.close();
    }
  });

  it('false: reads are unnamed statements, and no connection was SET', async () => {
    const unnamed = await freshDatabase({ preparedStatements: false });
    try {
      const rows = (await Promise.all(Array.from({ length: 12 }, () => unnamed.read<{ n: number; mode: string }>(prepared)))).map(([row]) => row);
      expect(rows.every((row) => row.n === 0)).toBe(true);
      expect(new Set(rows.map((row) => row.mode))).toEqual(new Set(['auto']));
    } finally {
      await unnamed.close();
    }
  });
});

/** The plan PostgreSQL keeps for a statement run as the hot reads run it: prepared, with a generic plan. */
async function genericPlan(statement: Prisma.Sql): Promise<string> {
  const literal = (value: unknown) => (typeof value === 'number' ? String(value) : `'${String(value).replaceAll("'", "''")}'`);
  // PREPARE and EXECUTE must share a connection: one transaction holds one.
  return db.prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe('SET LOCAL plan_cache_mode = force_generic_plan');
    await tx.$executeRawUnsafe(`PREPARE browse_plan AS ${statement.text}`);
    const rows = await tx.$queryRawUnsafe<{ 'QUERY PLAN': string }[]>(`EXPLAIN EXECUTE browse_plan(${statement.values.map(literal).join(', ')})`);
    await tx.$executeRawUnsafe('DEALLOCATE browse_plan');
    return rows.map((row) => row['QUERY PLAN']).join('\n');
  });
}

describe(`the user search walks its prefix indexes (${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  beforeAll(async () => {
    // Enough users that reading all of them costs more than the indexes do.
    await db.prisma.$executeRaw`INSERT INTO users (account_id, user_key, username, email, display_name)
      SELECT md5('a' || g), md5('k' || g), 'user' || g, 'user' || g || '@plans.example', 'Person ' || md5('n' || g) FROM generate_series(1, 5000) g`;
    await db.prisma.$executeRaw`ANALYZE users`;
  }, 60_000);

  const INDEXES = ['users_display_name_prefix_idx', 'users_email_prefix_idx', 'users_username_prefix_idx'];

  it('a page of a search, under the generic plan every execution keeps', async () => {
    const plan = await genericPlan(usersPageStatement('Pers', { limit: 25, after: null }));
    for (const index of INDEXES) expect(plan).toContain(index);
    expect(plan).not.toMatch(/Seq Scan on users/);
  });

  it('its count', async () => {
    const plan = await genericPlan(usersCountStatement('user12'));
    for (const index of INDEXES) expect(plan).toContain(index);
    expect(plan).not.toMatch(/Seq Scan on users/);
  });

  it('and the answers are the prefix matches', async () => {
    const rows = await db.read<{ 'u.username': string }>(usersPageStatement('USER123', { limit: 200, after: null }));
    expect(rows.map((row) => row['u.username']).sort()).toEqual(['user123', ...Array.from({ length: 10 }, (_, i) => `user123${i}`)].sort());
  });
});
