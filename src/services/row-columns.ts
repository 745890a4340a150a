// Whole rows of joined tables in one raw statement: each table's columns under an alias prefix,
// read back into the model objects the loaders hold. The field lists come from the generated
// client, and every column is the snake_case of its field (the schema's @map convention).
import { Prisma } from '../generated/prisma/client.js';
import type { Content, ContentVersion, Space, User } from '../generated/prisma/client.js';

const FIELDS = {
  users: Object.keys(Prisma.UserScalarFieldEnum),
  spaces: Object.keys(Prisma.SpaceScalarFieldEnum),
  content: Object.keys(Prisma.ContentScalarFieldEnum),
  content_versions: Object.keys(Prisma.ContentVersionScalarFieldEnum),
} as const;

export type Table = keyof typeof FIELDS;

/** The table's model fields, in the model's order. */
export const fieldsOf = (table: Table): readonly string[] => FIELDS[table];
interface RowOf {
  users: User;
  spaces: Space;
  content: Content;
  content_versions: ContentVersion;
}

/** The column behind a model field (the schema maps every field to its snake_case). */
export const snake = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

interface Aliased {
  sql: Prisma.Sql;
  fields: readonly string[];
  /** `alias.field`, in the order of `fields`. */
  keys: string[];
  /** jsonOf's text. */
  json: string;
}

// Built once per table and alias: these run for every row of every page.
const cache = new Map<string, Aliased>();

function aliased(table: Table, alias: string): Aliased {
  let entry = cache.get(`${table} ${alias}`);
  if (!entry) {
    const fields = FIELDS[table];
    entry = {
      sql: Prisma.raw(fields.map((f) => `${alias}."${snake(f)}" AS "${alias}.${f}"`).join(', ')),
      fields,
      keys: fields.map((f) => `${alias}.${f}`),
      json: `json_build_array(${fields.map((f) => `${alias}."${snake(f)}"`).join(', ')})`,
    };
    cache.set(`${table} ${alias}`, entry);
  }
  return entry;
}

/** `alias.column AS "alias.field"` for every column of the table. */
export function columnsOf(table: Table, alias: string): Prisma.Sql {
  return aliased(table, alias).sql;
}

// The fields of each table that hold a timestamp: JSON carries them as text (see jsonOf). Complete by type:
// a DateTime field added to one of these models and left out here fails to compile (`Complete` below).
const DATES = {
  users: ['createdAt'],
  spaces: ['createdAt'],
  content: ['createdAt', 'updatedAt'],
  content_versions: ['when'],
} as const satisfies { [T in Table]: readonly DateField<RowOf[T]>[] };

type DateField<R> = { [K in keyof R]: R[K] extends Date | null ? K : never }[keyof R];
type Complete<T extends Table> = Exclude<DateField<RowOf[T]>, (typeof DATES)[T][number]> extends never ? true : never;
// A value, not a type, so that the compiler checks it; nothing reads it.
const complete: { [T in Table]: Complete<T> } = { users: true, spaces: true, content: true, content_versions: true };
void complete;

/**
 * The table's row under `alias` as one JSON array, its columns in the model's field order: where a statement
 * carries a row on one of its rows only (a lookup leading a page), one value instead of a column per field,
 * which every other row would repeat as a NULL for PostgreSQL to write and the driver to read.
 */
export function jsonOf(table: Table, alias: string): string {
  return aliased(table, alias).json;
}

/** Puts a `jsonOf` array (as the driver parsed it) into `into` under the keys `rowOf` reads, timestamps as Dates. */
export function fromJson(table: Table, alias: string, values: unknown[], into: Record<string, unknown>): void {
  const { fields, keys } = aliased(table, alias);
  const dates: readonly string[] = DATES[table];
  for (let i = 0; i < fields.length; i++) {
    const value = values[i] ?? null;
    into[keys[i]] = value !== null && dates.includes(fields[i]) ? new Date(value as string) : value;
  }
}

/** The row of `table` read under `alias`, or null when the (outer) join found none. */
export function rowOf<T extends Table>(row: Record<string, unknown>, table: T, alias: string): RowOf[T] | null {
  const { fields, keys } = aliased(table, alias);
  // The first field of each model is part of its key, so null means no row.
  if (row[keys[0]] === null || row[keys[0]] === undefined) return null;
  const out: Record<string, unknown> = {};
  for (let i = 0; i < fields.length; i++) out[fields[i]] = row[keys[i]];
  return out as unknown as RowOf[T];
}

/**
 * For rows read as arrays (Database.readRows): a function building `fields` into an object from the
 * columns named `${prefix}${field}`, or null when the first of them is null (an outer join found none).
 */
export function fieldReader<T>(columns: readonly string[], fields: readonly string[], prefix = ''): (row: unknown[]) => T | null {
  const at = fields.map((f) => columns.indexOf(prefix + f));
  if (at.some((i) => i < 0)) throw new Error(`missing columns for ${prefix || 'the row'}`);
  return (row) => {
    if (row[at[0]] === null || row[at[0]] === undefined) return null;
    const out: Record<string, unknown> = {};
    for (let i = 0; i < fields.length; i++) out[fields[i]] = row[at[i]];
    return out as T;
  };
}

/** As `rowOf`, for rows read as arrays: a reader of `table`'s row under `alias`. */
export function rowReader<T extends Table>(columns: readonly string[], table: T, alias: string): (row: unknown[]) => RowOf[T] | null {
  return fieldReader<RowOf[T]>(columns, FIELDS[table], `${alias}.`);
}
