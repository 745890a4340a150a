// The export file (docs/export-import.md): NDJSON, one record per line, `{"<kind>": {fields}}`, the sections in
// the order below (each row's references come before it), rows in key order, a header first and an end record last.
// Field order and value forms are fixed here, so the same data always gives the same bytes.

export const FORMAT = 'relation-gateway-export';
export const FORMAT_VERSION = 1;

type Scalar = 'int' | 'text' | 'bool' | 'time' | 'level' | 'entity' | 'eventTypes';

export interface Field {
  /** The name in the file. */
  name: string;
  column: string;
  type: Scalar;
  nullable?: boolean;
}

export interface Section {
  /** The record's key in the file (`{"user": {...}}`) and its count in the end record. */
  kind: string;
  table: string;
  /** File names of the primary key: rows are written and must be read in this order. */
  key: string[];
  fields: Field[];
}

const f = (name: string, column: string, type: Scalar, nullable = false): Field => ({ name, column, type, nullable });

/** Every table of the model, in dependency order. Long tasks are progress reports of finished work, not the model. */
export const SECTIONS: Section[] = [
  {
    kind: 'user',
    table: 'users',
    key: ['id'],
    fields: [
      f('id', 'id', 'int'),
      f('accountId', 'account_id', 'text'),
      f('userKey', 'user_key', 'text'),
      f('username', 'username', 'text'),
      f('email', 'email', 'text'),
      f('displayName', 'display_name', 'text'),
      f('accountType', 'account_type', 'text'),
      f('siteAdmin', 'site_admin', 'bool'),
      f('createdAt', 'created_at', 'time'),
    ],
  },
  {
    kind: 'apiToken',
    table: 'api_tokens',
    key: ['id'],
    fields: [
      f('id', 'id', 'int'),
      f('userId', 'user_id', 'int'),
      f('name', 'name', 'text'),
      // The SHA-256 the gateway stores: tokens keep working after a move, and the file never holds one.
      f('hash', 'hash', 'text'),
      f('prefix', 'prefix', 'text'),
      f('createdAt', 'created_at', 'time'),
      f('lastUsedAt', 'last_used_at', 'time', true),
    ],
  },
  {
    kind: 'space',
    table: 'spaces',
    key: ['id'],
    fields: [
      f('id', 'id', 'int'),
      f('key', 'key', 'text'),
      f('name', 'name', 'text'),
      f('type', 'type', 'text'),
      f('status', 'status', 'text'),
      f('description', 'description', 'text'),
      f('public', 'public', 'bool'),
      f('createdById', 'created_by_id', 'int', true),
      f('createdAt', 'created_at', 'time'),
    ],
  },
  {
    kind: 'spaceMember',
    table: 'space_members',
    key: ['spaceId', 'userId'],
    fields: [f('spaceId', 'space_id', 'int'), f('userId', 'user_id', 'int'), f('level', 'level', 'level')],
  },
  {
    kind: 'content',
    table: 'content',
    key: ['id'],
    fields: [
      f('id', 'id', 'int'),
      f('spaceId', 'space_id', 'int'),
      f('type', 'type', 'text'),
      f('status', 'status', 'text'),
      f('title', 'title', 'text'),
      f('version', 'version', 'int'),
      f('createdById', 'created_by_id', 'int', true),
      f('createdAt', 'created_at', 'time'),
      f('updatedAt', 'updated_at', 'time'),
    ],
  },
  {
    kind: 'contentVersion',
    table: 'content_versions',
    key: ['contentId', 'number'],
    fields: [
      f('contentId', 'content_id', 'int'),
      f('number', 'number', 'int'),
      f('title', 'title', 'text'),
      f('status', 'status', 'text'),
      f('message', 'message', 'text'),
      f('minorEdit', 'minor_edit', 'bool'),
      f('byId', 'by_id', 'int', true),
      f('when', 'when', 'time'),
    ],
  },
  {
    kind: 'relation',
    table: 'relations',
    key: ['id'],
    // The typed end columns (source_user_id …) repeat sourceId/targetId and are derived on import.
    fields: [
      f('id', 'id', 'int'),
      f('name', 'name', 'text'),
      f('sourceType', 'source_type', 'entity'),
      f('sourceId', 'source_id', 'int'),
      f('sourceVersion', 'source_version', 'int'),
      f('targetType', 'target_type', 'entity'),
      f('targetId', 'target_id', 'int'),
      f('targetVersion', 'target_version', 'int'),
      f('createdById', 'created_by_id', 'int', true),
      f('createdAt', 'created_at', 'time'),
      f('comment', 'comment', 'text', true),
    ],
  },
  {
    kind: 'webhook',
    table: 'webhooks',
    key: ['id'],
    // The subscription, not its queue: the events it points into stay behind (docs/export-import.md), so an imported
    // webhook starts after the newest event of the database it lands in, and its delivery history starts empty.
    fields: [
      f('id', 'id', 'int'),
      f('ownerId', 'owner_id', 'int'),
      f('name', 'name', 'text'),
      f('url', 'url', 'text'),
      // The signing secret must move, or receivers would have to be told a new one.
      f('secret', 'secret', 'text'),
      f('events', 'events', 'eventTypes'),
      f('relationName', 'relation_name', 'text', true),
      f('createdAt', 'created_at', 'time'),
    ],
  },
];

export const SECTION_BY_KIND = new Map(SECTIONS.map((s, index) => [s.kind, { section: s, index }]));

export type Row = Record<string, unknown>;

export interface EndRecord {
  /** Lines before the end record, the header included. */
  lines: number;
  /** Rows per kind. */
  counts: Record<string, number>;
  /** SHA-256 (hex) of every byte before the end record's line. */
  sha256: string;
}

export const headerLine = () => JSON.stringify({ header: { format: FORMAT, version: FORMAT_VERSION } }) + '\n';

export const endLine = (end: EndRecord) => JSON.stringify({ end: { lines: end.lines, counts: end.counts, sha256: end.sha256 } }) + '\n';

/** One row as its line: fields in the section's order, timestamps as ISO 8601 UTC with milliseconds. */
export function rowLine(section: Section, row: Row): string {
  const out: Row = {};
  for (const field of section.fields) {
    const value = row[field.name];
    out[field.name] = value instanceof Date ? value.toISOString() : value;
  }
  return `{"${section.kind}":${JSON.stringify(out)}}\n`;
}

const INT_MIN = -2_147_483_648;
const INT_MAX = 2_147_483_647;
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const LEVELS = new Set(['VIEW', 'EDIT', 'ADMIN']);
const ENTITIES = new Set(['USER', 'SPACE', 'CONTENT']);
const EVENT_TYPES = new Set(['CREATED', 'DELETED']);

/** Why `value` is not a valid `field`, or undefined when it is. Only the forms the exporter writes are accepted. */
function fieldProblem(field: Field, value: unknown): string | undefined {
  if (value === null) return field.nullable ? undefined : `${field.name} must not be null`;
  switch (field.type) {
    case 'int':
      return Number.isInteger(value) && (value as number) >= INT_MIN && (value as number) <= INT_MAX ? undefined : `${field.name} must be a 32-bit integer`;
    case 'text':
      return typeof value === 'string' ? undefined : `${field.name} must be a string`;
    case 'bool':
      return typeof value === 'boolean' ? undefined : `${field.name} must be true or false`;
    case 'time':
      return typeof value === 'string' && TIME.test(value) && !Number.isNaN(Date.parse(value)) && new Date(value).toISOString() === value
        ? undefined
        : `${field.name} must be a UTC timestamp such as 2026-01-31T12:00:00.000Z`;
    case 'level':
      return LEVELS.has(value as string) ? undefined : `${field.name} must be VIEW, EDIT or ADMIN`;
    case 'entity':
      return ENTITIES.has(value as string) ? undefined : `${field.name} must be USER, SPACE or CONTENT`;
    case 'eventTypes':
      return Array.isArray(value) && value.length > 0 && value.every((type) => EVENT_TYPES.has(type)) && new Set(value).size === value.length
        ? undefined
        : `${field.name} must be a non-empty list of CREATED and DELETED`;
  }
}

const isPlainObject = (value: unknown): value is Row => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The one key of a record line and its value, or a problem. */
export function recordOf(parsed: unknown): { kind: string; value: unknown } | string {
  if (!isPlainObject(parsed)) return 'a record must be a JSON object';
  const keys = Object.keys(parsed);
  if (keys.length !== 1) return 'a record must be an object with exactly one key naming its kind';
  return { kind: keys[0], value: parsed[keys[0]] };
}

/** The row's problem, or undefined when it has exactly the section's fields, each of the right form. */
export function rowProblem(section: Section, value: unknown): string | undefined {
  if (!isPlainObject(value)) return `a ${section.kind} record must hold an object`;
  const names = new Set(section.fields.map((field) => field.name));
  for (const name of Object.keys(value)) if (!names.has(name)) return `unknown ${section.kind} field '${name}'`;
  for (const field of section.fields) {
    if (!Object.hasOwn(value, field.name)) return `${section.kind} field '${field.name}' is missing`;
    const problem = fieldProblem(field, value[field.name]);
    if (problem) return `${section.kind} ${problem}`;
  }
  return undefined;
}

export function headerProblem(value: unknown): string | undefined {
  if (!isPlainObject(value) || value.format !== FORMAT) return `this is not a relation-gateway export (the first line must be its header)`;
  if (value.version !== FORMAT_VERSION) return `export format version ${String(value.version)} is not supported (this gateway reads version ${FORMAT_VERSION})`;
  return undefined;
}

export function endProblem(value: unknown): string | undefined {
  if (!isPlainObject(value) || !Number.isInteger(value.lines) || !isPlainObject(value.counts) || typeof value.sha256 !== 'string') {
    return 'the end record must hold lines, counts and sha256';
  }
  return undefined;
}

/** Compares two primary keys (arrays of integers) in order. */
export function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}
