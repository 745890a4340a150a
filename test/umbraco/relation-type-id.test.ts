// Relation type ids are derived, never stored: a gateway must keep answering the ids its clients already hold.
import { describe, expect, it } from 'vitest';
import { relationTypeId } from '../../src/rest/umbraco/serialize.js';

// Recorded from the hand-written SHA-1 derivation the uuid library replaced.
const KNOWN: [alias: string, id: string][] = [
  ['likes', 'beba2ef2-95f0-560e-bcfa-06faff83154f'],
  ['favourite', '0c64233c-514b-5d76-bf01-aa7dd3136314'],
  ['relatedDocument', 'e75fd8a1-753c-5324-831d-016f271b3f34'],
  ['Ünïcode ☃', '85f5b63d-f4df-581d-b1d5-484852cf88f4'],
  ['a/b c%20', 'a9151e20-f491-5dff-8f01-6ce0e8d8e58a'],
];

describe('relation type id', () => {
  it.each(KNOWN)('gives alias %j the id it always had (%s)', (alias, id) => {
    expect(relationTypeId(alias)).toBe(id);
  });

  it('is a version 5 UUID of the RFC 4122 variant', () => {
    expect(relationTypeId('likes')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
