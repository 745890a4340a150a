// Named prepared statements for the hot path (the reads, and the relation writes' single statements):
// PostgreSQL parses and plans a statement once per connection instead of on every request (planning the
// joined relation page costs more than running it).
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Prisma } from '../generated/prisma/client.js';
import { parseTimestamptz } from './timestamps.js';

// One name per statement text; callers keep the set of texts bounded (see Database.read).
const names = new Map<string, string>();

export function nameFor(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `rg_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
}

/**
 * PG_PREPARED_STATEMENTS: true, named statements and one session-level SET per connection; 'pooled', named
 * statements through a pooler that keeps them per server connection itself (pgbouncer 1.21 or later with
 * `max_prepared_statements`), with no session-level SET (it would stay on a server connection another client
 * gets next); false, unnamed statements (a pooler in transaction mode that does not keep them).
 */
export type PreparedStatements = boolean | 'pooled';

const TIMESTAMPTZ = 1184;

const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMPTZ && format !== 'binary' ? parseTimestamptz : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/**
 * Rows as objects, and how many rows the statement affected (a write's count). `named`: prepared once per
 * connection; unnamed statements are parsed and planned on every execution (pgbouncer's transaction mode).
 */
export async function runStatement<T>(pool: pg.Pool, statement: Prisma.Sql, named: boolean): Promise<{ rows: T[]; count: number }> {
  const text = statement.text;
  const result = await pool.query({ name: named ? nameFor(text) : undefined, text, values: statement.values as unknown[], types });
  return { rows: result.rows as T[], count: result.rowCount ?? 0 };
}

// The column names of each named statement's rows, one array per statement for as long as its columns stay
// the same: readers built from a column list (relation-sql.ts) are kept per array instead of built per request.
const columnsByName = new Map<string, string[]>();

/** The result's column names: the array the statement's last result had when every name is the same. */
function sharedColumns(name: string | undefined, fields: pg.FieldDef[]): string[] {
  const known = name === undefined ? undefined : columnsByName.get(name);
  if (known && known.length === fields.length && fields.every((f, i) => f.name === known[i])) return known;
  const columns = fields.map((f) => f.name);
  if (name !== undefined) columnsByName.set(name, columns);
  return columns;
}

/** Rows as arrays; `columns` may be shared with other results of the same statement, and is not to be changed. */
export async function readArrays(pool: pg.Pool, statement: Prisma.Sql, named: boolean): Promise<{ columns: readonly string[]; rows: unknown[][] }> {
  const text = statement.text;
  const name = named ? nameFor(text) : undefined;
  const result = await pool.query<unknown[]>({ name, text, values: statement.values as unknown[], rowMode: 'array', types });
  return { columns: sharedColumns(name, result.fields), rows: result.rows };
}
