// The SQL of an import: one statement per batch of rows, the batch sent as one JSON parameter and unpacked by
// jsonb_to_recordset, so a batch costs one round trip whatever its size and the statement text never changes.
import type { Field, Section } from './format.js';

const quote = (name: string) => `"${name}"`;

const SQL_TYPE: Record<Field['type'], string> = {
  int: 'int',
  text: 'text',
  bool: 'boolean',
  time: 'timestamptz',
  level: 'text',
  entity: 'text',
  eventTypes: 'text[]',
};

/** What identifies a row beyond its key, for --merge: a row whose key exists must agree on these (docs/export-import.md). */
export const MERGE_IDENTITY: Record<string, string[]> = {
  user: ['accountId'],
  apiToken: ['hash'],
  space: ['key'],
  content: ['createdAt'],
  relation: ['name', 'sourceType', 'sourceId', 'sourceVersion', 'targetType', 'targetId', 'targetVersion'],
  webhook: ['url', 'createdAt'],
};

const RELATION_IDENTITY = ['name', 'source_type', 'source_id', 'source_version', 'target_type', 'target_id', 'target_version'];

const field = (section: Section, name: string) => section.fields.find((f) => f.name === name)!;

/** `jsonb_to_recordset($1::jsonb) AS r(line int, "id" int, ...)`: the batch as rows, each with its line number. */
function recordset(section: Section): string {
  const columns = section.fields.map((f) => `${quote(f.name)} ${SQL_TYPE[f.type]}`);
  return `jsonb_to_recordset($1::jsonb) AS r(line int, ${columns.join(', ')})`;
}

/** The value to store for a field: enums are cast from their text. */
function value(f: Field): string {
  if (f.type === 'level') return `r.${quote(f.name)}::"SpaceLevel"`;
  if (f.type === 'entity') return `r.${quote(f.name)}::"EntityType"`;
  return `r.${quote(f.name)}`;
}

/** A stored column compared with the file's value: enums as text. */
function stored(f: Field, alias: string): string {
  return f.type === 'level' || f.type === 'entity' ? `${alias}.${quote(f.column)}::text` : `${alias}.${quote(f.column)}`;
}

function insertColumns(section: Section): { columns: string[]; values: string[] } {
  const columns = section.fields.map((f) => quote(f.column));
  const values = section.fields.map(value);
  if (section.kind === 'relation') {
    // Exactly the typed column of each end's type repeats its id (the relations_*_ref_check constraints).
    for (const end of ['source', 'target']) {
      for (const [type, column] of [
        ['USER', 'user'],
        ['SPACE', 'space'],
        ['CONTENT', 'content'],
      ]) {
        columns.push(quote(`${end}_${column}_id`));
        values.push(`CASE WHEN r.${quote(`${end}Type`)} = '${type}' THEN r.${quote(`${end}Id`)} END`);
      }
    }
  }
  if (section.kind === 'webhook') {
    // Only events written after the import: the file holds no events, and the database's own are not the webhook's past.
    columns.push(quote('cursor'));
    values.push('relation_events_horizon()');
  }
  return { columns, values };
}

/** Inserts a batch. With `merge`, rows that exist are left as the database has them (docs/export-import.md). */
export function insertStatement(section: Section, merge: boolean): string {
  const { columns, values } = insertColumns(section);
  const keyColumns = section.key.map((name) => quote(field(section, name).column));
  const conditions: string[] = [];
  let conflict = '';
  if (merge) {
    conflict = ` ON CONFLICT (${keyColumns.join(', ')}) DO NOTHING`;
    if (section.kind === 'contentVersion') {
      // The history of a content the database already had stays its own: versions come only with new content.
      conditions.push(`r."contentId" IN (SELECT id FROM imported_content)`);
    }
    if (section.kind === 'relation') {
      const file = MERGE_IDENTITY.relation.map((name) => `r.${quote(name)}`);
      const db = RELATION_IDENTITY.map((column) => (column.endsWith('_type') ? `x.${quote(column)}::text` : `x.${quote(column)}`));
      conditions.push(`NOT EXISTS (SELECT 1 FROM relations x WHERE (${db.join(', ')}) = (${file.join(', ')}))`);
    }
  }
  const where = conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '';
  const insert =
    `INSERT INTO ${quote(section.table)} (${columns.join(', ')}) ` + `SELECT ${values.join(', ')} FROM ${recordset(section)}${where} ORDER BY r.line${conflict}`;
  if (merge && section.kind === 'content') {
    return `WITH inserted AS (${insert} RETURNING id) INSERT INTO imported_content SELECT id FROM inserted`;
  }
  return insert;
}

/** For --merge: the first row of a batch whose key names another entity in the database (its line, or nothing). */
export function mergeClashStatement(section: Section): string | undefined {
  const identity = MERGE_IDENTITY[section.kind];
  if (!identity) return undefined;
  const join = section.key.map((name) => `t.${quote(field(section, name).column)} = r.${quote(name)}`).join(' AND ');
  const db = identity.map((name) => stored(field(section, name), 't'));
  const file = identity.map((name) => `r.${quote(name)}`);
  return (
    `SELECT r.line FROM ${recordset(section)} JOIN ${quote(section.table)} t ON ${join} ` +
    `WHERE (${db.join(', ')}) IS DISTINCT FROM (${file.join(', ')}) ORDER BY r.line LIMIT 1`
  );
}

/** Lists which tables hold rows (an import without --merge needs none). */
export function occupiedStatement(sections: Section[]): string {
  return `SELECT ${sections.map((s) => `EXISTS (SELECT 1 FROM ${quote(s.table)}) AS ${quote(s.kind)}`).join(', ')}`;
}

/**
 * Moves a serial sequence past the largest id, so the next row created after an import does not collide with an
 * imported one. Never moves it back (ids of deleted rows are not handed out again).
 */
export function advanceSequenceStatement(table: string): string {
  const sequence = `pg_get_serial_sequence('${quote(table)}', 'id')`;
  return (
    `SELECT setval(${sequence}, max(id)) FROM ${quote(table)} ` +
    `HAVING max(id) > COALESCE((SELECT last_value FROM pg_sequences ` +
    `WHERE format('%I.%I', schemaname, sequencename)::regclass = ${sequence}::regclass), 0)`
  );
}
