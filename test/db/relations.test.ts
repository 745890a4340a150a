import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { freshDatabase } from '../support/database.js';

let db: Database;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => {
  await db?.close();
});

let seq = 0;
const user = () => {
  const n = ++seq;
  return db.prisma.user.create({ data: { accountId: `acc-${n}`, userKey: `key-${n}`, username: `user${n}`, email: `u${n}@example.com`, displayName: `U ${n}` } });
};
const space = () => db.prisma.space.create({ data: { key: `S${++seq}`, name: `Space ${seq}` } });
const content = (spaceId: number) => db.prisma.content.create({ data: { spaceId, type: 'page', status: 'current', title: `Page ${++seq}` } });

type End = { type: 'USER' | 'SPACE' | 'CONTENT'; id: number };
const column = { USER: 'user', SPACE: 'space', CONTENT: 'content' } as const;
/** Inserts a consistent relation row with plain SQL, as the services do. */
function relate(name: string, s: End, t: End, overrides = '') {
  return db.prisma.$executeRawUnsafe(
    `INSERT INTO relations (name, source_type, source_id, source_${column[s.type]}_id, target_type, target_id, target_${column[t.type]}_id)
     VALUES ($1, $2::"EntityType", $3, $3, $4::"EntityType", $5, $5) ${overrides}`,
    name,
    s.type,
    s.id,
    t.type,
    t.id,
  );
}
/** The PostgreSQL error code behind a failed raw query. */
async function sqlState(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeDefined();
  return /Code: `(\w+)`/.exec((e as Error).message)?.[1] ?? (e as Error).message; // Prisma's P2010 message carries the SQLSTATE
}

describe('relations table', () => {
  it('rejects inconsistent or dangling rows', async () => {
    const u = await user();
    const s = await space();
    const insert = (cols: string, vals: string) =>
      db.prisma.$executeRawUnsafe(`INSERT INTO relations (name, source_type, source_id, target_type, target_id, ${cols}) VALUES ${vals}`);
    // type USER but the user column is empty / differs / a second typed column is set
    expect(await sqlState(insert('target_space_id', `('r', 'USER', ${u.id}, 'SPACE', ${s.id}, ${s.id})`))).toBe('23514');
    expect(await sqlState(insert('source_user_id, target_space_id', `('r', 'USER', ${u.id}, 'SPACE', ${s.id}, ${u.id + 1000}, ${s.id})`))).toMatch(/23514|23503/);
    expect(await sqlState(insert('source_user_id, source_space_id, target_space_id', `('r', 'USER', ${u.id}, 'SPACE', ${s.id}, ${u.id}, ${s.id}, ${s.id})`))).toBe(
      '23514',
    );
    expect(await sqlState(insert('source_user_id, target_user_id', `('r', 'USER', ${u.id}, 'SPACE', ${s.id}, ${u.id}, ${s.id})`))).toBe('23514');
    // dangling: a consistent row naming a user that does not exist
    expect(await sqlState(relate('r', { type: 'USER', id: 999_999 }, { type: 'SPACE', id: s.id }))).toBe('23503');
    // name length and versions
    expect(await sqlState(relate('', { type: 'USER', id: u.id }, { type: 'SPACE', id: s.id }))).toBe('23514');
    expect(await sqlState(relate('x'.repeat(256), { type: 'USER', id: u.id }, { type: 'SPACE', id: s.id }))).toBe('23514');
    expect(await relate('x'.repeat(255), { type: 'USER', id: u.id }, { type: 'SPACE', id: s.id })).toBe(1);
    const v = await sqlState(
      db.prisma.$executeRawUnsafe(
        `INSERT INTO relations (name, source_type, source_id, source_user_id, source_version, target_type, target_id, target_space_id)
         VALUES ('v', 'USER', ${u.id}, ${u.id}, -1, 'SPACE', ${s.id}, ${s.id})`,
      ),
    );
    expect(v).toBe('23514');
    expect(await db.prisma.relation.count({ where: { sourceId: u.id } })).toBe(1);
  });

  it('cascades: deleting a user, or a space with its content, removes their relations', async () => {
    const [u1, u2] = [await user(), await user()];
    const s = await space();
    const c = await content(s.id);
    const other = await space();
    await relate('likes', { type: 'USER', id: u1.id }, { type: 'CONTENT', id: c.id });
    await relate('owns', { type: 'CONTENT', id: c.id }, { type: 'USER', id: u2.id });
    await relate('member', { type: 'USER', id: u2.id }, { type: 'SPACE', id: s.id });
    await relate('favourite', { type: 'USER', id: u2.id }, { type: 'SPACE', id: other.id });
    await relate('follows', { type: 'USER', id: u1.id }, { type: 'USER', id: u2.id });

    await db.prisma.user.delete({ where: { id: u1.id } });
    expect((await db.prisma.relation.findMany({ where: { OR: [{ sourceUserId: u1.id }, { targetUserId: u1.id }] } })).length).toBe(0);
    expect(await db.prisma.relation.count({ where: { name: { in: ['owns', 'member', 'favourite'] } } })).toBe(3);

    await db.prisma.space.delete({ where: { id: s.id } });
    expect(await db.prisma.content.findUnique({ where: { id: c.id } })).toBeNull();
    const left = await db.prisma.relation.findMany({ where: { name: { in: ['likes', 'owns', 'member', 'favourite', 'follows'] } } });
    expect(left.map((r) => r.name)).toEqual(['favourite']);
  });

  it('keeps one row when 50 concurrent inserts race on the identity', async () => {
    const u = await user();
    const c = await content((await space()).id);
    const results = await Promise.all(
      Array.from({ length: 50 }, () => relate('race', { type: 'USER', id: u.id }, { type: 'CONTENT', id: c.id }, 'ON CONFLICT DO NOTHING')),
    );
    expect(results.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await db.prisma.relation.count({ where: { name: 'race' } })).toBe(1);
  });

  it('counts every statement sent to the driver, transactions included', async () => {
    const before = db.statements.count;
    await db.prisma.user.findMany({ take: 1 });
    expect(db.statements.count - before).toBe(1);

    const batch = db.statements.count;
    await db.prisma.$transaction([db.prisma.user.count(), db.prisma.space.count()]);
    expect(db.statements.count - batch).toBe(4); // BEGIN, 2 queries, COMMIT

    const interactive = db.statements.count;
    await db.prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT 1`;
      await tx.$executeRaw`UPDATE users SET display_name = display_name WHERE id = -1`;
    });
    expect(db.statements.count - interactive).toBe(4);

    const failed = db.statements.count;
    await expect(
      db.prisma.$transaction(async (tx) => {
        await tx.$queryRaw`SELECT 1`;
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(db.statements.count - failed).toBe(3); // BEGIN, SELECT, ROLLBACK

    const ping = db.statements.count;
    await db.ping();
    expect(db.statements.count).toBe(ping); // health checks are not counted
  });
});
