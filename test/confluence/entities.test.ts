import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, createTestApp, type Account, type TestApp } from '../support/app.js';
import { call, createSpaceWithPages, expectError } from './support.js';

let t: TestApp;
let editor: Account;
let reader: Account;

beforeAll(async () => {
  t = await createTestApp();
  editor = await t.account('Editor');
  reader = await t.account('Reader');
});
afterAll(() => t?.close());

describe('spaces', () => {
  it('POST /space creates a public space in the seed-004 shape', async () => {
    const answer = await call(t, 'POST', '/wiki/rest/api/space', {
      token: editor.token,
      json: { key: 'DOCS', name: 'Docs', description: { plain: { value: 'All the docs', representation: 'plain' } } },
    });
    expect(answer.body).toEqual({
      id: expect.any(Number),
      key: 'DOCS',
      name: 'Docs',
      type: 'global',
      status: 'current',
      description: { plain: { value: 'All the docs', representation: 'plain', embeddedContent: [] } },
      _expandable: {},
      _links: { base: `${BASE}/wiki`, context: '/wiki', self: `${BASE}/wiki/rest/api/space/DOCS`, collection: '/rest/api/space' },
    });
    expect((await call(t, 'GET', '/rest/api/space/DOCS', { token: reader.token })).body.name).toBe('Docs');
  });

  it('a duplicate key, a bad key or a malformed body is a 400', async () => {
    await call(t, 'POST', '/rest/api/space', { token: editor.token, json: { key: 'TAKEN', name: 'Taken' } });
    expectError(await call(t, 'POST', '/rest/api/space', { token: editor.token, json: { key: 'TAKEN', name: 'Again' } }), 400, /already exists/);
    expectError(await call(t, 'POST', '/rest/api/space', { token: editor.token, json: { key: 'no spaces', name: 'X' } }), 400);
    expectError(await call(t, 'POST', '/rest/api/space', { token: editor.token, json: { key: 'OK', name: 42 } }), 400);
    const malformed = await call(t, 'POST', '/rest/api/space', { token: editor.token, body: '{"key": "BROKEN",', headers: { 'content-type': 'application/json' } });
    expectError(malformed, 400, /not valid JSON/);
  });

  it('GET /space pages through spaces in key order', async () => {
    for (const key of ['AAA', 'BBB', 'CCC']) await call(t, 'POST', '/rest/api/space', { token: editor.token, json: { key, name: key } });
    const first = await call(t, 'GET', '/rest/api/space?limit=2', { token: reader.token });
    expect(first.body.results.map((s: any) => s.key)).toEqual(['AAA', 'BBB']);
    expect(first.body._links.next).toBe('/rest/api/space?start=2&limit=2');
    const filtered = await call(t, 'GET', '/rest/api/space?spaceKey=CCC&spaceKey=AAA', { token: reader.token });
    expect(filtered.body.results.map((s: any) => s.key)).toEqual(['AAA', 'CCC']);
  });

  it('DELETE /space answers 202 with a long task that reports finished; the space and its relations are gone', async () => {
    const { pages } = await createSpaceWithPages(t, editor.token, 'GONE');
    await call(t, 'PUT', `/rest/api/relation/likes/from/user/current/to/content/${pages[0]}`, { token: editor.token });
    expectError(await call(t, 'DELETE', '/rest/api/space/GONE', { token: reader.token }), 403);
    const answer = await call(t, 'DELETE', '/rest/api/space/GONE', { token: editor.token });
    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({ id: expect.any(String), links: { status: `/rest/api/longtask/${answer.body.id}` } });
    const task = await call(t, 'GET', answer.body.links.status, { token: editor.token });
    expect(task.body).toMatchObject({ id: answer.body.id, finished: true, successful: true, percentageComplete: 100 });
    expectError(await call(t, 'GET', '/rest/api/space/GONE', { token: editor.token }), 404);
    const relations = await call(t, 'GET', '/rest/api/relation/likes/from/user/current/to/content', { token: editor.token });
    expect(relations.body.size).toBe(0);
    expectError(await call(t, 'GET', '/rest/api/longtask/not-a-task', { token: editor.token }), 404);
  });
});

describe('content', () => {
  let spaces = 0;
  /** A page 'Home' in a space of its own; `renamed` makes it 'Home page' at version 2, as the PUT test does. */
  async function home(renamed = false) {
    const key = `WIKI${String.fromCharCode(65 + spaces++)}`;
    await call(t, 'POST', '/rest/api/space', { token: editor.token, json: { key, name: 'Wiki' } });
    const id: string = (await call(t, 'POST', '/rest/api/content', { token: editor.token, json: { type: 'page', title: 'Home', space: { key } } })).body.id;
    const version = { number: 2, message: 'renamed', minorEdit: true };
    if (renamed) await call(t, 'PUT', `/rest/api/content/${id}`, { token: editor.token, json: { title: 'Home page', type: 'page', version } });
    return { key, id };
  }

  beforeAll(async () => {
    await call(t, 'POST', '/rest/api/space', { token: editor.token, json: { key: 'WIKI', name: 'Wiki' } });
  });

  it('POST /content creates a page with version 1', async () => {
    const answer = await call(t, 'POST', '/rest/api/content', { token: editor.token, json: { type: 'page', title: 'Home', space: { key: 'WIKI' } } });
    const id = answer.body.id;
    expect(answer.body).toMatchObject({
      type: 'page',
      status: 'current',
      title: 'Home',
      space: { key: 'WIKI' },
      version: { number: 1, minorEdit: false, by: { accountId: editor.user.accountId } },
      _links: { self: `${BASE}/rest/api/content/${id}`, collection: '/rest/api/content' },
    });
  });

  it('creating content needs EDIT in the space', async () => {
    expectError(await call(t, 'POST', '/rest/api/content', { token: reader.token, json: { title: 'Nope', space: { key: 'WIKI' } } }), 403);
    expectError(await call(t, 'POST', '/rest/api/content', { token: editor.token, json: { title: 'Nope', type: 'scroll', space: { key: 'WIKI' } } }), 400);
  });

  it('PUT bumps the version when it is latest + 1, and is a 409 otherwise', async () => {
    const { id } = await home();
    const updated = await call(t, 'PUT', `/rest/api/content/${id}`, {
      token: editor.token,
      json: { title: 'Home page', type: 'page', version: { number: 2, message: 'renamed', minorEdit: true } },
    });
    expect(updated.body.version).toMatchObject({ number: 2, message: 'renamed', minorEdit: true });
    expectError(await call(t, 'PUT', `/rest/api/content/${id}`, { token: editor.token, json: { title: 'Stale', version: { number: 2 } } }), 409, /latest version is 2/);
    expectError(await call(t, 'PUT', `/rest/api/content/${id}`, { token: editor.token, json: { title: 'No version' } }), 400);
  });

  it('GET with version shows that version; with a version above the latest it is a 404', async () => {
    const { id } = await home(true);
    const old = await call(t, 'GET', `/rest/api/content/${id}?version=1`, { token: reader.token });
    expect(old.body).toMatchObject({ title: 'Home', status: 'historical', version: { number: 1 } });
    expect((await call(t, 'GET', `/rest/api/content/${id}`, { token: reader.token })).body.title).toBe('Home page');
    expectError(await call(t, 'GET', `/rest/api/content/${id}?version=9`, { token: reader.token }), 404);
    expectError(await call(t, 'GET', `/rest/api/content/${id}?version=x`, { token: reader.token }), 400);
  });

  it('GET /content lists by space and status', async () => {
    const { key } = await home(true);
    const list = await call(t, 'GET', `/rest/api/content?spaceKey=${key}`, { token: reader.token });
    expect(list.body.results.map((c: any) => c.title)).toEqual(['Home page']);
  });

  it('DELETE trashes current content (200), then purges it with status=trashed (204)', async () => {
    const { key, id } = await home(true);
    const trashed = await call(t, 'DELETE', `/rest/api/content/${id}`, { token: editor.token });
    expect(trashed.status).toBe(200);
    expect(trashed.body.status).toBe('trashed');
    expectError(await call(t, 'GET', `/rest/api/content/${id}`, { token: editor.token }), 404);
    expect((await call(t, 'GET', `/rest/api/content/${id}?status=trashed`, { token: editor.token })).body.status).toBe('trashed');
    expect((await call(t, 'GET', `/rest/api/content?spaceKey=${key}&status=trashed`, { token: editor.token })).body.size).toBe(1);
    expect((await call(t, 'DELETE', `/rest/api/content/${id}?status=trashed`, { token: editor.token })).status).toBe(204);
    expectError(await call(t, 'GET', `/rest/api/content/${id}?status=any`, { token: editor.token }), 404);
  });
});

describe('users', () => {
  it('GET /user finds a user by accountId, key or username', async () => {
    for (const query of [`accountId=${reader.user.accountId}`, `key=${reader.user.userKey}`, `username=${reader.user.username}`]) {
      const answer = await call(t, 'GET', `/rest/api/user?${query}`, { token: editor.token });
      expect(answer.body).toEqual({
        type: 'known',
        accountId: reader.user.accountId,
        accountType: 'atlassian',
        email: reader.user.email,
        publicName: reader.user.username,
        profilePicture: { path: '/images/icons/profilepics/default.svg', width: 48, height: 48, isDefault: true },
        displayName: 'Reader',
        userKey: reader.user.userKey,
        username: reader.user.username,
        _expandable: {},
        _links: { base: BASE, context: '', self: `${BASE}/rest/api/user?accountId=${reader.user.accountId}` },
      });
    }
    expectError(await call(t, 'GET', '/rest/api/user?accountId=nobody', { token: editor.token }), 404);
    expectError(await call(t, 'GET', '/rest/api/user', { token: editor.token }), 400);
  });

  it('GET /user/current is the caller', async () => {
    expect((await call(t, 'GET', '/wiki/rest/api/user/current', { token: reader.token })).body.accountId).toBe(reader.user.accountId);
  });
});

describe('errors', () => {
  it('an unknown route under the prefix is a 404 in the Confluence format', async () => {
    expectError(await call(t, 'GET', '/rest/api/nothing/here', { token: reader.token }), 404, /No resource/);
    expectError(await call(t, 'PATCH', '/wiki/rest/api/space/DOCS', { token: reader.token }), 404);
  });

  it('a database that is down is a 503 in the Confluence format', async () => {
    const down = await createTestApp();
    const who = await down.account('Someone');
    await down.db.close();
    const answer = await call(down, 'GET', '/rest/api/space', { token: who.token });
    expect(answer.status).toBe(503);
    expect(answer.body.data).toMatchObject({ authorized: true, valid: true, successful: false });
  });
});

describe('hostile input is a 4xx, never a 5xx', () => {
  it.each([
    ['GET', '/rest/api/user?accountId=%00'],
    ['GET', '/rest/api/user?username=a%00b'],
    ['GET', '/rest/api/space/%00'],
    ['GET', '/rest/api/content/%00'],
    ['GET', '/rest/api/content/1?status=%00'],
    ['GET', '/rest/api/content?spaceKey=%00&title=%00'],
    ['GET', '/rest/api/space?spaceKey=%00&type=%00&status=%00'],
    ['GET', '/rest/api/relation/x/from/user/%00/to/space'],
    ['GET', '/rest/api/relation/x/from/space/%00/to/content/%00'],
    ['PUT', '/rest/api/relation/x/from/user/current/to/space/%FF%FE'],
    ['GET', '/rest/api/relation/x/from/user/current/to/space?start=99999999999999999999'],
    ['GET', '/rest/api/user/watch/space/%00'],
    ['GET', '/rest/api/longtask/%00'],
  ])('%s %s', async (method, path) => {
    const answer = await call(t, method, path, { token: reader.token });
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
  });

  it('a NUL in a body field is a 400', async () => {
    expectError(await call(t, 'POST', '/rest/api/space', { token: editor.token, json: { key: 'NUL', name: 'a\u0000b' } }), 400);
    expectError(await call(t, 'POST', '/rest/api/content', { token: editor.token, json: { title: 'x', space: { key: '\u0000' } } }), 400);
    expectError(await call(t, 'POST', '/rest/api/space', { token: editor.token, body: '[1,2]', headers: { 'content-type': 'application/json' } }), 400);
  });
});
