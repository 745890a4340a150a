import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Account, type TestApp } from '../support/app.js';
import { call, createSpaceWithPages, expectError } from './support.js';

let t: TestApp;
let owner: Account;
let stranger: Account;
let secret: string[];
let open: string[];

beforeAll(async () => {
  t = await createTestApp();
  owner = await t.account('Owner');
  stranger = await t.account('Stranger');
  ({ pages: secret } = await createSpaceWithPages(t, owner.token, 'SECRET', { private: true }));
  ({ pages: open } = await createSpaceWithPages(t, owner.token, 'OPEN'));
});
afterAll(() => t?.close());

const basic = (identity: string, token: string) => ({ authorization: `Basic ${Buffer.from(`${identity}:${token}`).toString('base64')}` });

describe('authentication', () => {
  it('no credentials is a 401 with WWW-Authenticate and the JSON body', async () => {
    const answer = await call(t, 'GET', '/wiki/rest/api/user/current');
    expectError(answer, 401);
    expect(answer.headers.get('www-authenticate')).toBe('Basic realm="relation-gateway"');
  });

  it('a wrong token is a 401', async () => {
    expectError(await call(t, 'GET', '/rest/api/space', { token: 'rg_not-a-real-token' }), 401);
  });

  it('Basic auth takes the e-mail or the username with the API token', async () => {
    for (const identity of [owner.user.email, owner.user.username]) {
      const answer = await call(t, 'GET', '/rest/api/user/current', { headers: basic(identity, owner.token) });
      expect(answer.body.accountId).toBe(owner.user.accountId);
    }
    expectError(await call(t, 'GET', '/rest/api/user/current', { headers: basic(stranger.user.email, owner.token) }), 401);
  });

  it('X-Atlassian-Token is accepted and ignored', async () => {
    const answer = await call(t, 'GET', '/rest/api/user/current', { token: owner.token, headers: { 'X-Atlassian-Token': 'no-check' } });
    expect(answer.status).toBe(200);
  });

  it('the OpenAPI document and the docs page need no credentials', async () => {
    expect((await t.request('/rest/api/openapi.json')).status).toBe(200);
    const docs = await t.request('/rest/api/docs');
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-type')).toMatch(/text\/html/);
  });
});

describe('private spaces', () => {
  it("a stranger gets 404 for a private space's content, exactly as for missing content", async () => {
    const hidden = await call(t, 'GET', `/rest/api/content/${secret[0]}`, { token: stranger.token });
    expectError(hidden, 404);
    const missing = await call(t, 'GET', '/rest/api/content/99999999', { token: stranger.token });
    expect(hidden.body.message.replace(secret[0], 'ID')).toBe(missing.body.message.replace('99999999', 'ID'));
    expect((await call(t, 'GET', `/rest/api/content/${secret[0]}`, { token: owner.token })).status).toBe(200);
  });

  it('a stranger cannot see the space, relate to its content, nor see relations touching it', async () => {
    expectError(await call(t, 'GET', '/rest/api/space/SECRET', { token: stranger.token }), 404);
    expectError(await call(t, 'PUT', `/rest/api/relation/likes/from/user/current/to/content/${secret[0]}`, { token: stranger.token }), 404);
    await call(t, 'PUT', `/rest/api/relation/links/from/content/${open[0]}/to/content/${secret[0]}`, { token: owner.token });
    await call(t, 'PUT', `/rest/api/relation/links/from/content/${open[0]}/to/content/${open[1]}`, { token: owner.token });
    const list = await call(t, 'GET', `/rest/api/relation/links/from/content/${open[0]}/to/content?expand=target`, { token: stranger.token });
    expect(list.body.results.map((r: any) => r.target.id)).toEqual([open[1]]);
    expect(list.body.size).toBe(1);
    const spaces = await call(t, 'GET', '/rest/api/space', { token: stranger.token });
    expect(spaces.body.results.map((s: any) => s.key)).toEqual(['OPEN']);
  });
});

describe('favourites are private', () => {
  beforeAll(async () => {
    await call(t, 'PUT', `/rest/api/relation/favourite/from/user/current/to/content/${open[0]}`, { token: owner.token });
    await call(t, 'PUT', '/rest/api/relation/favourite/from/user/current/to/space/OPEN', { token: owner.token });
  });

  it("someone else's favourite reads as absent", async () => {
    const path = `/rest/api/relation/favourite/from/user/${owner.user.accountId}/to/content/${open[0]}`;
    expect((await call(t, 'GET', path, { token: owner.token })).status).toBe(200);
    expectError(await call(t, 'GET', path, { token: stranger.token }), 404);
  });

  it('lists show a favourite only to its owner', async () => {
    const path = `/rest/api/relation/favourite/to/content/${open[0]}/from/user`;
    expect((await call(t, 'GET', path, { token: owner.token })).body.size).toBe(1);
    expect((await call(t, 'GET', path, { token: stranger.token })).body.size).toBe(0);
  });

  it("deleting someone else's favourite is a 403; creating one for them too", async () => {
    const path = `/rest/api/relation/favourite/from/user/${owner.user.accountId}/to/content/${open[0]}`;
    expectError(await call(t, 'DELETE', path, { token: stranger.token }), 403);
    expectError(await call(t, 'PUT', `/rest/api/relation/favourite/from/user/${owner.user.accountId}/to/space/OPEN`, { token: stranger.token }), 403);
    expect((await call(t, 'GET', path, { token: owner.token })).status).toBe(200);
  });

  it('GET /space?favourite=true lists the caller’s own favourite spaces only', async () => {
    expect((await call(t, 'GET', '/rest/api/space?favourite=true', { token: owner.token })).body.results.map((s: any) => s.key)).toEqual(['OPEN']);
    expect((await call(t, 'GET', '/rest/api/space?favourite=true', { token: stranger.token })).body.results).toEqual([]);
  });
});

describe('watches', () => {
  it('only the user themself or a site admin watches for a user', async () => {
    const path = (query: string) => `/rest/api/user/watch/space/OPEN${query}`;
    expectError(await call(t, 'POST', path(`?accountId=${owner.user.accountId}`), { token: stranger.token }), 403);
    expect((await call(t, 'POST', path(`?username=${stranger.user.username}`), { token: t.admin.token })).status).toBe(204);
    expect((await call(t, 'GET', path(''), { token: stranger.token })).body).toEqual({ watching: true });
    expect((await call(t, 'GET', path(`?key=${stranger.user.userKey}`), { token: owner.token })).body).toEqual({ watching: true });
    expect((await call(t, 'DELETE', path(''), { token: stranger.token })).status).toBe(204);
    expect((await call(t, 'GET', path(''), { token: stranger.token })).body).toEqual({ watching: false });
  });

  it('watching a private space is a 404 for a stranger', async () => {
    expectError(await call(t, 'POST', '/rest/api/user/watch/space/SECRET', { token: stranger.token }), 404);
    expectError(await call(t, 'GET', `/rest/api/user/watch/content/${secret[1]}`, { token: stranger.token }), 404);
  });
});
