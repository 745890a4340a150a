// The hot reads are prepared once per connection; PostgreSQL must keep their generic plan rather than
// re-plan them per execution (it did, for the relation page of a user with many relations among a million).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { Prisma } from '../../src/generated/prisma/client.js';
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
