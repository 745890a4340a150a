// A lookup that leads a page carries its rows as one JSON value (jsonOf, read back by fromJson): the rows the
// loaders get must be the ones the same rows read as columns give, value for value and type for type.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Prisma } from '../../src/generated/prisma/client.js';
import type { Database } from '../../src/db/database.js';
import { columnsOf, fromJson, jsonOf, rowOf, rowReader, type Table } from '../../src/services/row-columns.js';
import { freshDatabase } from '../support/database.js';

let db: Database;
const ids = { users: 0, spaces: 0, content: 0 };

// Strings JSON must escape, text outside the BMP, a NULL where the model allows one, booleans both ways.
const TRICKY = 'Quote " backslash \\ tab \t newline \n control \u0001 emoji 😀 ümlaut';

beforeAll(async () => {
  db = await freshDatabase();
  const user = await db.prisma.user.create({
    data: { accountId: 'acc-json', userKey: 'key-json', username: 'json', email: 'json@example.com', displayName: TRICKY, siteAdmin: true },
  });
  const space = await db.prisma.space.create({ data: { key: 'JSON', name: TRICKY, description: TRICKY, public: false, createdById: null } });
  const content = await db.prisma.content.create({
    data: { spaceId: space.id, type: 'page', status: 'current', title: TRICKY, createdById: user.id, updatedAt: new Date('2026-01-02T03:04:05.678Z') },
  });
  await db.prisma.contentVersion.create({ data: { contentId: content.id, number: 1, title: TRICKY, status: 'current', message: '', byId: null } });
  Object.assign(ids, { users: user.id, spaces: space.id, content: content.id });
});
afterAll(() => db?.close());

// Each table's row, by the column that finds the one made above.
const TABLES: { table: Table; key: string; id: () => number }[] = [
  { table: 'users', key: 'id', id: () => ids.users },
  { table: 'spaces', key: 'id', id: () => ids.spaces },
  { table: 'content', key: 'id', id: () => ids.content },
  { table: 'content_versions', key: 'content_id', id: () => ids.content },
];

describe('a row as one JSON value', () => {
  test.each(TABLES)('reads $table back as the same row its columns give', async ({ table, key, id }) => {
    const { columns, rows } = await db.readRows(
      Prisma.sql`SELECT ${columnsOf(table, 'x')}, ${Prisma.raw(jsonOf(table, 'x'))} AS j FROM ${Prisma.raw(table)} x WHERE ${Prisma.raw(`x.${key}`)} = ${id()}`,
    );
    expect(rows).toHaveLength(1);
    const asColumns = rowReader(columns, table, 'x')(rows[0]);
    const keyed: Record<string, unknown> = {};
    fromJson(table, 'x', rows[0][columns.indexOf('j')] as unknown[], keyed);
    const asJson = rowOf(keyed, table, 'x');
    expect(asJson).toEqual(asColumns);
    // toEqual compares Dates by value; the types must match too.
    for (const [field, value] of Object.entries(asColumns ?? {})) expect(typeof (asJson as Record<string, unknown>)[field], field).toBe(typeof value);
  });

  test.each(TABLES)('reads no $table row (an outer join that found none) as no row', async ({ table }) => {
    const { columns, rows } = await db.readRows(Prisma.sql`SELECT ${Prisma.raw(jsonOf(table, 'x'))} AS j FROM (SELECT 1) one LEFT JOIN ${Prisma.raw(table)} x ON false`);
    const keyed: Record<string, unknown> = {};
    fromJson(table, 'x', rows[0][columns.indexOf('j')] as unknown[], keyed);
    expect(rowOf(keyed, table, 'x')).toBeNull();
  });
});
