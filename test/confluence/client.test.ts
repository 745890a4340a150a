// The real confluence.js client, pointed at a listening gateway with Basic auth (e-mail + API token).
import { serve, type ServerType } from '@hono/node-server';
import { createV1Client, isApiError } from 'confluence.js';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Account, type TestApp } from '../support/app.js';
import { createSpaceWithPages } from './support.js';

let t: TestApp;
let server: ServerType;
let alice: Account;
let bob: Account;
let pages: string[];
let host: string;

const clientFor = (account: Account) => createV1Client({ host, auth: { type: 'basic', email: account.user.email, apiToken: account.token } });

beforeAll(async () => {
  t = await createTestApp();
  alice = await t.account('Alice');
  bob = await t.account('Bob');
  ({ pages } = await createSpaceWithPages(t, alice.token, 'CLI'));
  await new Promise<void>((ready) => {
    server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () => ready());
  });
  host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((done) => server?.close(done));
  await t?.close();
});

async function apiError(promise: Promise<unknown>): Promise<{ status: number; body: any }> {
  try {
    await promise;
  } catch (error) {
    if (isApiError(error)) return { status: error.status, body: error.body };
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('client.relation', () => {
  it('createRelationship, getRelationship, findTargetFromSource, findSourcesForTarget, deleteRelationship', async () => {
    const client = clientFor(alice);
    const ends = { relationName: 'sibling', sourceType: 'content', sourceKey: pages[0], targetType: 'content', targetKey: pages[1] } as const;

    const created = await client.relation.createRelationship(ends);
    expect(created.name).toBe('sibling');
    expect(created.relationData?.createdBy?.accountId).toBe(alice.user.accountId);
    expect(created.relationData?.createdDate).toBeInstanceOf(Date);

    const again = await client.relation.createRelationship(ends);
    expect(again.relationData?.createdDate?.getTime()).toBe(created.relationData?.createdDate?.getTime());

    const got = await client.relation.getRelationship({ ...ends, expand: ['relationData', 'source', 'target'] });
    expect(got.source).toMatchObject({ id: pages[0], title: 'CLI one' });
    expect(got.target).toMatchObject({ id: pages[1], title: 'CLI two' });

    const targets = await client.relation.findTargetFromSource({ ...ends, expand: ['target'], limit: 10 });
    expect(targets).toMatchObject({ start: 0, limit: 10, size: 1 });
    expect(targets.results[0].target).toMatchObject({ id: pages[1] });

    const sources = await client.relation.findSourcesForTarget({ ...ends, expand: ['source'] });
    expect(sources.results.map((r) => (r.source as { id?: string }).id)).toEqual([pages[0]]);

    await expect(client.relation.deleteRelationship(ends)).resolves.toBeUndefined();
    await expect(client.relation.deleteRelationship(ends)).resolves.toBeUndefined();
    const missing = await apiError(client.relation.getRelationship(ends));
    expect(missing.status).toBe(404);
  });

  it('relates users by current and by accountId, and spaces by key', async () => {
    const client = clientFor(bob);
    await client.relation.createRelationship({ relationName: 'follows', sourceType: 'user', sourceKey: 'current', targetType: 'user', targetKey: alice.user.accountId });
    await client.relation.createRelationship({ relationName: 'follows', sourceType: 'user', sourceKey: 'current', targetType: 'space', targetKey: 'CLI' });
    const users = await client.relation.findTargetFromSource({
      relationName: 'follows',
      sourceType: 'user',
      sourceKey: bob.user.accountId,
      targetType: 'user',
      expand: ['target'],
    });
    expect(users.results.map((r) => (r.target as { accountId?: string }).accountId)).toEqual([alice.user.accountId]);
    const followers = await client.relation.findSourcesForTarget({
      relationName: 'follows',
      targetType: 'space',
      targetKey: 'CLI',
      sourceType: 'user',
      expand: ['source'],
    });
    expect(followers.results.map((r) => (r.source as { displayName?: string }).displayName)).toEqual(['Bob']);
  });

  it('a bad entity type comes back as a 400 ApiError carrying the Confluence body', async () => {
    const failure = await apiError(
      clientFor(alice).relation.getRelationship({ relationName: 'x', sourceType: 'planet' as 'user', sourceKey: '1', targetType: 'content', targetKey: '2' }),
    );
    expect(failure.status).toBe(400);
    expect(failure.body).toMatchObject({ statusCode: 400, data: { authorized: true, valid: false, successful: false } });
  });

  it('wrong credentials come back as a 401', async () => {
    const client = createV1Client({ host, auth: { type: 'basic', email: alice.user.email, apiToken: 'rg_wrong' } });
    expect((await apiError(client.users.getCurrentUser())).status).toBe(401);
  });
});

describe('client entities', () => {
  it('space: createSpace, createPrivateSpace, deleteSpace; longRunningTask.getTask', async () => {
    const client = clientFor(alice);
    const space = await client.space.createSpace({ key: 'PUB', name: 'Public', description: { plain: { value: 'Open to all', representation: 'plain' } } });
    expect(space).toMatchObject({ key: 'PUB', name: 'Public', type: 'global', status: 'current' });
    const hidden = await client.space.createPrivateSpace({ key: 'PRIV', name: 'Private' });
    expect(hidden.key).toBe('PRIV');
    const task = await client.space.deleteSpace({ spaceKey: 'PUB' });
    expect(task.links.status).toBe(`/rest/api/longtask/${task.id}`);
    const status = await client.longRunningTask.getTask({ id: task.id });
    expect(status).toMatchObject({ id: task.id, finished: true, successful: true });
    expect((await apiError(clientFor(bob).space.deleteSpace({ spaceKey: 'PRIV' }))).status).toBe(404);
  });

  it('users: getUser by accountId, getCurrentUser', async () => {
    const client = clientFor(bob);
    expect(await client.users.getCurrentUser()).toMatchObject({ type: 'known', accountId: bob.user.accountId, displayName: 'Bob' });
    expect(await client.users.getUser({ accountId: alice.user.accountId })).toMatchObject({ email: alice.user.email, userKey: alice.user.userKey });
  });

  it('contentWatches: add, check and remove watches on content and spaces', async () => {
    const client = clientFor(bob);
    expect(await client.contentWatches.getContentWatchStatus({ contentId: pages[0] })).toEqual({ watching: false });
    await client.contentWatches.addContentWatcher({ contentId: pages[0] });
    expect(await client.contentWatches.getContentWatchStatus({ contentId: pages[0] })).toEqual({ watching: true });
    expect(await client.contentWatches.getContentWatchStatus({ contentId: pages[0], accountId: bob.user.accountId })).toEqual({ watching: true });
    await client.contentWatches.removeContentWatcher({ contentId: pages[0] });
    expect(await client.contentWatches.getContentWatchStatus({ contentId: pages[0] })).toEqual({ watching: false });

    await client.contentWatches.addSpaceWatcher({ spaceKey: 'CLI' });
    expect(await client.contentWatches.isWatchingSpace({ spaceKey: 'CLI' })).toEqual({ watching: true });
    await client.contentWatches.removeSpaceWatch({ spaceKey: 'CLI' });
    expect(await client.contentWatches.isWatchingSpace({ spaceKey: 'CLI' })).toEqual({ watching: false });
  });
});
