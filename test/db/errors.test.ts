// Real failures from the database in use (PGlite, or PostgreSQL with TEST_DATABASE_URL), recognised by code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { isDeadlock, isForeignKeyViolation, isUnavailable, isUniqueViolation, retryingDeadlocks, sqlState, violatedForeignKey } from '../../src/db/errors.js';
import { Prisma, type User } from '../../src/generated/prisma/client.js';
import { freshDatabase } from '../support/database.js';

let db: Database;
let existing: User;
beforeAll(async () => {
  db = await freshDatabase();
  existing = await db.prisma.user.create({ data: { email: 'a@example.com', displayName: 'A', username: 'a', accountId: 'a1', userKey: 'a2' } });
});
afterAll(async () => {
  await db?.close();
});

const failure = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => expect.fail('the statement succeeded'),
    (error: unknown) => error,
  );

describe('recognising database errors', () => {
  it('a duplicate e-mail is a unique violation on email, not on username', async () => {
    const error = await failure(db.prisma.user.create({ data: { email: 'a@example.com', displayName: 'B', username: 'b', accountId: 'b1', userKey: 'b2' } }));
    expect(isUniqueViolation(error)).toBe(true);
    expect(isUniqueViolation(error, 'email')).toBe(true);
    expect(isUniqueViolation(error, 'username')).toBe(false);
    expect(isForeignKeyViolation(error)).toBe(false);
    expect(isUnavailable(error)).toBe(false);
  });

  it('a duplicate username is a unique violation on username', async () => {
    const error = await failure(db.prisma.user.create({ data: { email: 'c@example.com', displayName: 'C', username: 'a', accountId: 'c1', userKey: 'c2' } }));
    expect(isUniqueViolation(error, 'username')).toBe(true);
    expect(isUniqueViolation(error, 'email')).toBe(false);
  });

  it('a row pointing at a missing space is a foreign key violation naming its constraint', async () => {
    const error = await failure(db.prisma.spaceMember.create({ data: { spaceId: 999_999, userId: existing.id, level: 'VIEW' } }));
    expect(isForeignKeyViolation(error)).toBe(true);
    expect(violatedForeignKey(error)).toBe('space_members_space_id_fkey');
    expect(isUniqueViolation(error)).toBe(false);
  });

  it('a raw insert pointing at missing content names which end its foreign key guards', async () => {
    const insert = Prisma.sql`INSERT INTO relations (name, source_type, source_id, source_content_id, target_type, target_id, target_content_id)
      VALUES ('x', 'CONTENT', 999999, 999999, 'CONTENT', 999999, 999999)`;
    const error = await failure(db.prisma.$queryRaw(insert));
    expect(isForeignKeyViolation(error)).toBe(true);
    expect(violatedForeignKey(error)).toMatch(/^relations_(source|target)_content_id_fkey$/);
  });

  it('the direct write path names the foreign key as well', async () => {
    const insert = Prisma.sql`INSERT INTO relations (name, source_type, source_id, source_content_id, target_type, target_id, target_content_id)
      VALUES ('x', 'CONTENT', 999999, 999999, 'CONTENT', 999999, 999999)`;
    const error = await failure(db.write(insert));
    expect(isForeignKeyViolation(error)).toBe(true);
    expect(violatedForeignKey(error)).toMatch(/^relations_(source|target)_content_id_fkey$/);
    expect(isUnavailable(error)).toBe(false);
  });

  it('the direct read path reports the SQLSTATE and is not mistaken for an outage', async () => {
    const error = await failure(db.read(Prisma.sql`SELECT 1 / 0`));
    expect(sqlState(error)).toBe('22012');
    expect(isUnavailable(error)).toBe(false);
  });

  it('a closed database is unavailable, through Prisma and through the read path', async () => {
    const closing = await freshDatabase();
    await closing.close();
    expect(isUnavailable(await failure(closing.prisma.user.count()))).toBe(true);
    expect(isUnavailable(await failure(closing.read(Prisma.sql`SELECT 1`)))).toBe(true);
  });

  // PostgreSQL only: PGlite's adapter starts a second transaction at once and queues its statements instead.
  it.runIf(process.env.TEST_DATABASE_URL)('a transaction that cannot get a pooled connection in time is unavailable (a 503 to retry, not a bug)', async () => {
    const before = process.env.PG_POOL_MAX;
    process.env.PG_POOL_MAX = '1';
    const single = await freshDatabase();
    if (before === undefined) delete process.env.PG_POOL_MAX;
    else process.env.PG_POOL_MAX = before;
    try {
      let started!: () => void;
      const holding = new Promise<void>((resolve) => (started = resolve));
      const holder = single.prisma.$transaction(async (tx) => {
        started();
        await tx.$queryRaw`SELECT 1 AS one FROM pg_sleep(0.5)`;
      });
      await holding;
      const error = await failure(single.prisma.$transaction(async (tx) => tx.user.count(), { maxWait: 50 }));
      expect((error as { code?: string }).code).toBe('P2028');
      expect(isUnavailable(error)).toBe(true);
      await holder;
    } finally {
      await single.close();
    }
  });

  it('a plain bug is neither', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'id')");
    expect([isUnavailable(bug), isUniqueViolation(bug), isForeignKeyViolation(bug), isDeadlock(bug)]).toEqual([false, false, false, false]);
  });

  // PGlite has one connection and runs one transaction at a time: it cannot deadlock.
  it.skipIf(!process.env.TEST_DATABASE_URL)('a real deadlock is recognised, and retryingDeadlocks runs the write that lost again', async () => {
    const other = await db.prisma.user.create({ data: { email: 'd@example.com', displayName: 'D', username: 'd', accountId: 'd1', userKey: 'd2' } });
    // Two transactions lock the two users in opposite orders; neither takes its second lock before both hold their first.
    let held = 0;
    let bothHeld!: () => void;
    const barrier = new Promise<void>((resolve) => (bothHeld = resolve));
    const failures: unknown[] = [];
    const attempts = { first: 0, second: 0 };
    const write = (which: 'first' | 'second', ids: number[]) =>
      retryingDeadlocks(async () => {
        attempts[which]++;
        try {
          await db.prisma.$transaction(async (tx) => {
            await tx.$executeRaw(Prisma.sql`UPDATE users SET display_name = ${which} WHERE id = ${ids[0]}`);
            if (++held === 2) bothHeld();
            await barrier;
            await tx.$executeRaw(Prisma.sql`UPDATE users SET display_name = ${which} WHERE id = ${ids[1]}`);
          });
        } catch (error) {
          failures.push(error);
          throw error;
        }
      });
    await Promise.all([write('first', [existing.id, other.id]), write('second', [other.id, existing.id])]);
    // PostgreSQL failed exactly one of them; that one ran again and succeeded.
    expect(failures).toHaveLength(1);
    expect(isDeadlock(failures[0])).toBe(true);
    expect(sqlState(failures[0])).toBe('40P01');
    expect(attempts.first + attempts.second).toBe(3);
  });
});
