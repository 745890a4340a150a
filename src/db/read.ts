// Named prepared statements for the hot read path: PostgreSQL parses and plans a statement once per
// connection instead of on every request (planning the joined relation page costs more than running it).
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Prisma } from '../generated/prisma/client.js';

// One name per statement text; callers keep the set of texts bounded (see Database.read).
const names = new Map<string, string>();

function nameFor(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `rg_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
}

const TIMESTAMPTZ = 1184;
const parseTimestamptz = pg.types.getTypeParser(TIMESTAMPTZ, 'text');

// A page holds some 200 timestamps: PostgreSQL in UTC writes 'YYYY-MM-DD hh:mm:ss[.fff]+00', which the
// built-in ISO parser reads twice as fast as pg's general one; anything else still takes pg's.
function timestamptz(text: string): Date {
  if (text.length >= 22 && text.charCodeAt(10) === 32 && text.endsWith('+00')) return new Date(`${text.slice(0, 10)}T${text.slice(11, -3)}Z`);
  return parseTimestamptz(text) as Date;
}

const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMPTZ && format !== 'binary' ? timestamptz : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

export async function readStatement<T>(pool: pg.Pool, statement: Prisma.Sql): Promise<T[]> {
  const text = statement.text;
  const result = await pool.query({ name: nameFor(text), text, values: statement.values as unknown[], types });
  return result.rows as T[];
}

export async function readArrays(pool: pg.Pool, statement: Prisma.Sql): Promise<{ columns: string[]; rows: unknown[][] }> {
  const text = statement.text;
  const result = await pool.query<unknown[]>({ name: nameFor(text), text, values: statement.values as unknown[], rowMode: 'array', types });
  return { columns: result.fields.map((f) => f.name), rows: result.rows };
}
