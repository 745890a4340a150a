// Relations and relation types in the HAL shapes of docs/umbraco.md, with absolute links from PUBLIC_URL.
import { v5 as uuidv5 } from 'uuid';
import type { RelationRow, RelationNameSummary } from '../../services/relations.js';

export interface Link {
  href: string;
}

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
    _createDate: row.createdAt.toISOString(),
    _links: { self: { href: relationHref(base, row.id) } },
  };
}

/** HAL repeats a link relation as an array only when there is more than one (as Heartcore does). */
function linkRelation(links: Link[]): Link | Link[] | undefined {
  return links.length === 0 ? undefined : links.length === 1 ? links[0] : links;
}

/** A relation list: always `_links` and `_embedded.relations`, even when empty. */
export function relationList(base: string, selfPath: string, rows: RelationRow[]) {
  const relations = linkRelation(rows.map((row) => ({ href: relationHref(base, row.id) })));
  return {
    _links: { self: { href: base + selfPath }, ...(relations ? { relations } : {}) },
    _embedded: { relations: rows.map((row) => relationBody(base, row)) },
  };
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
