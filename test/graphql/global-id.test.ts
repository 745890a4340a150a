import { encodeGlobalID } from '@pothos/plugin-relay';
import { describe, expect, it } from 'vitest';
import { relationGlobalId } from '../../src/graphql/global-id.js';

describe('relationGlobalId', () => {
  it.each([0, 1, 9, 10, 99, 100, 999, 1000, 42_525, 123_456, 2_147_483_647, Number.MAX_SAFE_INTEGER])('writes %i as encodeGlobalID does', (id) => {
    expect(relationGlobalId(id)).toBe(encodeGlobalID('Relation', id));
  });

  it('agrees with encodeGlobalID for every id below 100,000', () => {
    for (let id = 0; id < 100_000; id++) if (relationGlobalId(id) !== encodeGlobalID('Relation', id)) expect(relationGlobalId(id)).toBe(encodeGlobalID('Relation', id));
  });
});
