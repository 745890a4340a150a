// Rows of several tables in one result: each row holds one table's row, packed into columns shared by SQL type
// (the first int column of every table in `i0`, its first text column in `t0`, …), with `k` naming the table.
// A statement that sends each distinct end of a page once (traversal-sql.ts) needs rows of five tables; side by
// side their columns were 56 per row, nearly all NULL, and pg reads every one of them for every row.
import { Prisma } from '../generated/prisma/client.js';
import { snake } from './row-columns.js';

type SqlType = 'int' | 'text' | 'bool' | 'timestamptz';
const PREFIX: Record<SqlType, string> = { int: 'i', text: 't', bool: 'b', timestamptz: 'd' };

/** The SQL types of the fields a packed row carries (enums travel as text). A field missing here fails at start-up. */
const TYPES: Record<string, Record<string, SqlType>> = {
  relations: {
    id: 'int',
    name: 'text',
    sourceType: 'text',
    sourceId: 'int',
    sourceVersion: 'int',
    targetType: 'text',
    targetId: 'int',
    targetVersion: 'int',
    createdById: 'int',
    createdAt: 'timestamptz',
    comment: 'text',
  },
  users: {
    id: 'int',
    accountId: 'text',
    userKey: 'text',
    username: 'text',
    email: 'text',
    displayName: 'text',
    accountType: 'text',
    siteAdmin: 'bool',
    createdAt: 'timestamptz',
  },
  spaces: {
    id: 'int',
    key: 'text',
    name: 'text',
    type: 'text',
    status: 'text',
    description: 'text',
    public: 'bool',
    createdById: 'int',
    createdAt: 'timestamptz',
  },
  content: {
    id: 'int',
    spaceId: 'int',
    type: 'text',
    status: 'text',
    title: 'text',
    version: 'int',
    createdById: 'int',
    createdAt: 'timestamptz',
    updatedAt: 'timestamptz',
  },
  content_versions: {
    contentId: 'int',
    number: 'int',
    title: 'text',
    status: 'text',
    message: 'text',
    minorEdit: 'bool',
    byId: 'int',
    when: 'timestamptz',
  },
};

/** One kind of row: `fields` of `table`, read from the FROM item `alias`; the kind is the alias. */
export interface PackedTable {
  alias: string;
  table: keyof typeof TYPES;
  fields: readonly string[];
}

export interface PackedLayout {
  /** The select list of `alias`'s rows: `k`, then every shared column, NULL where the table has no field. */
  select(alias: string): Prisma.Sql;
  /** Where each field of `alias` sits in a row. */
  positions(alias: string): Record<string, number>;
}

export function packedLayout(tables: PackedTable[]): PackedLayout {
  const width: Record<SqlType, number> = { int: 0, text: 0, bool: 0, timestamptz: 0 };
  const placed = new Map<string, { field: string; type: SqlType; slot: number }[]>();
  for (const { alias, table, fields } of tables) {
    const used: Record<SqlType, number> = { int: 0, text: 0, bool: 0, timestamptz: 0 };
    placed.set(
      alias,
      fields.map((field) => {
        const type = TYPES[table][field];
        if (!type) throw new Error(`packed-rows.ts: no SQL type for ${table}.${field}`);
        return { field, type, slot: used[type]++ };
      }),
    );
    for (const type of Object.keys(width) as SqlType[]) width[type] = Math.max(width[type], used[type]);
  }
  const slots = (Object.keys(width) as SqlType[]).flatMap((type) => Array.from({ length: width[type] }, (_, slot) => ({ type, slot })));
  const selects = new Map<string, Prisma.Sql>();
  const positions = new Map<string, Record<string, number>>();
  for (const { alias } of tables) {
    const fields = placed.get(alias) ?? [];
    const columns = slots.map(({ type, slot }) => {
      const f = fields.find((p) => p.type === type && p.slot === slot);
      const value = f ? `${alias}."${snake(f.field)}"${type === 'text' ? '::text' : ''}` : `NULL::${type}`;
      return `${value} AS ${PREFIX[type]}${slot}`;
    });
    selects.set(alias, Prisma.raw(`'${alias}'::text AS k, ${columns.join(', ')}`));
    // Column 0 is `k`.
    positions.set(alias, Object.fromEntries(fields.map((f) => [f.field, 1 + slots.findIndex((s) => s.type === f.type && s.slot === f.slot)])));
  }
  return {
    select: (alias) => selects.get(alias) as Prisma.Sql,
    positions: (alias) => positions.get(alias) as Record<string, number>,
  };
}

/** A reader building `alias`'s fields into an object from a packed row. */
export function packedReader<T>(layout: PackedLayout, alias: string): (row: unknown[]) => T {
  const entries = Object.entries(layout.positions(alias));
  return (row) => {
    const out: Record<string, unknown> = {};
    for (const [field, at] of entries) out[field] = row[at];
    return out as T;
  };
}
