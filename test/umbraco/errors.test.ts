// Raw HTTP against /umbraco: every error code of seed 003, in its body format, and what is not an error.
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/database.js';
import { createApp } from '../../src/app.js';
import { ForbiddenError } from '../../src/domain/errors.js';
import { errorResponse } from '../../src/rest/umbraco/errors.js';
import type { Account } from '../support/app.js';
import { space, startWorld, type World } from './world.js';

let world: World;
let editor: Account;
let stranger: Account;
let home: string;
let about: string;
let secret: string;
let relationId: number;

const umbracoHeaders = (token: string) => ({
  'api-key': token,
  'umb-project-alias': 'gateway',
  'api-version': '2.2',
  accept: 'application/json+hal',
  'content-type': 'application/json',
});

function post(body: string | undefined, token = editor.token) {
  return world.request('/umbraco/relation', { method: 'POST', headers: umbracoHeaders(token), body });
}

const validation = (details: unknown[]) => ({
  error: { code: 'ValidationFailed', message: 'Validation error occured when trying to save or update the relation.', details },
});

beforeAll(async () => {
  world = await startWorld();
  editor = await world.account('Editor');
  stranger = await world.account('Stranger');
  await space(world, editor.user, 'WEB');
  await space(world, editor.user, 'VAULT', false);
  home = await world.page(editor.user, 'WEB', 'Home');
  about = await world.page(editor.user, 'WEB', 'About');
  secret = await world.page(editor.user, 'VAULT', 'Secret');
  const response = await post(JSON.stringify({ parentId: home, childId: about, relationTypeAlias: 'related' }));
  relationId = (await response.json())._id;
});

afterAll(() => world?.stop());

describe('400 BadRequest', () => {
  it('an empty body is "Body cannot be empty."', async () => {
    const response = await post(undefined);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { code: 'BadRequest', message: 'Body cannot be empty.' } });
  });

  it('malformed JSON is a 400 with the same message and a detail', async () => {
    const response = await post('{"parentId": ');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { code: 'BadRequest', message: 'Body cannot be empty.', details: [{ code: 'BadRequest', message: 'The body is not valid JSON.' }] },
    });
  });

  it('a JSON null or array is not a relation', async () => {
    expect((await post('null')).status).toBe(400);
    expect((await post('[1,2]')).status).toBe(400);
  });
});

describe('401 Unauthorized', () => {
  it('no credentials: the seed body and a WWW-Authenticate challenge', async () => {
    const response = await world.request(`/umbraco/relation/${relationId}`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(await response.json()).toEqual({ error: { code: 'Unauthorized', message: 'Authorization has been denied for this request.' } });
  });

  it('an unknown api-key is a 401, on writes too', async () => {
    expect((await world.request('/umbraco/relation/type', { headers: umbracoHeaders('rg_nope') })).status).toBe(401);
    expect((await post(JSON.stringify({ parentId: home, childId: about, relationTypeAlias: 'x' }), 'rg_nope')).status).toBe(401);
  });

  it('Api-Key, Authorization: Bearer and a bare Authorization key are all accepted', async () => {
    for (const headers of [
      ['Api-Key', editor.token],
      ['Authorization', `Bearer ${editor.token}`],
      ['Authorization', editor.token],
    ]) {
      const [name, value] = headers;
      expect((await world.request(`/umbraco/relation/${relationId}`, { headers: { [name]: value } })).status).toBe(200);
    }
  });
});

describe('403 Forbidden', () => {
  // No content–content relation is owner-only today, so no route can refuse one; the mapping is checked alone.
  it('a forbidden domain error answers the seed 403 body', async () => {
    const app = new Hono();
    app.get('/', () => {
      throw new ForbiddenError('not yours');
    });
    app.onError((error, c) => errorResponse(c, error, world.config));
    const response = await app.request('/');
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: { code: 'Forbidden', message: 'You are not authorized to access the given resource.' } });
  });
});

describe('404 NotFound', () => {
  it('an unknown relation id, read or deleted', async () => {
    for (const method of ['GET', 'DELETE']) {
      const response = await world.request('/umbraco/relation/999999', { method, headers: umbracoHeaders(editor.token) });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ error: { code: 'NotFound', message: "Relation with id '999999' could not be found." } });
    }
  });

  it('an id beyond any integer is just unknown', async () => {
    const response = await world.request('/umbraco/relation/99999999999999999999999', { headers: umbracoHeaders(editor.token) });
    expect(response.status).toBe(404);
  });

  it('parent or child of content that does not exist, or that the caller may not view', async () => {
    for (const [path, id, token] of [
      ['parent', '424242', editor.token],
      ['child', 'not-a-number', editor.token],
      ['parent', secret, stranger.token],
    ]) {
      const response = await world.request(`/umbraco/relation/${path}/${id}`, { headers: umbracoHeaders(token) });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ error: { code: 'NotFound', message: `Content with id '${id}' could not be found.` } });
    }
  });

  it('an unknown relation type', async () => {
    const response = await world.request('/umbraco/relation/type/nothing%20here', { headers: umbracoHeaders(editor.token) });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'NotFound', message: "Relation Type with alias 'nothing here' could not be found." } });
  });

  it('a path the face does not serve answers in the same format', async () => {
    const response = await world.request('/umbraco/content/1', { headers: umbracoHeaders(editor.token) });
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe('NotFound');
  });
});

describe('422 ValidationFailed', () => {
  it('a body lacking every field names each one', async () => {
    const response = await post('{}');
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual(
      validation([
        { code: 'ValidationFailed', message: "'parentId' is required.", target: 'parentId' },
        { code: 'ValidationFailed', message: "'childId' is required.", target: 'childId' },
        { code: 'ValidationFailed', message: "'relationTypeAlias' is required.", target: 'relationTypeAlias' },
      ]),
    );
  });

  it('a body naming missing content names the missing end', async () => {
    const missingChild = await post(JSON.stringify({ parentId: home, childId: '777777', relationTypeAlias: 'related' }));
    expect(missingChild.status).toBe(422);
    expect(await missingChild.json()).toEqual(validation([{ code: 'ValidationFailed', message: "Content with id '777777' could not be found.", target: 'childId' }]));
    const missingParent = await post(JSON.stringify({ parentId: 'af3e08fc-fb90-4c78-b11c-c1a0cf43bd31', childId: home, relationTypeAlias: 'related' }));
    expect((await missingParent.json()).error.details[0].target).toBe('parentId');
  });

  it('content the caller may not view is missing content to them', async () => {
    const response = await post(JSON.stringify({ parentId: home, childId: secret, relationTypeAlias: 'related' }), stranger.token);
    expect(response.status).toBe(422);
    expect((await response.json()).error.details).toEqual([{ code: 'ValidationFailed', message: `Content with id '${secret}' could not be found.`, target: 'childId' }]);
  });

  it('an alias the relation model refuses, or a comment that is not text', async () => {
    const tooLong = await post(JSON.stringify({ parentId: home, childId: about, relationTypeAlias: 'x'.repeat(256) }));
    expect(tooLong.status).toBe(422);
    expect((await tooLong.json()).error.details[0].target).toBe('relationTypeAlias');
    const favourite = await post(JSON.stringify({ parentId: home, childId: about, relationTypeAlias: 'favourite' }));
    expect(favourite.status).toBe(422);
    const comment = await post(JSON.stringify({ parentId: home, childId: about, relationTypeAlias: 'related', comment: 5 }));
    expect((await comment.json()).error.details).toEqual([{ code: 'ValidationFailed', message: "'comment' must be a string.", target: 'comment' }]);
  });
});

describe('what is not an error', () => {
  it('a second POST of the same relation is 200, a new one 201', async () => {
    const body = JSON.stringify({ parentId: about, childId: home, relationTypeAlias: 'twice', comment: 'one' });
    const first = await post(body);
    const second = await post(body);
    expect([first.status, second.status]).toEqual([201, 200]);
    expect(await second.json()).toEqual(await first.json());
  });

  it('an integer content id is accepted and answered as a string', async () => {
    const response = await post(JSON.stringify({ parentId: Number(home), childId: Number(about), relationTypeAlias: 'numeric' }));
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ parentId: home, childId: about });
  });

  it('an alias with no relations lists as 200 with an empty list', async () => {
    const response = await world.request('/umbraco/relation/nobodyUsesThis', { headers: umbracoHeaders(editor.token) });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      _links: { self: { href: 'http://gateway.test/umbraco/relation/nobodyUsesThis' } },
      _embedded: { relations: [] },
    });
  });

  it('a list of several relations links each one', async () => {
    await post(JSON.stringify({ parentId: about, childId: home, relationTypeAlias: 'pair' }));
    await post(JSON.stringify({ parentId: home, childId: about, relationTypeAlias: 'pair' }));
    const body = await (await world.request('/umbraco/relation/pair', { headers: umbracoHeaders(editor.token) })).json();
    expect(body._links.relations).toEqual(body._embedded.relations.map((r: { _links: unknown }) => (r._links as { self: unknown }).self));
    expect(body._embedded.relations).toHaveLength(2);
  });

  it('GET and DELETE with a JSON content type and no body are fine', async () => {
    const made = await (await post(JSON.stringify({ parentId: home, childId: about, relationTypeAlias: 'bodiless' }))).json();
    expect((await world.request(`/umbraco/relation/${made._id}`, { headers: umbracoHeaders(editor.token) })).status).toBe(200);
    const deleted = await world.request(`/umbraco/relation/${made._id}`, { method: 'DELETE', headers: umbracoHeaders(editor.token) });
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toEqual(made);
  });

  it('GET /relation/type lists the derived types', async () => {
    // Its own aliases: one posted twice, one with integer ids, one with two relations, and one whose only relation is deleted.
    const twice = JSON.stringify({ parentId: about, childId: home, relationTypeAlias: 'typesTwice' });
    await post(twice);
    await post(twice);
    await post(JSON.stringify({ parentId: Number(home), childId: Number(about), relationTypeAlias: 'typesNumeric' }));
    await post(JSON.stringify({ parentId: about, childId: home, relationTypeAlias: 'typesPair' }));
    await post(JSON.stringify({ parentId: home, childId: about, relationTypeAlias: 'typesPair' }));
    const gone = await (await post(JSON.stringify({ parentId: home, childId: about, relationTypeAlias: 'typesGone' }))).json();
    expect((await world.request(`/umbraco/relation/${gone._id}`, { method: 'DELETE', headers: umbracoHeaders(editor.token) })).status).toBe(200);
    const body = await (await world.request('/umbraco/relation/type', { headers: umbracoHeaders(editor.token) })).json();
    expect(body._links.self.href).toBe('http://gateway.test/umbraco/relation/type');
    expect(body._embedded.relationTypes.map((t: { alias: string }) => t.alias)).toEqual(expect.arrayContaining(['related', 'typesTwice', 'typesNumeric', 'typesPair']));
    expect(body._embedded.relationTypes.map((t: { alias: string }) => t.alias)).not.toContain('typesGone');
  });
});

describe('503 when the database is down', () => {
  it('answers in the face format', async () => {
    const db = await openDatabase({ databaseUrl: 'postgres://postgres@127.0.0.1:1/none', migrate: false });
    const app = createApp({ config: loadConfig({ PUBLIC_URL: 'http://gateway.test', LOG_LEVEL: 'silent' }), db });
    try {
      const response = await app.request('/umbraco/relation/1', { headers: { 'api-key': editor.token } });
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ error: { code: 'ServiceUnavailable', message: expect.any(String) } });
    } finally {
      await db.close();
    }
  });
});
