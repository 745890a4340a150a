import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, createTestApp, type Account, type TestApp } from '../support/app.js';
import { call, createSpaceWithPages, expectError, type Answer } from './support.js';

let t: TestApp;
let alice: Account;
let bob: Account;
let pages: string[];

beforeAll(async () => {
  t = await createTestApp();
  alice = await t.account('Alice');
  bob = await t.account('Bob');
  ({ pages } = await createSpaceWithPages(t, alice.token, 'REL'));
});
afterAll(() => t?.close());

const rel = (name: string, from: string, to: string) => `/wiki/rest/api/relation/${name}/from/${from}/to/${to}`;

describe('one relation', () => {
  // The `sibling` relation pages[0] → pages[1] that the reading tests below answer; no test changes it.
  beforeAll(async () => {
    expect((await call(t, 'PUT', rel('sibling', `content/${pages[0]}`, `content/${pages[1]}`), { token: alice.token })).status).toBe(200);
  });

  it('PUT creates it and PUT twice returns the same relation', async () => {
    const first = await call(t, 'PUT', rel('twin', `content/${pages[0]}`, `content/${pages[1]}`), { token: alice.token });
    expect(first.status).toBe(200);
    expect(first.body.name).toBe('twin');
    expect(first.body.relationData.createdBy).toMatchObject({ type: 'known', accountId: alice.user.accountId, displayName: 'Alice' });
    const second = await call(t, 'PUT', rel('twin', `content/${pages[0]}`, `content/${pages[1]}`), { token: bob.token });
    expect(second.body.relationData).toEqual(first.body.relationData);
  });

  it('GET answers the relation with _expandable links and absolute self', async () => {
    const answer = await call(t, 'GET', rel('sibling', `content/${pages[0]}`, `content/${pages[1]}`), { token: alice.token });
    expect(answer.status).toBe(200);
    const path = `/rest/api/relation/sibling/from/content/${pages[0]}/to/content/${pages[1]}`;
    expect(answer.body).toEqual({
      name: 'sibling',
      _expandable: { relationData: `${path}?expand=relationData`, source: `/rest/api/content/${pages[0]}`, target: `/rest/api/content/${pages[1]}` },
      _links: { base: `${BASE}/wiki`, context: '/wiki', self: `${BASE}/wiki${path}` },
    });
  });

  it('the Server prefix answers with an empty context', async () => {
    const answer = await call(t, 'GET', `/rest/api/relation/sibling/from/content/${pages[0]}/to/content/${pages[1]}`, { token: alice.token });
    expect(answer.body._links).toMatchObject({ base: BASE, context: '' });
  });

  it('expand with dot paths embeds ends, their space and the creator', async () => {
    const answer = await call(t, 'GET', `${rel('sibling', `content/${pages[0]}`, `content/${pages[1]}`)}?expand=relationData.createdBy,source,target.space`, {
      token: alice.token,
    });
    expect(answer.body._expandable).toEqual({});
    expect(answer.body.source).toMatchObject({ id: pages[0], type: 'page', status: 'current', title: 'REL one', version: { number: 1 } });
    expect(answer.body.source.space).toBeUndefined();
    expect(answer.body.target.space).toMatchObject({ key: 'REL', description: { plain: { value: 'About REL', representation: 'plain' } } });
    expect(answer.body.target.version.by.accountId).toBe(alice.user.accountId);
    expect(answer.body.relationData.friendlyCreatedDate).toBe('just now');
  });

  it('repeated expand parameters work like a comma list (what confluence.js sends)', async () => {
    const answer = await call(t, 'GET', `${rel('sibling', `content/${pages[0]}`, `content/${pages[1]}`)}?expand=source&expand=target`, { token: alice.token });
    expect(Object.keys(answer.body._expandable)).toEqual(['relationData']);
  });

  it('a missing entity and a missing relation are both 404, with different messages', async () => {
    const noEntity = await call(t, 'GET', rel('sibling', 'content/999999', `content/${pages[1]}`), { token: alice.token });
    expectError(noEntity, 404, /No content found with id '999999'/);
    const noRelation = await call(t, 'GET', rel('cousin', `content/${pages[0]}`, `content/${pages[1]}`), { token: alice.token });
    expectError(noRelation, 404, /No 'cousin' relation exists/);
    expect(noEntity.body.message).not.toBe(noRelation.body.message);
  });

  it('DELETE answers 204 whether or not the relation existed, and 404 when an end is missing', async () => {
    await call(t, 'PUT', rel('temp', `content/${pages[0]}`, 'space/REL'), { token: alice.token });
    expect((await call(t, 'DELETE', rel('temp', `content/${pages[0]}`, 'space/REL'), { token: alice.token })).status).toBe(204);
    expect((await call(t, 'DELETE', rel('temp', `content/${pages[0]}`, 'space/REL'), { token: alice.token })).status).toBe(204);
    expect((await call(t, 'GET', rel('temp', `content/${pages[0]}`, 'space/REL'), { token: alice.token })).status).toBe(404);
    expectError(await call(t, 'DELETE', rel('temp', `content/${pages[0]}`, 'space/NOPE'), { token: alice.token }), 404, /space/);
  });

  it('users are named by current, accountId, userKey or username', async () => {
    for (const key of ['current', alice.user.accountId, alice.user.userKey, alice.user.username]) {
      const answer = await call(t, 'PUT', `${rel('follows', `user/${key}`, 'space/REL')}?expand=source`, { token: alice.token });
      expect(answer.status).toBe(200);
      expect(answer.body.source).toMatchObject({ accountId: alice.user.accountId, email: alice.user.email, publicName: alice.user.username });
    }
    const list = await call(t, 'GET', '/rest/api/relation/follows/to/space/REL/from/user', { token: alice.token });
    expect(list.body.size).toBe(1);
  });
});

describe('bad input is a 400 with the JSON error body', () => {
  it.each([
    ['a bad entity type', rel('x', 'page/1', 'content/2')],
    ['a bad target type in a list', '/rest/api/relation/x/from/user/current/to/planet'],
    ['a malformed limit', '/rest/api/relation/x/from/user/current/to/content?limit=ten'],
    ['a malformed start', '/rest/api/relation/x/from/user/current/to/content?start=1.5'],
    ['a negative start', '/rest/api/relation/x/from/user/current/to/content?start=-1'],
    ['a negative limit', '/rest/api/relation/x/from/user/current/to/content?limit=-5'],
    ['a malformed version', `/rest/api/relation/x/from/content/1/to/content/2?sourceVersion=two`],
    ['historical without a version', `/rest/api/relation/x/from/user/current/to/content?targetStatus=historical`],
    ['an unknown status', `/rest/api/relation/x/from/user/current/to/content?targetStatus=shiny`],
    ['a control character in the name', '/rest/api/relation/a%01b/from/user/current/to/content'],
    ['a forged cursor', '/rest/api/relation/x/from/user/current/to/content?cursor=abc'],
  ])('%s', async (_, path) => {
    expectError(await call(t, 'GET', path, { token: alice.token }), 400);
  });

  it('a name longer than 255 characters', async () => {
    expectError(await call(t, 'PUT', rel('n'.repeat(256), 'user/current', 'space/REL'), { token: alice.token }), 400, /255/);
  });

  it('favourite from a space to a space breaks the favourite rule', async () => {
    expectError(await call(t, 'PUT', rel('favourite', 'space/REL', 'space/REL'), { token: alice.token }), 400, /source/);
  });
});

describe('lists', () => {
  let many: TestApp;
  let token: string;

  beforeAll(async () => {
    many = t;
    token = bob.token;
    await createSpaceWithPages(t, bob.token, 'MANY');
    for (let i = 0; i < 7; i++) {
      const page = await call(t, 'POST', '/rest/api/content', { token, json: { title: `Page ${i}`, space: { key: 'MANY' } } });
      await call(t, 'PUT', rel('reads', 'user/current', `content/${page.body.id}`), { token });
    }
  });

  it('walking next links returns every relation exactly once, in creation order', async () => {
    const seen: string[] = [];
    let path: string | undefined = '/wiki/rest/api/relation/reads/from/user/current/to/content?limit=3&expand=target';
    let pagesWalked = 0;
    while (path) {
      const answer: Answer = await call(many, 'GET', path, { token });
      expect(answer.status).toBe(200);
      expect(answer.body.limit).toBe(3);
      expect(answer.body.size).toBe(answer.body.results.length);
      seen.push(...answer.body.results.map((r: any) => r.target.title));
      const next: string | undefined = answer.body._links.next;
      if (next) {
        expect(next).toMatch(/^\/rest\/api\/relation\/reads\/from\/user\/current\/to\/content\?/);
        expect(new URLSearchParams(next.split('?')[1]).get('expand')).toBe('target');
      }
      path = next ? `/wiki${next}` : undefined;
      pagesWalked++;
    }
    expect(pagesWalked).toBe(3);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `Page ${i}`));
  });

  it('start skips, prev points back, and self is absolute', async () => {
    const answer = await call(many, 'GET', '/rest/api/relation/reads/from/user/current/to/content?start=2&limit=2', { token });
    expect(answer.body.start).toBe(2);
    expect(answer.body.size).toBe(2);
    expect(answer.body._links.self).toBe(`${BASE}/rest/api/relation/reads/from/user/current/to/content?start=2&limit=2`);
    expect(answer.body._links.prev).toBe('/rest/api/relation/reads/from/user/current/to/content?start=0&limit=2');
    expect(answer.body._links.next).toMatch(/start=4&limit=2/);
  });

  it('limit above 200 is capped and echoed', async () => {
    const answer = await call(many, 'GET', '/rest/api/relation/reads/from/user/current/to/content?limit=5000', { token });
    expect(answer.body.limit).toBe(200);
    expect(answer.body.size).toBe(7);
    expect(answer.body._links.next).toBeUndefined();
  });

  it('limit=0 gives an empty page with no next', async () => {
    const answer = await call(many, 'GET', '/rest/api/relation/reads/from/user/current/to/content?limit=0', { token });
    expect(answer.body).toMatchObject({ results: [], size: 0, limit: 0, start: 0 });
    expect(answer.body._links.next).toBeUndefined();
  });

  it('a missing anchor is a 404, an anchor with no relations an empty list', async () => {
    expectError(await call(many, 'GET', '/rest/api/relation/reads/to/content/987654/from/user', { token }), 404);
    const empty = await call(many, 'GET', '/rest/api/relation/nothing/from/user/current/to/space', { token });
    expect(empty.body).toMatchObject({ results: [], size: 0 });
  });

  it('to-lists find the sources', async () => {
    const target = (await call(many, 'GET', '/rest/api/relation/reads/from/user/current/to/content?limit=1', { token })).body.results[0];
    const targetId = target._expandable.target.split('/').pop();
    const sources = await call(many, 'GET', `/rest/api/relation/reads/to/content/${targetId}/from/user?expand=source`, { token });
    expect(sources.body.results.map((r: any) => r.source.accountId)).toEqual([bob.user.accountId]);
  });
});

describe('content status and versions', () => {
  it('a trashed end is hidden by default and reached with status=trashed; a pinned version is its own relation', async () => {
    const {
      pages: [a, b],
    } = await createSpaceWithPages(t, alice.token, 'VER');
    await call(t, 'PUT', `/rest/api/content/${b}`, { token: alice.token, json: { title: 'VER two, renamed', version: { number: 2 } } });
    const pinned = await call(t, 'PUT', `${rel('cites', `content/${a}`, `content/${b}`)}?targetStatus=historical&targetVersion=1&expand=target`, {
      token: alice.token,
    });
    expect(pinned.body.target).toMatchObject({ id: b, status: 'historical', title: 'VER two', version: { number: 1 } });
    expect(pinned.body._links.self).toMatch(/targetStatus=historical&targetVersion=1$/);
    expect((await call(t, 'GET', rel('cites', `content/${a}`, `content/${b}`), { token: alice.token })).status).toBe(404);

    await call(t, 'PUT', rel('cites', `content/${a}`, `content/${b}`), { token: alice.token });
    await call(t, 'DELETE', `/rest/api/content/${b}`, { token: alice.token });
    const current = await call(t, 'GET', `/rest/api/relation/cites/from/content/${a}/to/content`, { token: alice.token });
    expect(current.body.size).toBe(0);
    const trashed = await call(t, 'GET', `/rest/api/relation/cites/from/content/${a}/to/content?targetStatus=trashed&expand=target`, { token: alice.token });
    expect(trashed.body.results.map((r: any) => r.target.status)).toEqual(['trashed']);
    expect(trashed.body.results[0]._links.self).toMatch(/targetStatus=trashed$/);
  });
});

describe('cost', () => {
  let carol: Account;

  // Carol's own seven `reads` relations to pages of her space COST.
  beforeAll(async () => {
    carol = await t.account('Carol');
    await createSpaceWithPages(t, carol.token, 'COST');
    for (let i = 0; i < 7; i++) {
      const page = await call(t, 'POST', '/rest/api/content', { token: carol.token, json: { title: `Cost ${i}`, space: { key: 'COST' } } });
      expect((await call(t, 'PUT', rel('reads', 'user/current', `content/${page.body.id}`), { token: carol.token })).status).toBe(200);
    }
  });

  it('a page of many relations with both ends expanded costs the same statements as a page of one', async () => {
    const statements = async (limit: number) => {
      const before = t.db.statements.count;
      const answer = await call(t, 'GET', `/rest/api/relation/reads/from/user/current/to/content?limit=${limit}&expand=relationData,source,target.space`, {
        token: carol.token,
      });
      expect(answer.body.size).toBe(limit);
      return t.db.statements.count - before;
    };
    // The page joined to targets, their versions, spaces and creators, carrying the check of carol's token (a
    // caller the app has seen: her PUTs read the token on its own).
    expect(await statements(1)).toBe(1);
    expect(await statements(7)).toBe(1);
  });
});
