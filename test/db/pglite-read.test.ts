// The hot read path on PGlite through named prepared statements (src/db/pglite-read.ts): the same
// answers and errors as `pglite.query`, one Parse per text, and never inside an open transaction.
import { PGlite, messages } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createContext, type Ctx } from '../../src/context.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { pgliteReader, type PgliteReader } from '../../src/db/pglite-read.js';
import { Prisma, type User } from '../../src/generated/prisma/client.js';
import { createContent, updateContent } from '../../src/services/content.js';
import { asDomainError } from '../../src/services/failures.js';
import { countRelations, createRelation, getRelation, listRelations, type ListRelationsInput } from '../../src/services/relations.js';
import { addSpaceMember, createSpace } from '../../src/services/spaces.js';
import { authenticateRequest, issueToken } from '../../src/services/tokens.js';
import { insertUser } from '../../src/services/users.js';
import { UnauthenticatedError, UnavailableError } from '../../src/domain/errors.js';
import { ensurePgliteTemplate, readTemplate } from '../support/templates.js';

let pglite: PGlite;
let db: Database;
let reader: PgliteReader;

const templateFile = async () => inject('pgliteTemplate') ?? ensurePgliteTemplate();

/** Always PGlite, also when the suite runs on PostgreSQL: this is the PGlite driver's own path. */
async function openPglite(): Promise<{ pglite: PGlite; db: Database }> {
  const instance = await PGlite.create({ loadDataDir: readTemplate(await templateFile()) });
  return { pglite: instance, db: await openDatabase({ pglite: instance, migrate: false }) };
}

beforeAll(async () => {
  ({ pglite, db } = await openPglite());
  reader = pgliteReader(pglite);
});
afterAll(() => db?.close());

/** What `pglite.query` answers for the statement, in the shape of `read` or `readRows`. */
async function viaQuery(kind: 'read' | 'readRows', statement: Prisma.Sql): Promise<unknown> {
  if (kind === 'read') return (await pglite.query(statement.text, statement.values)).rows;
  const { fields, rows } = await pglite.query(statement.text, statement.values, { rowMode: 'array' });
  return { columns: fields.map((f) => f.name), rows };
}

/** The type of every frontend message sent to PGlite while `fn` runs ('P' Parse, 'B' Bind, ...). */
async function sentMessages(fn: () => Promise<unknown>): Promise<string[]> {
  const sent: string[] = [];
  const record = (message: Uint8Array) => {
    const view = new DataView(message.buffer, message.byteOffset, message.byteLength);
    for (let at = 0; at < message.length; at += 1 + view.getInt32(at + 1)) sent.push(String.fromCharCode(message[at]));
  };
  // Parse and Describe go through execProtocolStream, Bind/Execute/Sync through execProtocolRawStream.
  const send = pglite.execProtocolStream.bind(pglite);
  const sendRaw = pglite.execProtocolRawStream.bind(pglite);
  const spies = [
    vi.spyOn(pglite, 'execProtocolStream').mockImplementation((message, options) => {
      record(message);
      return send(message, options);
    }),
    vi.spyOn(pglite, 'execProtocolRawStream').mockImplementation((message, options) => {
      record(message);
      return sendRaw(message, options);
    }),
  ];
  try {
    await fn();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return sent;
}

/** The session's named statements with this text, and how often each was planned. */
async function preparedWith(text: string): Promise<{ name: string; generic_plans: number; custom_plans: number }[]> {
  return (
    await pglite.query<{ name: string; generic_plans: number; custom_plans: number }>(
      'SELECT name, generic_plans::int, custom_plans::int FROM pg_prepared_statements WHERE statement = $1',
      [text],
    )
  ).rows;
}

describe('PGlite prepared reads', () => {
  it('return what pglite.query returns, type for type', async () => {
    const statement = Prisma.sql`SELECT ${7}::int AS int4, ${'9007199254740993'}::int8 AS int8, 2::int2 AS int2, 1.5::numeric AS numeric,
      ${true}::boolean AS yes, false AS no, ${'text'} AS text, 'USER'::"EntityType" AS enum, ${new Date('2024-05-06T07:08:09.123Z')}::timestamptz AS at,
      '2020-01-02 03:04:05.6+00'::timestamptz AS literal, NULL::int AS nothing, ${null}::text AS "nullParameter", '{"a": [1]}'::jsonb AS json,
      ARRAY[1, 2]::int[] AS ints, 'x'::bytea AS bytes`;
    for (let i = 0; i < 2; i++) {
      expect(await reader.read(statement)).toStrictEqual(await viaQuery('read', statement));
      expect(await reader.readRows(statement)).toStrictEqual(await viaQuery('readRows', statement));
    }
    const [row] = await reader.read<Record<string, unknown>>(statement);
    expect(row).toMatchObject({ int4: 7, int2: 2, yes: true, no: false, text: 'text', enum: 'USER', nothing: null, nullParameter: null, ints: [1, 2], json: { a: [1] } });
    expect(row.at).toEqual(new Date('2024-05-06T07:08:09.123Z'));
  });

  it('parse a text once: later reads of it send only Bind, Execute and Sync', async () => {
    const statement = (n: number) => Prisma.sql`SELECT u.id, u.email FROM users u WHERE u.id > ${n} ORDER BY u.id LIMIT 3`;
    const first = await sentMessages(() => reader.read(statement(0)));
    expect(first.filter((m) => m === 'P')).toHaveLength(1);
    for (let n = 1; n <= 7; n++) {
      const sent = await sentMessages(() => reader.read(statement(n)));
      expect(sent).toEqual(['B', 'E', 'S']);
    }
    const [prepared] = await preparedWith(statement(0).text);
    expect(prepared.generic_plans + prepared.custom_plans).toBe(8);
    expect(await preparedWith(statement(0).text)).toHaveLength(1);
  });

  it('share statement names between readers of one PGlite without mixing up texts', async () => {
    const other = pgliteReader(pglite);
    const a = Prisma.sql`SELECT 'a' AS which, ${1}::int AS n`;
    const b = Prisma.sql`SELECT 'b' AS which, ${2}::int AS n`;
    expect(await reader.read(a)).toEqual([{ which: 'a', n: 1 }]);
    expect(await other.read(b)).toEqual([{ which: 'b', n: 2 }]);
    expect(await other.read(a)).toEqual([{ which: 'a', n: 1 }]);
    expect(await reader.read(b)).toEqual([{ which: 'b', n: 2 }]);
    expect((await preparedWith(a.text)).length + (await preparedWith(b.text)).length).toBe(2);
  });

  it('read their replies as pglite.query does: multi-byte text, empty text and NULL, a reply larger than one output chunk', async () => {
    // 4,000 rows of ~1 KB: several MB, beyond PGlite's receive buffer, so the reply arrives in more than one chunk.
    const statement = Prisma.sql`SELECT g AS n, repeat(${'ä€𝄞'}, g % 7) AS text, '' AS empty, NULL::text AS nothing,
      repeat('x', 1000) || g::text AS long FROM generate_series(1, ${4000}::int) g`;
    const rows = await reader.read<{ n: number; text: string }>(statement);
    expect(rows).toHaveLength(4000);
    expect(rows[5].text).toBe('ä€𝄞'.repeat(6));
    expect(rows).toEqual(await viaQuery('read', statement));
    expect(await reader.readRows(statement)).toEqual(await viaQuery('readRows', statement));
  });

  it('keep concurrent first reads of new texts apart', async () => {
    const shapes = [0, 1, 2, 3].map((k) => (n: number) => Prisma.sql`SELECT ${Prisma.raw(String(k))} AS k, ${n}::int AS n`);
    const reads = Array.from({ length: 20 }, (_, i) => reader.read(shapes[i % 4](i)));
    expect(await Promise.all(reads)).toEqual(Array.from({ length: 20 }, (_, i) => [{ k: i % 4, n: i }]));
  });

  it('reject a bad value as pglite.query does, and the next read of the text works', async () => {
    const statement = (value: string) => Prisma.sql`SELECT ${value}::int AS n`;
    expect(await reader.read(statement('41'))).toEqual([{ n: 41 }]);
    const ours = await reader.read(statement('not a number')).catch((e: unknown) => e);
    const theirs = await pglite.query(statement('not a number').text, ['not a number']).catch((e: unknown) => e);
    expect(ours).toBeInstanceOf(messages.DatabaseError);
    expect(theirs).toBeInstanceOf(messages.DatabaseError);
    for (const key of ['message', 'code', 'severity', 'query', 'params', 'queryOptions'] as const) expect((ours as any)[key]).toEqual((theirs as any)[key]);
    expect((ours as any).code).toBe('22P02');
    expect(asDomainError(ours)).toBeNull(); // a bug, not an outage: the faces answer 500 as before
    expect(await reader.read(statement('42'))).toEqual([{ n: 42 }]);
    expect(await reader.readRows(statement('43'))).toEqual({ columns: ['n'], rows: [[43]] });
    // Failing again and again prepares the text again under its one name: no statement piles up.
    for (const bad of ['x', 'y', '99999999999']) await expect(reader.read(statement(bad))).rejects.toBeInstanceOf(messages.DatabaseError);
    expect(await reader.read(statement('44'))).toEqual([{ n: 44 }]);
    expect(await preparedWith(statement('').text)).toHaveLength(1);
  });

  it('do not record a statement whose Parse failed', async () => {
    const statement = Prisma.sql`SELECT no_such_column FROM users WHERE id = ${1}`;
    for (let i = 0; i < 2; i++) {
      const ours = await reader.readRows(statement).catch((e: unknown) => e);
      const theirs = await pglite.query(statement.text, statement.values, { rowMode: 'array' }).catch((e: unknown) => e);
      expect(ours).toBeInstanceOf(messages.DatabaseError);
      expect((ours as Error).message).toBe((theirs as Error).message);
      expect((ours as any).queryOptions).toEqual({ rowMode: 'array' });
    }
    expect(await preparedWith(statement.text)).toEqual([]);
    expect(await reader.read(Prisma.sql`SELECT ${5}::int AS n`)).toEqual([{ n: 5 }]);
  });

  it('wait for an open Prisma transaction instead of reading inside it, and leave it intact', async () => {
    const lookup = (email: string) => Prisma.sql`SELECT id, email FROM users WHERE email = ${email}`;
    let settled = false;
    let pending: Promise<unknown> | undefined;
    const committed = await db.prisma.$transaction(async (tx) => {
      const user = await tx.user.create({ data: { accountId: 'tx-a', userKey: 'tx-a', username: 'txa', email: 'tx-a@example.com', displayName: 'Tx A' } });
      pending = reader.read(lookup('tx-a@example.com')).finally(() => (settled = true));
      // Another statement of the transaction runs first: a read inside it would have settled by now.
      expect(await tx.user.count({ where: { email: 'tx-a@example.com' } })).toBe(1);
      expect(settled).toBe(false);
      return user;
    });
    expect(await pending).toEqual([{ id: committed.id, email: 'tx-a@example.com' }]);

    const rolledBack = db.prisma.$transaction(async (tx) => {
      await tx.user.create({ data: { accountId: 'tx-b', userKey: 'tx-b', username: 'txb', email: 'tx-b@example.com', displayName: 'Tx B' } });
      pending = reader.read(lookup('tx-b@example.com'));
      await tx.user.count();
      throw new Error('roll back');
    });
    await expect(rolledBack).rejects.toThrow('roll back');
    expect(await pending).toEqual([]);
    expect(await db.prisma.user.count({ where: { email: 'tx-b@example.com' } })).toBe(0);
  });

  it('report a closed PGlite as pglite.query does (an outage)', async () => {
    const closing = await openPglite();
    const own = pgliteReader(closing.pglite);
    const statement = Prisma.sql`SELECT ${1}::int AS n`;
    expect(await own.read(statement)).toEqual([{ n: 1 }]);
    await closing.db.close();
    const ours = await own.read(statement).catch((e: unknown) => e);
    const theirs = await closing.pglite.query(statement.text, statement.values).catch((e: unknown) => e);
    expect((ours as Error).message).toBe((theirs as Error).message);
    expect(asDomainError(ours)).toBeInstanceOf(UnavailableError);
  });
});

describe('the hot reads of the app on PGlite', () => {
  interface Seen {
    kind: 'read' | 'readRows';
    statement: Prisma.Sql;
    result: unknown;
  }
  let seen: Seen[] = [];
  let recording: Database;
  const users: Record<string, User> = {};
  const ctxOf = (user: User) => createContext(loadConfig({ LOG_LEVEL: 'silent' }), recording, { id: user.id, siteAdmin: user.siteAdmin, tokenId: 0 });
  const pages: number[] = [];
  let token: string;

  beforeAll(async () => {
    recording = {
      ...db,
      read: async <T>(statement: Prisma.Sql) => {
        const result = await db.read<T>(statement);
        seen.push({ kind: 'read', statement, result });
        return result;
      },
      readRows: async (statement: Prisma.Sql) => {
        const result = await db.readRows(statement);
        seen.push({ kind: 'readRows', statement, result });
        return result;
      },
    };
    // `gone` writes relations from the reader, so it is a site admin (only they may act for another user).
    for (const [name, admin] of [
      ['admin', true],
      ['reader', false],
      ['writer', false],
      ['gone', true],
    ] as const) {
      users[name] = await insertUser(db.prisma, { email: `${name}@hot.example`, displayName: `Hot ${name}`, admin });
    }
    token = (await issueToken(db.prisma, users.reader.id, 'hot')).token;
    const admin = ctxOf(users.admin);
    await createSpace({ ctx: admin, key: 'HOTPUB', name: 'Public' });
    await createSpace({ ctx: admin, key: 'HOTPRIV', name: 'Private', public: false });
    for (const key of ['HOTPUB', 'HOTPRIV']) await addSpaceMember({ ctx: admin, spaceKey: key, user: users.gone.accountId, level: 'EDIT' });
    await addSpaceMember({ ctx: admin, spaceKey: 'HOTPRIV', user: users.reader.accountId, level: 'VIEW' });
    for (let i = 0; i < 6; i++) pages.push((await createContent({ ctx: admin, spaceKey: i % 2 ? 'HOTPRIV' : 'HOTPUB', title: `Hot ${i}` })).id);
    const gone = ctxOf(users.gone);
    const reader = ctxOf(users.reader);
    const me = { type: 'USER', key: users.reader.accountId } as const;
    for (const [i, page] of pages.entries()) {
      await createRelation({
        ctx: i < 2 ? gone : reader,
        name: 'likes',
        source: me,
        target: { type: 'CONTENT', key: String(page) },
        comment: i % 2 ? null : `note ${i}`,
      });
    }
    await createRelation({ ctx: reader, name: 'likes', source: me, target: { type: 'CONTENT', key: String(pages[0]), version: 1 } });
    for (const key of ['HOTPUB', 'HOTPRIV']) await createRelation({ ctx: reader, name: 'favourite', source: me, target: { type: 'SPACE', key } });
    for (const name of ['writer', 'admin', 'gone'])
      await createRelation({ ctx: reader, name: 'follows', source: me, target: { type: 'USER', key: users[name].accountId } });
    await createRelation({ ctx: admin, name: 'owns', source: { type: 'CONTENT', key: String(pages[2]) }, target: { type: 'USER', key: users.writer.accountId } });
    // Versions and relations by a user who is then deleted: null authors and creators in the joined rows.
    await updateContent({ ctx: gone, id: String(pages[0]), title: 'Hot 0, edited' });
    await updateContent({ ctx: gone, id: String(pages[1]), status: 'draft' });
    await db.prisma.user.delete({ where: { id: users.gone.id } });
  }, 60_000);

  /** Every statement shape the request path sends through read/readRows, for the reader and for a site admin. */
  async function hotReads(): Promise<void> {
    const me = { type: 'USER', key: users.reader.accountId } as const;
    await authenticateRequest(recording, { token });
    await expect(authenticateRequest(recording, { token: 'rg_no-such-token' })).rejects.toBeInstanceOf(UnauthenticatedError);
    for (const viewer of [users.reader, users.admin]) {
      const ctx: Ctx = ctxOf(viewer);
      const lists: Omit<ListRelationsInput, 'ctx'>[] = [
        { name: 'likes', direction: 'from', anchor: me, otherType: 'CONTENT', limit: 25 },
        { name: 'likes', direction: 'from', anchor: me, otherType: 'CONTENT', limit: 2, after: 1 },
        { name: 'likes', direction: 'from', anchor: me, otherType: 'CONTENT', limit: 3, offset: 2, otherStatus: 'any' },
        { name: 'likes', direction: 'from', anchor: me, otherType: 'CONTENT', limit: 25, otherStatus: 'draft' },
        { name: 'likes', direction: 'from', anchor: me, otherType: 'CONTENT', limit: 25, otherVersion: 1 },
        { name: 'favourite', direction: 'from', anchor: me, otherType: 'SPACE', limit: 25 },
        { name: 'follows', direction: 'from', anchor: me, otherType: 'USER', limit: 25 },
        { name: 'likes', direction: 'to', anchor: { type: 'CONTENT', key: String(pages[0]) }, otherType: 'USER', limit: 25 },
        { name: 'owns', direction: 'to', anchor: { type: 'USER', key: users.writer.accountId }, otherType: 'CONTENT', limit: 25 },
      ];
      for (const input of lists) {
        await listRelations({ ctx, ...input });
        const { name, direction, anchor, otherType, otherStatus, otherVersion } = input;
        await countRelations({ ctx, name, direction, anchor, otherType, otherStatus, otherVersion });
      }
      // A single relation reads its ends' types, which a list leaves out (its conditions fix them).
      await getRelation({ ctx, name: 'likes', source: me, target: { type: 'CONTENT', key: String(pages[0]) } });
    }
  }

  it('answer every hot statement as pglite.query does, first and later times', async () => {
    // Seven rounds: past PostgreSQL's first five custom plans, so generic plans are compared too.
    for (let round = 0; round < 7; round++) {
      seen = [];
      await hotReads();
      for (const { kind, statement, result } of seen) expect(result, statement.text).toStrictEqual(await viaQuery(kind, statement));
    }
    // The comparisons above were not vacuous: each shape came up, with rows, nulls and dates in them.
    const texts = seen.map((s) => s.statement.text);
    for (const shape of [
      'FROM api_tokens t JOIN users u',
      'count(*)::int',
      'LEFT JOIN users ou',
      'LEFT JOIN spaces os ON os.id = r.',
      'LEFT JOIN content oc',
      'LEFT JOIN users ovu',
    ]) {
      expect(
        texts.some((t) => t.includes(shape)),
        shape,
      ).toBe(true);
    }
    const pages = seen.filter((s) => s.kind === 'readRows').map((s) => (s.result as { rows: unknown[][] }).rows);
    expect(pages.filter((rows) => rows.length > 0).length).toBeGreaterThan(10);
    const values = pages.flat(2);
    expect(values).toContain(null);
    expect(values.some((v) => v instanceof Date)).toBe(true);
    expect(values).toContain('CONTENT');
    const [auth] = seen.filter((s) => s.statement.text.includes('api_tokens'));
    expect((auth.result as Record<string, unknown>[])[0]).toMatchObject({ 'u.id': users.reader.id, 'u.siteAdmin': false });
    // Each distinct text was prepared once, however often it ran.
    const distinct = [...new Set(texts)];
    for (const text of distinct) expect(await preparedWith(text), text).toHaveLength(1);
  });
});
