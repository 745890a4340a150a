// Relation answers are written straight as JSON text. They must be, byte for byte, what the object
// path wrote (reference-json.ts): same fields, same order, same values, same escaping.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Content, ContentVersion, Space, User } from '../../src/generated/prisma/client.js';
import type { EntityRef, EntityType } from '../../src/domain/entities.js';
import { contextFor } from '../../src/services/authentication.js';
import { decodeCursor, encodeCursor } from '../../src/services/paging.js';
import { getRelation, listRelations } from '../../src/services/relations.js';
import { linksFor, withQuery } from '../../src/rest/confluence/links.js';
import { contentJson, spaceJson, userJson, type LoadedContentView } from '../../src/rest/confluence/serialize.js';
import { relationExpand } from '../../src/rest/confluence/serialize-relation.js';
import { str } from '../../src/http/json-text.js';
import { EntityText } from '../../src/rest/confluence/serialize-text.js';
import { BASE, createTestApp, type Account, type TestApp } from '../support/app.js';
import * as reference from './reference-json.js';

const STRINGS = [
  '',
  'plain',
  'quote " and \\ backslash',
  'controls \u0000 \u0001 \u001f \b \f \n \r \t',
  'unicode ü 中文 \u007f \u2028 \u2029',
  'emoji 😀 pair',
  'lone \ud800 high and \udc00 low',
  '</script> & <b>',
];

const LINKS = [linksFor('http://gateway.test', '/wiki'), linksFor('http://gateway.test', ''), linksFor('https://odd.example/"quoted"\\path', '/wiki')];
const WHEN = new Date('2021-02-03T04:05:06.789Z');

// Paths cannot carry lone surrogates (encodeURIComponent refuses them), so keys get the rest.
const pathSafe = (text: string) => text.replace(/[\ud800-\udfff]/g, '?');

const userWith = (id: number, text: string): User => ({
  id,
  accountId: `acc ${pathSafe(text)}`,
  userKey: `key-${id}`,
  username: `name ${text}`,
  email: `${id}@example.com`,
  displayName: text,
  accountType: id % 2 ? 'atlassian' : 'app',
  siteAdmin: false,
  createdAt: WHEN,
});

const spaceWith = (id: number, text: string): Space => ({
  id,
  key: `K${id} ${pathSafe(text)}`,
  name: `Space ${text}`,
  type: 'global',
  status: 'current',
  description: text,
  public: true,
  createdById: null,
  createdAt: WHEN,
});

const contentWith = (status: string, title: string, version = 3): Content => ({
  id: 42,
  spaceId: 7,
  type: 'blogpost',
  status,
  title,
  version,
  createdById: 1,
  createdAt: WHEN,
  updatedAt: new Date('2022-01-01T00:00:00.000Z'),
});

const versionOf = (number: number, status: string, title: string, message = ''): ContentVersion => ({
  contentId: 42,
  number,
  title,
  status,
  message,
  minorEdit: number === 3,
  byId: 1,
  when: WHEN,
});

describe('entities written as text', () => {
  it('str writes every string as JSON.stringify does', () => {
    for (const text of STRINGS) expect(str(text)).toBe(JSON.stringify(text));
  });

  it('withQuery encodes keys and values as URLSearchParams does', () => {
    for (const text of [...STRINGS.filter((s) => !/[\ud800-\udfff]/.test(s)), "a b+c&d=e?f#g/h~i!j'k(l)m*n.o_p-q", 'historical', 12]) {
      const params = { status: text, [`k ${text}`]: 'v', empty: '', none: undefined, nothing: null };
      expect(withQuery('/rest/api/content/1', params)).toBe(reference.withQuery('/rest/api/content/1', params));
      expect(withQuery('/rest/api/user?accountId=x', params)).toBe(reference.withQuery('/rest/api/user?accountId=x', params));
    }
    expect(withQuery('/p', { a: undefined })).toBe('/p');
  });

  it('users and spaces are the object shapes, byte for byte', () => {
    for (const links of LINKS) {
      const text = new EntityText(links);
      STRINGS.forEach((s, i) => {
        expect(text.user(userWith(i + 1, s))).toBe(JSON.stringify(userJson(userWith(i + 1, s), links)));
        expect(text.space(spaceWith(i + 1, s))).toBe(JSON.stringify(spaceJson(spaceWith(i + 1, s), links)));
      });
    }
  });

  it('content is the object shape for every status, pinned version, author and space', () => {
    const author = userWith(1, 'Author "A"');
    const space = spaceWith(7, 'with \\ backslash');
    const views: LoadedContentView[] = [];
    for (const title of STRINGS) {
      for (const status of ['current', 'draft', 'trashed', 'archived']) {
        const content = contentWith(status, title);
        const latest = versionOf(3, status, title, 'a "message"');
        const old = versionOf(1, 'current', `old ${title}`);
        const pinnedLatest = versionOf(3, status, title);
        views.push(
          { content, version: latest, pinned: null, by: author },
          { content, version: old, pinned: old, by: author, space },
          { content, version: pinnedLatest, pinned: pinnedLatest, by: null, space: null },
          { content, version: null, pinned: null, by: null },
          { content, version: null, pinned: null, by: null, space },
          { content, version: latest, pinned: null, by: author, space: null },
        );
      }
    }
    for (const links of LINKS) {
      const text = new EntityText(links);
      for (const view of views) {
        expect(text.content(view)).toBe(JSON.stringify(contentJson(view, links)));
      }
    }
  });
});

describe('relation answers over HTTP', () => {
  let t: TestApp;
  let alice: Account;
  let zoe: Account;
  const NAME = 'cites "x" & ü?#';
  const enc = encodeURIComponent;
  const page: Record<string, string> = {};
  const viewerCtx = () => contextFor(t.config, t.db, new Headers({ authorization: `Bearer ${t.admin.token}` }));

  beforeAll(async () => {
    t = await createTestApp();
    alice = await t.account('Alice');
    zoe = await t.account('Zoë "Z" \\ O\'Brien');
    const carol = await t.account('Carol', true);
    const dave = await t.account('Dave');
    const call = async (token: string, method: string, path: string, json?: unknown) => {
      const response = await t.request(path, { method, token, json });
      expect(response.status, `${method} ${path}: ${await response.clone().text()}`).toBeLessThan(300);
      return response.status === 204 ? undefined : response.json();
    };
    await call(alice.token, 'POST', '/rest/api/space', {
      key: 'TXT',
      name: 'Space "quoted" \\ ünï 😀',
      description: { plain: { value: 'Line 1 "q" \\ back', representation: 'plain' } },
    });
    const create = async (title: string, status?: string) =>
      (await call(alice.token, 'POST', '/rest/api/content', { title, status, space: { key: 'TXT' } })).id as string;
    page.quoted = await create('Title "with" \\ and 😀');
    page.edited = await create('First title');
    page.draft = await create('A draft', 'draft');
    page.trashed = await create('To be trashed');
    page.archived = await create('To be archived');
    await call(carol.token, 'PUT', `/rest/api/content/${page.edited}`, { title: 'Second title', version: { number: 2, message: 'renamed "it"', minorEdit: true } });
    await call(alice.token, 'PUT', `/rest/api/content/${page.archived}`, { status: 'archived', version: { number: 2 } });
    const put = (token: string, name: string, from: string, to: string, query = '') =>
      call(token, 'PUT', `/rest/api/relation/${enc(name)}/from/${from}/to/${to}${query}`);
    const me = `user/${alice.user.accountId}`;
    for (const id of [page.quoted, page.edited, page.trashed]) await put(alice.token, 'likes', me, `content/${id}`);
    await put(alice.token, 'likes', me, `content/${page.draft}`, '?targetStatus=draft');
    await put(alice.token, 'likes', me, `content/${page.archived}`, '?targetStatus=archived');
    await put(alice.token, 'likes', me, `content/${page.edited}`, '?targetStatus=historical&targetVersion=1');
    await put(alice.token, 'likes', me, `content/${page.edited}`, '?targetStatus=historical&targetVersion=2');
    await call(alice.token, 'DELETE', `/rest/api/content/${page.trashed}`);
    await put(dave.token, NAME, `content/${page.quoted}`, `content/${page.edited}`, '?targetStatus=historical&targetVersion=1');
    await put(alice.token, NAME, `content/${page.quoted}`, 'space/TXT');
    await put(alice.token, NAME, 'space/TXT', `user/${zoe.user.accountId}`);
    await put(zoe.token, NAME, `user/${zoe.user.accountId}`, 'space/TXT');
    await put(alice.token, NAME, 'space/TXT', `content/${page.quoted}`);
    // A deleted creator leaves relationData without createdBy; a deleted author, a version without `by`.
    await t.db.prisma.user.deleteMany({ where: { id: { in: [dave.user.id, carol.user.id] } } });
    // Friendly dates of old relations are calendar dates, the same whenever each side is rendered.
    await t.db.prisma.relation.updateMany({ data: { createdAt: new Date('2020-03-04T05:06:07.089Z') } });
  });
  afterAll(() => t?.close());

  const EXPANDS = [
    '',
    'relationData',
    'source',
    'target',
    'source.space',
    'target.space',
    'relationData,source.space,target',
    'relationData.createdBy,source,target.space,unknown',
  ];
  const PREFIXES = ['/wiki/rest/api', '/rest/api'];

  const linksOf = (prefix: string) => linksFor(BASE, prefix.startsWith('/wiki') ? '/wiki' : '');
  const expandOf = (expand: string, defaults: string[] = []) => relationExpand(new Set([...defaults, ...expand.split(',').filter(Boolean)]));

  async function answer(method: string, path: string): Promise<string> {
    const response = await t.request(path, { method, token: t.admin.token });
    expect(response.status, path).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    return response.text();
  }

  interface ListCase {
    direction: 'from' | 'to';
    name: string;
    anchor: EntityRef;
    otherType: EntityType;
    otherStatus?: string;
    otherVersion?: number;
    start?: number;
    limit?: number;
    cursorAfterFirst?: boolean;
  }

  const user = () => ({ type: 'USER' as const, key: alice.user.accountId });
  const LISTS: (() => ListCase)[] = [
    () => ({ direction: 'from', name: 'likes', anchor: user(), otherType: 'CONTENT' }),
    () => ({ direction: 'from', name: 'likes', anchor: user(), otherType: 'CONTENT', limit: 1, start: 1 }),
    () => ({ direction: 'from', name: 'likes', anchor: user(), otherType: 'CONTENT', limit: 1, cursorAfterFirst: true }),
    () => ({ direction: 'from', name: 'likes', anchor: user(), otherType: 'CONTENT', otherStatus: 'draft' }),
    () => ({ direction: 'from', name: 'likes', anchor: user(), otherType: 'CONTENT', otherStatus: 'trashed' }),
    () => ({ direction: 'from', name: 'likes', anchor: user(), otherType: 'CONTENT', otherStatus: 'archived' }),
    () => ({ direction: 'from', name: 'likes', anchor: user(), otherType: 'CONTENT', otherStatus: 'historical', otherVersion: 1 }),
    () => ({ direction: 'from', name: 'likes', anchor: user(), otherType: 'CONTENT', otherStatus: 'historical', otherVersion: 2 }),
    () => ({ direction: 'to', name: 'likes', anchor: { type: 'CONTENT', key: page.quoted }, otherType: 'USER' }),
    () => ({ direction: 'from', name: NAME, anchor: { type: 'CONTENT', key: page.quoted }, otherType: 'CONTENT', otherStatus: 'historical', otherVersion: 1 }),
    () => ({ direction: 'from', name: NAME, anchor: { type: 'CONTENT', key: page.quoted }, otherType: 'SPACE' }),
    () => ({ direction: 'to', name: NAME, anchor: { type: 'SPACE', key: 'TXT' }, otherType: 'CONTENT' }),
    () => ({ direction: 'from', name: NAME, anchor: { type: 'SPACE', key: 'TXT' }, otherType: 'USER' }),
    () => ({ direction: 'to', name: NAME, anchor: { type: 'SPACE', key: 'TXT' }, otherType: 'USER' }),
    () => ({ direction: 'from', name: NAME, anchor: { type: 'SPACE', key: 'TXT' }, otherType: 'CONTENT' }),
  ];

  function listPath(prefix: string, c: ListCase, expand: string, cursor?: string): string {
    const otherEnd = c.direction === 'from' ? 'target' : 'source';
    const other = c.otherType.toLowerCase();
    const path =
      c.direction === 'from'
        ? `${prefix}/relation/${enc(c.name)}/from/${c.anchor.type.toLowerCase()}/${enc(c.anchor.key)}/to/${other}`
        : `${prefix}/relation/${enc(c.name)}/to/${c.anchor.type.toLowerCase()}/${enc(c.anchor.key)}/from/${other}`;
    const query = new URLSearchParams();
    if (expand) query.set('expand', expand);
    if (c.otherStatus) query.set(`${otherEnd}Status`, c.otherStatus);
    if (c.otherVersion) query.set(`${otherEnd}Version`, String(c.otherVersion));
    if (c.start !== undefined) query.set('start', String(c.start));
    if (c.limit !== undefined) query.set('limit', String(c.limit));
    if (cursor) query.set('cursor', cursor);
    return query.toString() ? `${path}?${query}` : path;
  }

  async function expectedList(prefix: string, c: ListCase, expand: string, path: string, after?: number): Promise<string> {
    const ctx = await viewerCtx();
    const pageParams = { start: c.start ?? 0, limit: c.limit ?? 25 };
    const result = await listRelations({
      ctx,
      name: c.name,
      direction: c.direction,
      anchor: c.anchor,
      otherType: c.otherType,
      otherStatus: c.otherStatus,
      otherVersion: c.otherVersion,
      after,
      offset: after ? 0 : pageParams.start,
      limit: pageParams.limit,
    });
    const links = linksOf(prefix);
    const results = await reference.relationsJson(ctx, links, result.rows, expandOf(expand));
    const last = result.rows.at(-1);
    return JSON.stringify(reference.pageJson(BASE + path, links, pageParams, results, result.hasMore, last ? encodeCursor(last.id) : undefined));
  }

  it('every list, for every expand and both prefixes, is the object path byte for byte', async () => {
    let compared = 0;
    for (const make of LISTS) {
      const c = make();
      for (const prefix of PREFIXES) {
        for (const expand of EXPANDS) {
          let after: number | undefined;
          let cursor: string | undefined;
          if (c.cursorAfterFirst) {
            const first = JSON.parse(await answer('GET', listPath(prefix, c, expand)));
            cursor = new URLSearchParams(first._links.next.split('?')[1]).get('cursor') ?? undefined;
            after = decodeCursor(cursor!);
          }
          const path = listPath(prefix, c, expand, cursor);
          const body = await answer('GET', path);
          expect(body, path).toBe(await expectedList(prefix, c, expand, path, after));
          expect(JSON.parse(body).size, `${path} must not be empty`).toBeGreaterThan(0);
          compared++;
        }
      }
    }
    expect(compared).toBe(LISTS.length * PREFIXES.length * EXPANDS.length);
  });

  it('one relation, by GET and by PUT (relationData by default), is the object path byte for byte', async () => {
    const ONE: [string, EntityRef, EntityRef][] = [
      ['likes', { type: 'USER', key: alice.user.accountId }, { type: 'CONTENT', key: page.edited, status: 'historical', version: 1 }],
      ['likes', { type: 'USER', key: alice.user.accountId }, { type: 'CONTENT', key: page.trashed, status: 'trashed' }],
      [NAME, { type: 'CONTENT', key: page.quoted }, { type: 'CONTENT', key: page.edited, status: 'historical', version: 1 }],
      [NAME, { type: 'SPACE', key: 'TXT' }, { type: 'USER', key: zoe.user.accountId }],
    ];
    const selector = (end: string, ref: EntityRef) => [ref.status ? `${end}Status=${ref.status}` : '', ref.version ? `${end}Version=${ref.version}` : ''];
    for (const [name, source, target] of ONE) {
      for (const prefix of PREFIXES) {
        for (const expand of EXPANDS) {
          const query = [...selector('source', source), ...selector('target', target), expand ? `expand=${enc(expand)}` : ''].filter(Boolean).join('&');
          const path = `${prefix}/relation/${enc(name)}/from/${source.type.toLowerCase()}/${enc(source.key)}/to/${target.type.toLowerCase()}/${enc(target.key)}${query ? `?${query}` : ''}`;
          for (const [method, defaults] of [
            ['GET', []],
            ['PUT', ['relationData']],
          ] as const) {
            const body = await answer(method, path);
            const ctx = await viewerCtx();
            const row = await getRelation({ ctx, name, source, target });
            const [json] = await reference.relationsJson(ctx, linksOf(prefix), [row!], expandOf(expand, [...defaults]));
            expect(body, `${method} ${path}`).toBe(JSON.stringify(json));
          }
        }
      }
    }
  });

  it('the world has what the comparisons are meant to cover', async () => {
    const byDeleted = JSON.parse(await answer('GET', listPath('/rest/api', LISTS[9](), 'relationData')));
    expect(byDeleted.results.map((r: any) => Object.keys(r.relationData))).toEqual([['createdDate', 'friendlyCreatedDate']]);
    expect(byDeleted.results[0].relationData.friendlyCreatedDate).toBe('Mar 4, 2020');
    const pinned = JSON.parse(await answer('GET', listPath('/rest/api', LISTS[6](), 'target')));
    expect(pinned.results[0].target).toMatchObject({ status: 'historical', title: 'First title' });
    expect(pinned.results[0].target.version.by).toMatchObject({ displayName: 'Alice' });
    const latest = JSON.parse(await answer('GET', listPath('/rest/api', LISTS[0](), 'target')));
    const edited = latest.results.find((r: any) => r.target.id === page.edited).target;
    expect(edited).toMatchObject({ title: 'Second title', version: { number: 2, message: 'renamed "it"', minorEdit: true } });
    expect(edited.version.by).toBeUndefined();
  });
});
