import { ValidationError } from './errors.js';

export const ENTITY_TYPES = ['USER', 'SPACE', 'CONTENT'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

export const CONTENT_TYPES = ['page', 'blogpost', 'comment', 'attachment', 'whiteboard', 'database', 'embed', 'folder'] as const;
export type ContentType = (typeof CONTENT_TYPES)[number];

export const CONTENT_STATUSES = ['current', 'draft', 'trashed', 'archived'] as const;
export type ContentStatus = (typeof CONTENT_STATUSES)[number];

/** `historical` pins a version; `any` accepts every status. */
export type StatusSelector = ContentStatus | 'historical' | 'any';
const SELECTORS: readonly string[] = [...CONTENT_STATUSES, 'historical', 'any'];

/** Which entity an end of a relation (or a lookup) names, as the caller wrote it. */
export interface EntityRef {
  type: EntityType;
  key: string;
  status?: string | null;
  version?: number | null;
}

/** A content selector after validation: which status to match, and a pinned version (0 = none). */
export interface ContentSelector {
  status: StatusSelector;
  version: number;
}

export function parseEntityType(value: string, field = 'type'): EntityType {
  const upper = value.toUpperCase();
  if ((ENTITY_TYPES as readonly string[]).includes(upper)) return upper as EntityType;
  throw new ValidationError(`Invalid entity type '${value}': expected user, space or content`, field);
}

export function parseContentType(value: string, field = 'type'): ContentType {
  if ((CONTENT_TYPES as readonly string[]).includes(value)) return value as ContentType;
  throw new ValidationError(`Invalid content type '${value}': expected one of ${CONTENT_TYPES.join(', ')}`, field);
}

export function parseContentStatus(value: string, field = 'status'): ContentStatus {
  if ((CONTENT_STATUSES as readonly string[]).includes(value)) return value as ContentStatus;
  throw new ValidationError(`Invalid content status '${value}': expected one of ${CONTENT_STATUSES.join(', ')}`, field);
}

/**
 * Reads the status/version selector of a content end. The version counts only with `historical`
 * (as in the Confluence relation API); `historical` without a version is an error.
 */
export function contentSelector(status: string | null | undefined, version: number | null | undefined, field = 'status'): ContentSelector {
  const selected = (status ?? 'current') || 'current';
  if (!SELECTORS.includes(selected)) {
    throw new ValidationError(`Invalid status '${selected}': expected one of ${SELECTORS.join(', ')}`, field);
  }
  if (version !== undefined && version !== null && (!Number.isInteger(version) || version < 1)) {
    throw new ValidationError(
      `Invalid version '${version}': expected a positive integer`,
      field.replace(/Status$|status$/, (m) => (m[0] === 'S' ? 'Version' : 'version')),
    );
  }
  if (selected === 'historical') {
    if (!version)
      throw new ValidationError(
        'A historical status needs a version',
        field.replace(/Status$|status$/, (m) => (m[0] === 'S' ? 'Version' : 'version')),
      );
    return { status: 'historical', version };
  }
  return { status: selected as StatusSelector, version: 0 };
}

/** A user or space key no stored key can equal: empty, longer than 255, or holding a NUL (which PostgreSQL text cannot even compare). */
export const impossibleKey = (key: string): boolean => key.length === 0 || key.length > 255 || key.includes('\u0000');

/** The fields a user key may name, in order of precedence: a key that is one user's accountId and another's username names the first. */
export const USER_KEY_FIELDS = ['accountId', 'userKey', 'username'] as const;

/** Content ids are positive integers written as strings; anything else names no content. */
export function parseContentId(key: string): number | null {
  if (!/^[1-9]\d{0,9}$/.test(key)) return null;
  const id = Number(key);
  return id <= 2_147_483_647 ? id : null;
}
