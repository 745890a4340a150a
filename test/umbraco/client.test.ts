// The real @umbraco/headless-client ManagementClient against the gateway, unchanged.
import { Client, type APIRequestError } from '@umbraco/headless-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRelation } from '../../src/services/relations.js';
import type { Account } from '../support/app.js';
import { management, space, startWorld, type World } from './world.js';

let world: World;
let editor: Account;
let stranger: Account;
let home: string;
let about: string;
let contact: string;
let secret: string;
const BASE = 'http://gateway.test/umbraco';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

async function rejection(promise: Promise<unknown>): Promise<APIRequestError> {
  try {
    await promise;
  } catch (error) {
    return error as APIRequestError;
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  world = await startWorld();
  editor = await world.account('Editor');
  stranger = await world.account('Stranger');
  await space(world, editor.user, 'SITE');
  await space(world, editor.user, 'HIDDEN', false);
  home = await world.page(editor.user, 'SITE', 'Home');
  about = await world.page(editor.user, 'SITE', 'About');
  contact = await world.page(editor.user, 'SITE', 'Contact');
  secret = await world.page(editor.user, 'HIDDEN', 'Secret');
});

afterAll(() => world?.stop());

describe('ManagementClient relation calls', () => {
  it('create answers the relation in the seed shape, and byId reads it back', async () => {
    const client = management(world, editor.token);
    const created = await client.relation.create({ parentId: home, childId: about, relationTypeAlias: 'relateDocumentOnCopy', comment: 'Copied' });
    expect(created).toEqual({
      _id: expect.any(Number),
      parentId: home,
      childId: about,
      relationTypeAlias: 'relateDocumentOnCopy',
      comment: 'Copied',
      _createDate: expect.stringMatching(iso),
      _links: { self: { href: `${BASE}/relation/${created._id}` } },
    });
    expect(await client.relation.byId(String(created._id))).toEqual(created);
  });

  it('create of an existing relation returns it unchanged, comment included', async () => {
    const client = management(world, editor.token);
    const first = await client.relation.create({ parentId: home, childId: contact, relationTypeAlias: 'seeAlso', comment: 'first' });
    const again = await client.relation.create({ parentId: home, childId: contact, relationTypeAlias: 'seeAlso', comment: 'second' });
    expect(again).toEqual(first);
  });

  it('byAlias lists the relations of that name between content, in creation order', async () => {
    const client = management(world, editor.token);
    const a = await client.relation.create({ parentId: about, childId: home, relationTypeAlias: 'translatedFrom' });
    const b = await client.relation.create({ parentId: contact, childId: home, relationTypeAlias: 'translatedFrom' });
    // Same name, but a content → space relation: not shown on this face.
    await createRelation({ ctx: world.ctxFor(editor.user), name: 'translatedFrom', source: { type: 'CONTENT', key: about }, target: { type: 'SPACE', key: 'SITE' } });
    const listed = await client.relation.byAlias('translatedFrom');
    expect(listed.map((r) => r._id)).toEqual([a._id, b._id]);
    expect(listed[0]).toEqual(a);
    expect(a.comment).toBe('');
  });

  it('byParent and byChild list relations from and to a content item', async () => {
    const client = management(world, editor.token);
    const out1 = await client.relation.create({ parentId: contact, childId: about, relationTypeAlias: 'parentChildA' });
    const out2 = await client.relation.create({ parentId: contact, childId: home, relationTypeAlias: 'parentChildB' });
    const fromContact = await client.relation.byParent(contact);
    expect(fromContact.map((r) => r._id)).toEqual(expect.arrayContaining([out1._id, out2._id]));
    expect(fromContact.every((r) => r.parentId === contact)).toBe(true);
    const toAbout = await client.relation.byChild(about);
    expect(toAbout.map((r) => r._id)).toContain(out1._id);
    expect(toAbout.every((r) => r.childId === about)).toBe(true);
    expect(fromContact.map((r) => r._id)).toEqual([...fromContact.map((r) => r._id)].sort((x, y) => x - y));
  });

  it('relationType.byAlias describes a type derived from existing relations', async () => {
    const client = management(world, editor.token);
    await client.relation.create({ parentId: about, childId: contact, relationTypeAlias: 'relateDocumentOnCopy' });
    await client.relation.create({ parentId: about, childId: contact, relationTypeAlias: 'seeAlso' });
    const type = await client.relationType.byAlias('relateDocumentOnCopy');
    expect(type).toEqual({
      name: 'relateDocumentOnCopy',
      alias: 'relateDocumentOnCopy',
      isBidirectional: false,
      parentObjectType: 'DOCUMENT',
      childObjectType: 'DOCUMENT',
      _id: expect.stringMatching(uuid),
      _createDate: expect.stringMatching(iso),
      _updateDate: expect.stringMatching(iso),
      _links: {
        self: { href: `${BASE}/relation/type/relateDocumentOnCopy` },
        relations: { href: `${BASE}/relation/relateDocumentOnCopy` },
      },
    });
    expect((await client.relationType.byAlias('relateDocumentOnCopy'))._id).toBe(type._id);
    expect((await client.relationType.byAlias('seeAlso'))._id).not.toBe(type._id);
  });

  it('relationType.byAlias of a type no content relation carries is a 404', async () => {
    const error = await rejection(management(world, editor.token).relationType.byAlias('neverUsed'));
    expect(error.response?.status).toBe(404);
    expect(error.data).toEqual({ error: { code: 'NotFound', message: "Relation Type with alias 'neverUsed' could not be found." } });
  });

  it('delete answers the deleted relation; reading it afterwards is a 404', async () => {
    const client = management(world, editor.token);
    const made = await client.relation.create({ parentId: about, childId: contact, relationTypeAlias: 'shortLived', comment: 'bye' });
    expect(await client.relation.delete(String(made._id))).toEqual(made);
    const error = await rejection(client.relation.byId(String(made._id)));
    expect(error.response?.status).toBe(404);
    expect(error.data).toEqual({ error: { code: 'NotFound', message: `Relation with id '${made._id}' could not be found.` } });
    expect(await client.relation.byAlias('shortLived')).toEqual([]);
  });

  it('a Bearer token from accessTokenResolver works as well as the api-key', async () => {
    const client = new Client({ apiProxyUrl: world.umbracoUrl, cdnProxyUrl: world.umbracoUrl, accessTokenResolver: () => editor.token } as never).management;
    const listed = await client.relation.byParent(home);
    expect(listed.length).toBeGreaterThan(0);
  });

  it('relations in a space the caller may not view do not exist for them', async () => {
    const mine = await management(world, editor.token).relation.create({ parentId: secret, childId: home, relationTypeAlias: 'private' });
    const theirs = management(world, stranger.token);
    expect((await rejection(theirs.relation.byId(String(mine._id)))).response?.status).toBe(404);
    expect(await theirs.relation.byAlias('private')).toEqual([]);
    expect((await rejection(theirs.relation.byParent(secret))).data).toEqual({
      error: { code: 'NotFound', message: `Content with id '${secret}' could not be found.` },
    });
    expect(await theirs.relation.byChild(home)).toEqual(expect.not.arrayContaining([expect.objectContaining({ _id: mine._id })]));
    expect((await rejection(theirs.relation.delete(String(mine._id)))).response?.status).toBe(404);
    expect((await rejection(theirs.relationType.byAlias('private'))).response?.status).toBe(404);
    expect((await management(world, editor.token).relation.byId(String(mine._id)))._id).toBe(mine._id);
  });
});
