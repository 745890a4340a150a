// Paging for every list on every face: page sizes, the keyset cursor and what a page holds. Relation lists and the
// GraphQL browsing lists (spaces, users, a space's contents) are in id order, so a page is "the next `limit` ids
// after the cursor" and a deep page costs what the first costs; Confluence's content and space lists page by
// offset, as its `start` does (docs/graphql.md, docs/confluence.md).
import { ValidationError } from '../domain/errors.js';

/** The largest page any list serves; a larger size is capped, not refused (Confluence echoes the capped value). */
export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 25;
/** Lists a face serves whole because its wire format has no paging (Umbraco's) stop at this many rows. */
export const MAX_LIST_SIZE = 10_000;

/** Ids are PostgreSQL `integer`s: a cursor beyond them never came from a page. */
const MAX_ID = 2_147_483_647;

/** Relation lists run in creation (id) order: oldest first (Confluence's order) or latest first, keyset-paged either way. */
export type Order = 'asc' | 'desc';

/** One page of a list, fetched with one row more than asked for so that `hasMore` costs no count. */
export interface Page<T> {
  rows: T[];
  hasMore: boolean;
}

/** A page as a face received it; a face whose wire names differ passes its `PageFieldNames`, for error messages. */
export interface PageInput {
  /** GraphQL `first`, Confluence `limit`; absent means DEFAULT_PAGE_SIZE. */
  size?: number | null;
  /** An opaque cursor from an earlier page: GraphQL `after`, Confluence `cursor`. */
  cursor?: string | null;
  /** Rows to skip (Confluence `start`); with a cursor it is 0, as the cursor already says where the page starts. */
  offset?: number | null;
  /** What the list holds, which its cursors carry; default `relation`. */
  kind?: CursorKind;
}

export interface PageFieldNames {
  size: string;
  cursor: string;
  offset: string;
}

/** A validated page request: at most `limit` rows after the row with id `after` (null: from the first), skipping `offset`. */
export interface PageArgs {
  limit: number;
  after: number | null;
  offset: number;
}

/** A keyset page request, the only kind the GraphQL browsing lists take: at most `limit` rows with an id above `after`. */
export type KeysetPage = Pick<PageArgs, 'limit' | 'after'>;

/** The names of a Relay connection's arguments (no offset there: a cursor says where a page starts). */
const CONNECTION_FIELDS: PageFieldNames = { size: 'first', cursor: 'after', offset: 'offset' };

/** A page request from a face's arguments, validated; errors name the face's own field. */
export function pageArgs(input: PageInput, fields: PageFieldNames = CONNECTION_FIELDS): PageArgs {
  const limit = pageSize(input.size, fields.size);
  const offset = pageOffset(input.offset, fields.offset);
  const after = input.cursor ? decodeCursor(input.cursor, fields.cursor, input.kind) : null;
  return { limit, after, offset: after === null ? offset : 0 };
}

/** A page size: absent gives the default, above MAX_PAGE_SIZE is capped, negative or fractional is refused. */
export function pageSize(size: number | null | undefined, field = 'limit'): number {
  if (size === null || size === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size)) throw new ValidationError(`${field} must be an integer`, field);
  if (size < 0) throw new ValidationError(`${field} must not be negative`, field);
  return Math.min(size, MAX_PAGE_SIZE);
}

/** Rows to skip: absent is 0; negative or fractional is refused. */
export function pageOffset(offset: number | null | undefined, field = 'start'): number {
  if (offset === null || offset === undefined) return 0;
  if (!Number.isInteger(offset)) throw new ValidationError(`${field} must be an integer`, field);
  if (offset < 0) throw new ValidationError(`${field} must not be negative`, field);
  return offset;
}

/** The size of a list served whole: absent or above MAX_LIST_SIZE gives MAX_LIST_SIZE. */
export function listSize(size?: number | null): number {
  if (size === null || size === undefined) return MAX_LIST_SIZE;
  if (!Number.isInteger(size) || size < 0) throw new ValidationError('a list size must be a non-negative integer', 'limit');
  return Math.min(size, MAX_LIST_SIZE);
}

/** A page from rows fetched with `LIMIT limit + 1`. */
export function pageOf<T>(rows: T[], limit: number): Page<T> {
  return rows.length > limit ? { rows: rows.slice(0, limit), hasMore: true } : { rows, hasMore: false };
}

// The one cursor format of every face: base64url of `<kind>:<id>`, the kind naming the list's rows, so a cursor
// of one list passed to another is refused rather than silently starting it somewhere. Cursors are opaque to
// clients, so this may change; the Confluence face's earlier `r<id>` still decodes as a relation cursor, so a
// `next` link saved before keeps working.
export const CURSOR_KINDS = ['relation', 'space', 'user', 'content'] as const;
export type CursorKind = (typeof CURSOR_KINDS)[number];
const CURSOR = new RegExp(`^(?:(${CURSOR_KINDS.join('|')}):|r)([1-9]\\d{0,9})$`);
/** Longer than any cursor we hand out: refused before decoding. */
const MAX_CURSOR_LENGTH = 32;

/** The cursor of a row in an id-ordered list of `kind`: the next page starts after it. */
export function encodeCursor(id: number, kind: CursorKind = 'relation'): string {
  return Buffer.from(`${kind}:${id}`, 'latin1').toString('base64url');
}

/** The id a cursor of `kind` carries; anything else (another kind's cursor, garbage) is a ValidationError naming `field`. */
export function decodeCursor(cursor: string, field = 'after', kind: CursorKind = 'relation'): number {
  const match = cursor.length <= MAX_CURSOR_LENGTH ? CURSOR.exec(Buffer.from(cursor, 'base64url').toString('latin1')) : null;
  // No kind captured: the legacy `r<id>`, a relation's.
  const ofKind = match !== null && (match[1] ?? 'relation') === kind;
  const id = ofKind ? Number(match[2]) : 0;
  if (id < 1 || id > MAX_ID) throw new ValidationError(`${field} is not a valid cursor: pass a cursor from an earlier page`, field);
  return id;
}

/** The cursor after a page's last row (null for an empty page): where the next page starts. */
export function endCursor(page: Page<{ id: number }>, kind: CursorKind = 'relation'): string | null {
  const last = page.rows.at(-1);
  return last ? encodeCursor(last.id, kind) : null;
}
