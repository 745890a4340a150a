// Relations and relation types in the HAL shapes of docs/umbraco.md, with absolute links from PUBLIC_URL.
import { v5 as uuidv5 } from 'uuid';
import { isoTime } from '../../domain/dates.js';
import { str } from '../../http/json-text.js';
import type { RelationRow, RelationNameSummary } from '../../services/relations.js';

const segment = (value: string) => encodeURIComponent(value);

export function relationHref(base: string, id: number): string {
  return `${base}/relation/${id}`;
}

export function relationBody(base: string, row: RelationRow) {
  return {
    _id: row.id,
    parentId: String(row.sourceId),
    childId: String(row.targetId),
    relationTypeAlias: row.name,
    // Umbraco stores a comment as a non-null string.
    comment: row.comment ?? '',
    _createDate: isoTime(row.createdAt),
    _links: { self: { href: relationHref(base, row.id) } },
  };
}

/**
 * A relation list: always `_links` and `_embedded.relations`, even when empty; HAL's `relations` link is one link
 * for one relation, an array for more. Written as JSON text (src/http/json-text.ts): the objects and their
 * stringification were 13 % of the Umbraco list's CPU profile, and a list of 33 costs 31 µs this way against 41.
 * Byte for byte JSON.stringify of `relationBody`'s shape (test/umbraco/serialize.test.ts).
 */
export function relationListText(base: string, selfPath: string, rows: RelationRow[]): string {
  const hrefs = rows.map((row) => str(relationHref(base, row.id)));
  const links = hrefs.map((href) => `{"href":${href}}`);
  const relations = links.length === 0 ? '' : links.length === 1 ? `,"relations":${links[0]}` : `,"relations":[${links.join(',')}]`;
  const bodies = rows.map(
    (row, i) =>
      `{"_id":${row.id},"parentId":"${row.sourceId}","childId":"${row.targetId}","relationTypeAlias":${str(row.name)},` +
      `"comment":${str(row.comment ?? '')},"_createDate":"${isoTime(row.createdAt)}","_links":{"self":{"href":${hrefs[i]}}}}`,
  );
  return `{"_links":{"self":{"href":${str(base + selfPath)}}${relations}},"_embedded":{"relations":[${bodies.join(',')}]}}`;
}

export function relationListPath(kind: 'parent' | 'child' | 'alias', key: string): string {
  return kind === 'alias' ? `/relation/${segment(key)}` : `/relation/${kind}/${segment(key)}`;
}

// A fixed namespace so every gateway derives the same id for the same alias.
const TYPE_NAMESPACE = '3f1c2a4e-9b7d-4c1e-8a6f-5d2b0c9e7a13';

/** A name-based (version 5, SHA-1) UUID for a relation type alias: stable across restarts and instances. */
export function relationTypeId(alias: string): string {
  return uuidv5(alias, TYPE_NAMESPACE);
}

export function relationTypeBody(base: string, summary: RelationNameSummary) {
  const alias = summary.name;
  return {
    name: alias,
    alias,
    isBidirectional: false,
    parentObjectType: 'DOCUMENT',
    childObjectType: 'DOCUMENT',
    _id: relationTypeId(alias),
    _createDate: new Date(summary.firstCreatedAt).toISOString(),
    _updateDate: new Date(summary.lastCreatedAt).toISOString(),
    _links: {
      self: { href: `${base}/relation/type/${segment(alias)}` },
      relations: { href: `${base}${relationListPath('alias', alias)}` },
    },
  };
}

export function relationTypeList(base: string, summaries: RelationNameSummary[]) {
  return {
    _links: { self: { href: `${base}/relation/type` } },
    _embedded: { relationTypes: summaries.map((summary) => relationTypeBody(base, summary)) },
  };
}
