// The one paging module: page sizes and their bounds, the keyset cursor, and what a page holds; then the
// faces, which must answer a malformed cursor with a 4xx in their own format and accept each other's cursors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/domain/errors.js';
import {
  CURSOR_KINDS,
  decodeCursor,
  DEFAULT_PAGE_SIZE,
  encodeCursor,
  endCursor,
  listSize,
  MAX_LIST_SIZE,
  MAX_PAGE_SIZE,
  pageArgs,
  pageOf,
  pageOffset,
  pageSize,
} from '../../src/services/paging.js';
import { createTestApp, type Account, type TestApp } from '../support/app.js';

const base64url = (text: string) => Buffer.from(text, 'latin1').toString('base64url');

/** The ValidationError `run` throws (failing when it throws none). */
function refusal(run: () => unknown): ValidationError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

describe('page sizes', () => {
  it('an absent size is the default', () => {
    expect(pageSize(undefined)).toBe(DEFAULT_PAGE_SIZE);
    expect(pageSize(null)).toBe(25);
  });

  it('sizes up to the cap are kept, 0 included', () => {
    expect(pageSize(0)).toBe(0);
    expect(pageSize(1)).toBe(1);
    expect(pageSize(MAX_PAGE_SIZE)).toBe(200);
  });

  it('a size above the cap is capped, not refused', () => {
    expect(pageSize(201)).toBe(MAX_PAGE_SIZE);
    expect(pageSize(Number.MAX_SAFE_INTEGER)).toBe(MAX_PAGE_SIZE);
  });

  it('a negative size is refused, naming the field', () => {
    const error = refusal(() => pageSize(-1, 'first'));
    expect(error.field).toBe('first');
    expect(error.message).toBe('first must not be negative');
  });

  it('a fractional or non-finite size is refused', () => {
    for (const size of [1.5, Number.NaN, Number.POSITIVE_INFINITY]) expect(refusal(() => pageSize(size, 'limit')).field).toBe('limit');
  });

  it('an offset is 0 when absent, kept when a non-negative integer, refused otherwise', () => {
    expect(pageOffset(undefined)).toBe(0);
    expect(pageOffset(7)).toBe(7);
    expect(refusal(() => pageOffset(-1)).field).toBe('start');
    expect(refusal(() => pageOffset(0.5, 'skip')).field).toBe('skip');
  });

  it('a whole list stops at MAX_LIST_SIZE', () => {
    expect(listSize()).toBe(MAX_LIST_SIZE);
    expect(listSize(MAX_LIST_SIZE + 1)).toBe(MAX_LIST_SIZE);
    expect(listSize(3)).toBe(3);
    expect(refusal(() => listSize(-1)).field).toBe('limit');
  });
});

describe('cursors', () => {
  it('an id survives the round trip, at both ends of the id range', () => {
    for (const id of [1, 2, 42, 1_000_000, 2_147_483_647]) expect(decodeCursor(encodeCursor(id))).toBe(id);
  });

  it('a cursor is opaque base64url text', () => {
    expect(encodeCursor(2_147_483_647)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it("the Confluence face's earlier cursors (r<id>) still decode", () => {
    expect(decodeCursor(base64url('r17'), 'cursor')).toBe(17);
  });

  it.each([
    ['not base64 of a cursor', 'bm9wZQ'],
    ['an empty id', base64url('relation:')],
    ['id 0', base64url('relation:0')],
    ['a leading zero', base64url('relation:07')],
    ['a negative id', base64url('relation:-3')],
    ['an id beyond the integer ids', base64url('relation:2147483648')],
    ['ten nines', base64url('relation:9999999999')],
    ['more than ten digits', base64url('relation:12345678901')],
    ['a fractional id', base64url('relation:1.5')],
    ['trailing text', base64url('relation:1 ')],
    ['another kind', base64url('space:1')],
    ['a NUL byte', base64url('relation:1\u0000')],
    ['a cursor of 10,000 characters', 'A'.repeat(10_000)],
    ['a lone surrogate', '\ud800'],
  ])('%s is refused as a ValidationError naming the field', (_, cursor) => {
    const error = refusal(() => decodeCursor(cursor, 'after'));
    expect(error.field).toBe('after');
    expect(error.code).toBe('BAD_USER_INPUT');
  });

  it('each kind of list has its own cursors; relations keep theirs', () => {
    expect(Buffer.from(encodeCursor(7), 'base64url').toString()).toBe('relation:7');
    for (const kind of CURSOR_KINDS) {
      expect(Buffer.from(encodeCursor(7, kind), 'base64url').toString()).toBe(`${kind}:7`);
      expect(decodeCursor(encodeCursor(2_147_483_647, kind), 'after', kind)).toBe(2_147_483_647);
    }
    expect(endCursor({ rows: [{ id: 3 }], hasMore: false }, 'user')).toBe(encodeCursor(3, 'user'));
  });

  it.each([
    ['a relation cursor for spaces', base64url('relation:1'), 'space'],
    ['a legacy relation cursor for users', base64url('r1'), 'user'],
    ['a space cursor for content', base64url('space:1'), 'content'],
    ['a content cursor for relations', base64url('content:1'), 'relation'],
    ['an unknown kind', base64url('page:1'), 'content'],
    ['a kind without its colon', base64url('space1'), 'space'],
    ['r with a colon', base64url('r:1'), 'relation'],
  ] as const)('%s is refused', (_, cursor, kind) => {
    expect(refusal(() => decodeCursor(cursor, 'after', kind)).field).toBe('after');
    expect(refusal(() => pageArgs({ cursor, kind })).field).toBe('after');
  });

  it("a page's end cursor is its last row's, and null for an empty page", () => {
    expect(endCursor({ rows: [{ id: 3 }, { id: 9 }], hasMore: true })).toBe(encodeCursor(9));
    expect(endCursor({ rows: [], hasMore: false })).toBeNull();
  });
});

describe('page arguments and pages', () => {
  it('defaults: the default size, from the first row', () => {
    expect(pageArgs({})).toEqual({ limit: DEFAULT_PAGE_SIZE, after: null, offset: 0 });
  });

  it('a cursor gives the keyset position, and the offset then is 0', () => {
    expect(pageArgs({ size: 10, cursor: encodeCursor(5), offset: 30 })).toEqual({ limit: 10, after: 5, offset: 0 });
  });

  it('without a cursor the offset is kept; an empty cursor is no cursor', () => {
    expect(pageArgs({ size: 10, cursor: '', offset: 30 })).toEqual({ limit: 10, after: null, offset: 30 });
  });

  it("errors name the face's own fields", () => {
    const fields = { size: 'limit', cursor: 'cursor', offset: 'start' };
    expect(refusal(() => pageArgs({ size: -1 }, fields)).field).toBe('limit');
    expect(refusal(() => pageArgs({ cursor: 'abc' }, fields)).field).toBe('cursor');
    expect(refusal(() => pageArgs({ offset: -1 }, fields)).field).toBe('start');
    expect(refusal(() => pageArgs({ cursor: 'abc' })).field).toBe('after');
    expect(refusal(() => pageArgs({ size: -1 })).field).toBe('first');
  });

  it('rows fetched with one more than the limit make a page with more to come', () => {
    expect(pageOf([1, 2, 3], 2)).toEqual({ rows: [1, 2], hasMore: true });
  });

  it('rows up to the limit make the last page, the same array', () => {
    const rows = [1, 2];
    const page = pageOf(rows, 2);
    expect(page).toEqual({ rows: [1, 2], hasMore: false });
    expect(page.rows).toBe(rows);
    expect(pageOf([], 0)).toEqual({ rows: [], hasMore: false });
  });
});

describe('cursors on the faces', () => {
  let t: TestApp;
  let alice: Account;
  const FROM = `query($after: String, $first: Int) { relationsFrom(name: "reads", source: {type: USER, key: "current"}, targetType: SPACE, first: $first, after: $after) {
    nodes { target { ... on Space { key } } } pageInfo { hasNextPage endCursor } } }`;
  const REST = '/rest/api/relation/reads/from/user/current/to/space';

  beforeAll(async () => {
    t = await createTestApp();
    alice = await t.account('Alice');
    for (const key of ['PA', 'PB', 'PC']) {
      expect((await t.request('/rest/api/space', { method: 'POST', token: alice.token, json: { key, name: key } })).status).toBe(200);
      expect((await t.request(`/rest/api/relation/reads/from/user/current/to/space/${key}`, { method: 'PUT', token: alice.token })).status).toBe(200);
    }
  }, 60_000);

  afterAll(() => t?.close());

  const keys = (body: { results: { target?: { key: string } }[] }) => body.results.map((r) => r.target?.key);

  it.each(['bm9wZQ', base64url('relation:9999999999'), base64url('relation:0'), 'A'.repeat(5000)])('GraphQL answers BAD_USER_INPUT for the cursor %s', async (after) => {
    const { status, body } = await t.graphql(FROM, { after }, alice.token);
    expect(status).toBe(200);
    expect(body.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it.each(['abc', base64url('r9999999999'), base64url('relation:9999999999'), 'A'.repeat(5000)])('REST answers 400 for the cursor %s', async (cursor) => {
    const response = await t.request(`${REST}?cursor=${cursor}`, { token: alice.token });
    expect(response.status).toBe(400);
    expect((await response.json()).statusCode).toBe(400);
  });

  it("a REST next link's cursor is a GraphQL after, and a GraphQL endCursor a REST cursor", async () => {
    const first = await (await t.request(`${REST}?limit=1&expand=target`, { token: alice.token })).json();
    expect(keys(first)).toEqual(['PA']);
    const cursor = new URLSearchParams(first._links.next.split('?')[1]).get('cursor');
    const viaGraphql = await t.graphql(FROM, { after: cursor, first: 1 }, alice.token);
    expect(viaGraphql.body.data.relationsFrom.nodes).toEqual([{ target: { key: 'PB' } }]);
    const endCursor = viaGraphql.body.data.relationsFrom.pageInfo.endCursor;
    const viaRest = await (await t.request(`${REST}?limit=5&expand=target&cursor=${endCursor}`, { token: alice.token })).json();
    expect(keys(viaRest)).toEqual(['PC']);
  });

  it('a cursor in the earlier Confluence form still pages, on both faces', async () => {
    const first = await t.db.prisma.relation.findFirst({ where: { name: 'reads' }, orderBy: { id: 'asc' } });
    const legacy = base64url(`r${first!.id}`);
    const body = await (await t.request(`${REST}?expand=target&cursor=${legacy}`, { token: alice.token })).json();
    expect(keys(body)).toEqual(['PB', 'PC']);
    const viaGraphql = await t.graphql(FROM, { after: legacy }, alice.token);
    expect(viaGraphql.body.data.relationsFrom.nodes).toEqual([{ target: { key: 'PB' } }, { target: { key: 'PC' } }]);
  });
});
