// Forged writes on the REST faces. A web page can make a browser send a POST (with the Basic credentials it cached)
// only with a form or text/plain body, or a body of no stated type. The Confluence face refuses those writes with
// 403 "XSRF check failed" unless they carry X-Atlassian-Token: no-check; the Umbraco face takes JSON bodies only.
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, expectError, type CallInit } from '../confluence/support.js';
import { expectUmbracoError } from '../hostile/faces.js';
import { createContent, createSpace } from '../graphql/operations.js';
import { createTestApp, type Account, type TestApp } from '../support/app.js';

let t: TestApp;
let bob: Account;
let page: string;
let server: ServerType;
let origin: string;

beforeAll(async () => {
  t = await createTestApp();
  bob = await t.account('Bob');
  await createSpace(t, bob.token, 'DEMO');
  page = (await createContent(t, bob.token, 'DEMO', 'Page')).id;
  await new Promise<void>((ready) => {
    server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () => ready());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((done) => server?.close(done));
  await t?.close();
});

async function raw(app: TestApp, method: string, path: string, init: CallInit) {
  const response = await app.request(path, { method, headers: init.headers, body: init.body });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

const basic = (account: Account) => `Basic ${Buffer.from(`${account.user.email}:${account.token}`).toString('base64')}`;
const FORM_TYPES = ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=zzz', 'TEXT/PLAIN'];
const forgedContent = (title: string) => JSON.stringify({ type: 'page', title, space: { key: 'DEMO' } });
const titled = (title: string) => t.db.prisma.content.count({ where: { title } });

/** The issue's writes, each with a body a form could carry. */
const WRITES = () => [
  { method: 'POST', path: '/rest/api/content', body: forgedContent('forged') },
  { method: 'POST', path: '/wiki/rest/api/space', body: JSON.stringify({ key: 'FORGED', name: 'Forged' }) },
  { method: 'POST', path: `/rest/api/user/watch/content/${page}`, body: '' },
  { method: 'PUT', path: `/rest/api/relation/likes/from/user/current/to/content/${page}`, body: 'x=1' },
  { method: 'DELETE', path: `/wiki/rest/api/relation/likes/from/user/current/to/content/${page}`, body: '' },
  { method: 'PUT', path: `/rest/api/content/${page}`, body: JSON.stringify({ title: 'Forged', type: 'page', version: { number: 2 } }) },
  { method: 'PATCH', path: `/rest/api/content/${page}`, body: '{}' },
];

describe('the Confluence face', () => {
  it.each(FORM_TYPES)('refuses every write sent as %s with 403 "XSRF check failed", and changes nothing', async (type) => {
    for (const { method, path, body } of WRITES()) {
      // PATCH is served nowhere, so it is not in the OpenAPI document `call` checks against.
      const send = method === 'PATCH' ? raw : call;
      const answer = await send(t, method, path, { headers: { authorization: basic(bob), 'content-type': type, origin: 'https://evil.example' }, body });
      expectError(answer, 403, /^XSRF check failed$/);
    }
    expect(await titled('forged')).toBe(0);
    expect(await t.db.prisma.space.count({ where: { key: 'FORGED' } })).toBe(0);
    expect(await t.db.prisma.relation.count({ where: { name: 'likes' } })).toBe(0);
  });

  it('refuses a form write before looking at credentials: 403 for a caller with none', async () => {
    expectError(await call(t, 'POST', '/rest/api/content', { headers: { 'content-type': 'text/plain' }, body: forgedContent('anonymous') }), 403, /XSRF/);
  });

  it('lets the same write through with X-Atlassian-Token: no-check (or the older nocheck)', async () => {
    const answer = await call(t, 'POST', '/rest/api/content', {
      token: bob.token,
      headers: { 'content-type': 'text/plain', 'x-atlassian-token': 'no-check' },
      body: forgedContent('deliberate'),
    });
    expect(answer.status).toBe(200);
    const watch = await call(t, 'POST', `/rest/api/user/watch/content/${page}`, {
      token: bob.token,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'X-Atlassian-Token': 'nocheck' },
      body: '',
    });
    expect(watch.status).toBe(204);
    expect(await titled('deliberate')).toBe(1);
  });

  it('any other X-Atlassian-Token value does not count', async () => {
    for (const value of ['yes', 'check', '', 'no-check-please']) {
      const answer = await call(t, 'POST', '/rest/api/content', {
        token: bob.token,
        headers: { 'content-type': 'text/plain', 'x-atlassian-token': value },
        body: forgedContent('still forged'),
      });
      expectError(answer, 403, /XSRF/);
    }
  });

  it('a content type no browser sends without asking first (unreadable) is refused too', async () => {
    expectError(await call(t, 'POST', '/rest/api/space', { token: bob.token, headers: { 'content-type': ';;;' }, body: '{}' }), 403, /XSRF/);
  });

  it('JSON writes, writes without a body and reads pass as before', async () => {
    expect((await call(t, 'POST', '/rest/api/content', { token: bob.token, json: { type: 'page', title: 'json', space: { key: 'DEMO' } } })).status).toBe(200);
    expect((await call(t, 'PUT', `/rest/api/relation/likes/from/user/current/to/content/${page}`, { token: bob.token })).status).toBe(200);
    expect((await call(t, 'GET', `/rest/api/content/${page}`, { token: bob.token, headers: { 'content-type': 'text/plain' } })).status).toBe(200);
    expect((await call(t, 'DELETE', `/rest/api/relation/likes/from/user/current/to/content/${page}`, { token: bob.token })).status).toBe(204);
  });

  it('over a real socket: a body of no stated type is refused, whether its length is given or it comes chunked', async () => {
    const bytes = new TextEncoder().encode(forgedContent('untyped'));
    const withLength = await fetch(`${origin}/rest/api/content`, { method: 'POST', headers: { authorization: basic(bob) }, body: bytes });
    expect(withLength.status).toBe(403);
    const chunked = await fetch(`${origin}/rest/api/content`, {
      method: 'POST',
      headers: { authorization: basic(bob) },
      body: new Blob([bytes]).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(403);
    expect((await chunked.json()).message).toBe('XSRF check failed');
    const empty = await fetch(`${origin}/rest/api/user/watch/content/${page}`, { method: 'POST', headers: { authorization: basic(bob) } });
    expect(empty.status).toBe(204);
    expect(await titled('untyped')).toBe(0);
  });
});

describe('the Umbraco face', () => {
  const relation = (childId: string) => JSON.stringify({ parentId: page, childId, relationTypeAlias: 'related' });

  it.each([...FORM_TYPES, 'application/xml'])('refuses a write sent as %s with 415 in its own format, X-Atlassian-Token or not', async (type) => {
    for (const extra of [{}, { 'x-atlassian-token': 'no-check' }] as Record<string, string>[]) {
      const response = await t.request('/umbraco/relation', { method: 'POST', headers: { 'api-key': bob.token, 'content-type': type, ...extra }, body: relation(page) });
      expect(response.status).toBe(415);
      const body = await response.json();
      expectUmbracoError(body);
      expect(body.error).toEqual({ code: 'UnsupportedMediaType', message: expect.stringMatching(/application\/json/) });
    }
    expect(await t.db.prisma.relation.count({ where: { name: 'related' } })).toBe(0);
  });

  it('refuses a body of no stated type over a real socket', async () => {
    const response = await fetch(`${origin}/umbraco/relation`, { method: 'POST', headers: { 'api-key': bob.token }, body: new TextEncoder().encode(relation(page)) });
    expect(response.status).toBe(415);
  });

  it('takes JSON, and a delete with no body', async () => {
    const created = await t.request('/umbraco/relation', {
      method: 'POST',
      headers: { 'api-key': bob.token, 'content-type': 'application/json; charset=utf-8' },
      body: relation(page),
    });
    expect(created.status).toBe(201);
    const { _id } = await created.json();
    expect((await t.request(`/umbraco/relation/${_id}`, { method: 'DELETE', headers: { 'api-key': bob.token } })).status).toBe(200);
  });
});
