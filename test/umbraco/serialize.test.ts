// The relation lists are written straight as JSON text: byte for byte what JSON.stringify wrote of the HAL
// object (relationBody for each relation, HAL's `relations` link one link for one relation and an array for more).
import { describe, expect, it } from 'vitest';
import type { RelationRow } from '../../src/services/relations.js';
import { relationBody, relationHref, relationListText } from '../../src/rest/umbraco/serialize.js';

const TEXTS = ['plain', 'quote " and \\ backslash', 'controls \u0000 \u001f \n \t', 'unicode ü 中文 \u2028', 'emoji 😀', 'lone \ud800 high', '</script>'];

function row(id: number, text: string, comment: string | null): RelationRow {
  return {
    id,
    name: `name ${text}`,
    sourceType: 'CONTENT',
    sourceId: 100 + id,
    sourceVersion: 0,
    targetType: 'CONTENT',
    targetId: 200 + id,
    targetVersion: 0,
    sourceUserId: null,
    sourceSpaceId: null,
    sourceContentId: 100 + id,
    targetUserId: null,
    targetSpaceId: null,
    targetContentId: 200 + id,
    createdById: 1,
    createdAt: new Date(Date.UTC(2021, 1, 3, 4, 5, 6, id)),
    comment,
  };
}

/** What the object path wrote: the HAL list as an object, stringified. */
function reference(base: string, selfPath: string, rows: RelationRow[]): string {
  const links = rows.map((r) => ({ href: relationHref(base, r.id) }));
  const relations = links.length === 0 ? undefined : links.length === 1 ? links[0] : links;
  return JSON.stringify({
    _links: { self: { href: base + selfPath }, ...(relations ? { relations } : {}) },
    _embedded: { relations: rows.map((r) => relationBody(base, r)) },
  });
}

describe('Umbraco relation lists as JSON text', () => {
  const bases = ['https://gateway.test/umbraco', 'https://odd.example/"quoted"\\path'];
  const lists = [[], [row(1, 'plain', null)], TEXTS.map((text, i) => row(i + 1, text, i % 2 ? text : null))];
  for (const base of bases) {
    for (const rows of lists) {
      it(`writes ${rows.length} relation(s) under ${base} as JSON.stringify would`, () => {
        const selfPath = `/relation/parent/${encodeURIComponent('1 "x"')}`;
        const text = relationListText(base, selfPath, rows);
        expect(text).toBe(reference(base, selfPath, rows));
        expect(JSON.parse(text)._embedded.relations).toHaveLength(rows.length);
      });
    }
  }
});
