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
  // Each test relates pages[0] to pages[1] under its own name, so no test sees another's relation.
  const ends = (relationName: string) => ({ relationName, sourceType: 'content', sourceKey: pages[0], targetType: 'content', targetKey: pages[1] }) as const;

  it('createRelationship returns the relation with its creator and creation date', async () => {
    const created = await clientFor(alice).relation.createRelationship(ends('sibling'));
    expect(created.name).toBe('sibling');
    expect(created.relationData?.createdBy?.accountId).toBe(alice.user.accountId);
    expect(created.relationData?.createdDate).toBeInstanceOf(Date);
  });

  it('createRelationship twice keeps the first creation date', async () => {
    const client = clientFor(alice);
    const created = await client.relation.createRelationship(ends('twin'));
    const again = await client.relation.createRelationship(ends('twin'));
    expect(again.relationData?.createdDate?.getTime()).toBe(created.relationData?.createdDate?.getTime());
  });

  it('getRelationship expands the source and the target', async () => {
    const client = clientFor(alice);
    await client.relation.createRelationship(ends('cousin'));
    const got = await client.relation.getRelationship({ ...ends('cousin'), expand: ['relationData', 'source', 'target'] });
    expect(got.source).toMatchObject({ id: pages[0], title: 'CLI one' });
    expect(got.target).toMatchObject({ id: pages[1], title: 'CLI two' });
  });

  it('findTargetFromSource pages the targets and expands them', async () => {
    const client = clientFor(alice);
    await client.relation.createRelationship(ends('precedes'));
    const targets = await client.relation.findTargetFromSource({ ...ends('precedes'), expand: ['target'], limit: 10 });
    expect(targets).toMatchObject({ start: 0, limit: 10, size: 1 });
    expect(targets.results[0].target).toMatchObject({ id: pages[1] });
  });

  it('findSourcesForTarget lists the sources', async () => {
    const client = clientFor(alice);
    await client.relation.createRelationship(ends('follows-on'));
    const sources = await client.relation.findSourcesForTarget({ ...ends('follows-on'), expand: ['source'] });
    expect(sources.results.map((r) => (r.source as { id?: string }).id)).toEqual([pages[0]]);
  });

  it('deleteRelationship succeeds twice and leaves getRelationship a 404', async () => {
    const client = clientFor(alice);
    await client.relation.createRelationship(ends('linked'));
    await expect(client.relation.deleteRelationship(ends('linked'))).resolves.toBeUndefined();
    await expect(client.relation.deleteRelationship(ends('linked'))).resolves.toBeUndefined();
    const missing = await apiError(client.relation.getRelationship(ends('linked')));
    expect(missing.status).toBe(404);
  });

  it('relates users by current and by accountId', async () => {
    const client = clientFor(bob);
    await client.relation.createRelationship({ relationName: 'follows', sourceType: 'user', sourceKey: 'current', targetType: 'user', targetKey: alice.user.accountId });
    const users = await client.relation.findTargetFromSource({
      relationName: 'follows',
      sourceType: 'user',
      sourceKey: bob.user.accountId,
      targetType: 'user',
      expand: ['target'],
    });
    expect(users.results.map((r) => (r.target as { accountId?: string }).accountId)).toEqual([alice.user.accountId]);
  });

  it('relates a user to a space by its key', async () => {
    const client = clientFor(bob);
    await client.relation.createRelationship({ relationName: 'follows', sourceType: 'user', sourceKey: 'current', targetType: 'space', targetKey: 'CLI' });
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

describe('client.space and client.longRunningTask', () => {
  it('createSpace creates a global, current space', async () => {
    const space = await clientFor(alice).space.createSpace({ key: 'PUB', name: 'Public', description: { plain: { value: 'Open to all', representation: 'plain' } } });
    expect(space).toMatchObject({ key: 'PUB', name: 'Public', type: 'global', status: 'current' });
  });

  it('createPrivateSpace creates a space', async () => {
    const hidden = await clientFor(alice).space.createPrivateSpace({ key: 'PRIV', name: 'Private' });
    expect(hidden.key).toBe('PRIV');
  });

  it('deleteSpace returns a long task that getTask reports finished and successful', async () => {
    const client = clientFor(alice);
    await client.space.createSpace({ key: 'GONE', name: 'Going' });
    const task = await client.space.deleteSpace({ spaceKey: 'GONE' });
    expect(task.links.status).toBe(`/rest/api/longtask/${task.id}`);
    const status = await client.longRunningTask.getTask({ id: task.id });
    expect(status).toMatchObject({ id: task.id, finished: true, successful: true });
  });

  it("deleteSpace of someone else's private space is a 404", async () => {
    await clientFor(alice).space.createPrivateSpace({ key: 'SHUT', name: 'Shut' });
    expect((await apiError(clientFor(bob).space.deleteSpace({ spaceKey: 'SHUT' }))).status).toBe(404);
  });
});

describe('client.users', () => {
  it('getCurrentUser describes the caller', async () => {
    expect(await clientFor(bob).users.getCurrentUser()).toMatchObject({ type: 'known', accountId: bob.user.accountId, displayName: 'Bob' });
  });

  it('getUser finds a user by accountId', async () => {
    expect(await clientFor(bob).users.getUser({ accountId: alice.user.accountId })).toMatchObject({ email: alice.user.email, userKey: alice.user.userKey });
  });
});

describe('client.contentWatches', () => {
  // The content tests watch different pages and the space tests are made by different users, so they never meet.
  it('addContentWatcher makes the caller watch the content, seen with and without an accountId', async () => {
    const client = clientFor(bob);
    expect(await client.contentWatches.getContentWatchStatus({ contentId: pages[0] })).toEqual({ watching: false });
    await client.contentWatches.addContentWatcher({ contentId: pages[0] });
    expect(await client.contentWatches.getContentWatchStatus({ contentId: pages[0] })).toEqual({ watching: true });
    expect(await client.contentWatches.getContentWatchStatus({ contentId: pages[0], accountId: bob.user.accountId })).toEqual({ watching: true });
  });

  it('removeContentWatcher stops the watch', async () => {
    const client = clientFor(bob);
    await client.contentWatches.addContentWatcher({ contentId: pages[1] });
    await client.contentWatches.removeContentWatcher({ contentId: pages[1] });
    expect(await client.contentWatches.getContentWatchStatus({ contentId: pages[1] })).toEqual({ watching: false });
  });

  it('addSpaceWatcher makes the caller watch the space', async () => {
    const client = clientFor(bob);
    await client.contentWatches.addSpaceWatcher({ spaceKey: 'CLI' });
    expect(await client.contentWatches.isWatchingSpace({ spaceKey: 'CLI' })).toEqual({ watching: true });
  });

  it('removeSpaceWatch stops the watch', async () => {
    const client = clientFor(alice);
    await client.contentWatches.addSpaceWatcher({ spaceKey: 'CLI' });
    await client.contentWatches.removeSpaceWatch({ spaceKey: 'CLI' });
    expect(await client.contentWatches.isWatchingSpace({ spaceKey: 'CLI' })).toEqual({ watching: false });
  });
});
