// Webhook deliveries end to end: relations written through the REST and GraphQL faces, the delivery worker of this
// process, and a real receiver on 127.0.0.1 that verifies every signature. The retry schedule runs 10,000× faster
// (WEBHOOK_RETRY_SCALE), so the 24 h retry window lasts 8.6 s here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookWorker, type WebhookWorker } from '../../src/events/webhook-worker.js';
import { loggerFor } from '../../src/observability/log.js';
import { createTestApp, type Account, type TestApp } from '../support/app.js';
import { eventually, type Receiver, type Received, startReceiver, verified } from './receiver.js';

let t: TestApp;
let worker: WebhookWorker;
let receiver: Receiver;
let owner: Account;
let stranger: Account;
const pages: Record<string, string> = {};

async function rest(method: string, path: string, token: string, json?: unknown): Promise<any> {
  const response = await t.request(`/rest/api${path}`, { method, token, json });
  expect(response.status, `${method} ${path}: ${await response.clone().text()}`).toBeLessThan(300);
  return response.status === 204 ? null : response.json();
}

/** A relation from the owner to a page, through the REST face. */
const put = (name: string, page: string, who = owner) => rest('PUT', `/relation/${name}/from/user/${who.user.accountId}/to/content/${pages[page]}`, who.token);
const remove = (name: string, page: string) => rest('DELETE', `/relation/${name}/from/user/${owner.user.accountId}/to/content/${pages[page]}`, owner.token);

/** The same through GraphQL's createRelation. */
async function create(name: string, page: string): Promise<void> {
  const answer = await t.graphql(
    'mutation($i: RelationInput!) { createRelation(input: $i) { __typename } }',
    { i: { name, source: { type: 'USER', key: 'current' }, target: { type: 'CONTENT', key: pages[page] } } },
    owner.token,
  );
  expect(answer.body.data?.createRelation.__typename).toBe('CreateRelationSuccess');
}

async function createHook(account: Account, url: string, input: Record<string, unknown> = {}): Promise<{ id: number; secret: string }> {
  const answer = await t.graphql(
    `mutation($i: CreateWebhookInput!) { createWebhook(input: $i) {
      __typename ... on CreateWebhookSuccess { secret webhook { id } } ... on Error { message } } }`,
    { i: { name: 'test', events: ['CREATED', 'DELETED'], url, ...input } },
    account.token,
  );
  const result = answer.body.data?.createWebhook;
  expect(result?.__typename, JSON.stringify(answer.body)).toBe('CreateWebhookSuccess');
  return { id: result.webhook.id, secret: result.secret };
}

async function deliveries(account: Account, id: number): Promise<any[]> {
  const answer = await t.graphql('{ webhooks { id deliveries(first: 100) { eventId status attempts lastStatus lastError } } }', {}, account.token);
  return answer.body.data.webhooks.find((w: { id: number }) => w.id === id).deliveries;
}

const at = (r: Receiver, path: string) => r.received.filter((request) => request.path === path);
/** Verified payloads at a path, one per event (redeliveries, which share a webhook-id, dropped as a receiver would). */
function events(r: Receiver, path: string, secret: string): any[] {
  const seen = new Set<string>();
  const out: any[] = [];
  for (const request of at(r, path)) {
    const payload = verified(secret, request);
    if (seen.has(request.headers['webhook-id'] as string)) continue;
    seen.add(request.headers['webhook-id'] as string);
    out.push(payload);
  }
  return out;
}
const summary = (payloads: any[]) => payloads.map((p) => `${p.type}:${p.data.name}`);

beforeAll(async () => {
  t = await createTestApp({ webhookAllowHosts: ['127.0.0.1', 'localhost'], webhookRetryScale: 0.0001 });
  worker = startWebhookWorker({ db: t.db, config: t.config, log: loggerFor(t.config) });
  receiver = await startReceiver();
  owner = await t.account('Owner');
  stranger = await t.account('Stranger');
  await rest('POST', '/space', owner.token, { key: 'PUB', name: 'Public' });
  await rest('POST', '/space/_private', owner.token, { key: 'PRIV', name: 'Private' });
  for (const [name, space] of [
    ['a', 'PUB'],
    ['b', 'PUB'],
    ['c', 'PUB'],
    ['secret', 'PRIV'],
  ]) {
    pages[name] = (await rest('POST', '/content', owner.token, { type: 'page', title: name, space: { key: space } })).id;
  }
});
afterAll(async () => {
  await worker?.stop();
  await receiver?.close();
  await t?.close();
});

describe('webhook deliveries', () => {
  it('POST every event after the webhook was made, signed, in order, with a stable webhook-id and the payload', async () => {
    await put('before', 'a'); // before the webhook: not delivered
    const hook = await createHook(owner, `${receiver.url}/all`);
    await put('likes', 'a');
    await create('reads', 'b');
    await remove('likes', 'a');
    await eventually(() => at(receiver, '/all').length >= 3, 'three deliveries');

    const got = at(receiver, '/all');
    const payloads = got.map((request) => verified(hook.secret, request));
    expect(summary(payloads)).toEqual(['relation.created:likes', 'relation.created:reads', 'relation.deleted:likes']);
    const ids = payloads.map((p) => Number(p.data.eventId));
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(got.map((r) => r.headers['webhook-id'])).toEqual(ids.map((id) => `msg_${hook.id}_${id}`));
    expect(got[0].headers['content-type']).toBe('application/json');
    expect(payloads[0]).toEqual({
      type: 'relation.created',
      timestamp: expect.any(String),
      data: {
        eventId: String(ids[0]),
        relationId: expect.any(Number),
        name: 'likes',
        source: { type: 'USER', id: owner.user.id, key: owner.user.accountId, version: 0 },
        target: { type: 'CONTENT', id: Number(pages.a), key: pages.a, version: 0 },
        actor: { accountId: owner.user.accountId },
        at: payloads[0].timestamp,
      },
    });
    // A signature made with another secret does not verify.
    expect(() => verified(`whsec_${Buffer.alloc(32, 7).toString('base64')}`, got[0])).toThrow();
    await eventually(async () => (await deliveries(owner, hook.id)).length === 3, 'three delivery records');
    expect((await deliveries(owner, hook.id)).map((d) => [d.eventId, d.status, d.attempts, d.lastStatus])).toEqual(
      [...ids].reverse().map((id) => [String(id), 'DELIVERED', 1, 204]),
    );
  });

  it('a receiver that refuses (500), then is down for a while, gets every event in order once it is back; retries keep their webhook-id', async () => {
    const flaky = await startReceiver();
    let refusals = 3;
    flaky.answer = () => (refusals-- > 0 ? { status: 500 } : { status: 200 });
    const hook = await createHook(owner, `${flaky.url}/flaky`);
    await put('f1', 'a');
    await put('f2', 'b');
    await eventually(async () => (await deliveries(owner, hook.id)).some((d) => d.status === 'DELIVERED'), 'the refusals, then a success');
    await flaky.down();
    await put('f3', 'c');
    await create('f4', 'a');
    await remove('f1', 'a');
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // attempts meanwhile fail to connect
    await flaky.up();
    await eventually(() => events(flaky, '/flaky', hook.secret).length >= 5, 'every event after the outage');

    expect(summary(events(flaky, '/flaky', hook.secret))).toEqual([
      'relation.created:f1',
      'relation.created:f2',
      'relation.created:f3',
      'relation.created:f4',
      'relation.deleted:f1',
    ]);
    // f1 was posted four times (three 500s, then a 200), each time under the same webhook-id.
    const first = at(flaky, '/flaky').filter((r) => r.headers['webhook-id'] === at(flaky, '/flaky')[0].headers['webhook-id']);
    expect(first).toHaveLength(4);
    await eventually(async () => (await deliveries(owner, hook.id)).filter((d) => d.status === 'DELIVERED').length === 5, 'five delivery records');
    const records = await deliveries(owner, hook.id);
    expect(records.at(-1)).toMatchObject({ status: 'DELIVERED', attempts: 4, lastStatus: 200 });
    expect(records.every((d) => d.status === 'DELIVERED')).toBe(true);
    expect(records.some((d) => d.attempts > 1 && d.lastError === null)).toBe(true);
    await flaky.close();
  });

  it('delivers what the owner may see now: no private-space events to a stranger, favourite only to its owner', async () => {
    const mine = await createHook(owner, `${receiver.url}/owner-view`);
    const theirs = await createHook(stranger, `${receiver.url}/stranger-view`);
    await put('likes', 'secret'); // a private space's page
    await put('favourite', 'c'); // private name
    await put('likes', 'c');
    await put('done', 'b', stranger); // the stranger's own: the last event, seen by both
    await eventually(() => at(receiver, '/stranger-view').length >= 2 && at(receiver, '/owner-view').length >= 4, 'both views');
    expect(summary(events(receiver, '/owner-view', mine.secret))).toEqual([
      'relation.created:likes',
      'relation.created:favourite',
      'relation.created:likes',
      'relation.created:done',
    ]);
    const seen = events(receiver, '/stranger-view', theirs.secret);
    expect(seen.map((p) => `${p.data.name}:${p.data.target.key}`)).toEqual([`likes:${pages.c}`, `done:${pages.b}`]);
  });

  it("decides visibility at each attempt: a new member gets the private space's events; a retried event they may no longer see ends as failed", async () => {
    const member = await t.account('Member');
    const hook = await createHook(member, `${receiver.url}/member-view`);
    const added = await t.graphql(
      'mutation($u: String!) { addSpaceMember(input: {spaceKey: "PRIV", user: $u, level: VIEW}) { __typename } }',
      { u: member.user.accountId },
      owner.token,
    );
    expect(added.body.data?.addSpaceMember.__typename).toBe('AddSpaceMemberSuccess');
    pages.doomedPage = (await rest('POST', '/content', owner.token, { type: 'page', title: 'to purge', space: { key: 'PRIV' } })).id;
    // The receiver refuses that one event for good: only the visibility check can take it off the queue.
    receiver.answer = (request) => ({ status: request.path === '/member-view' && request.body.includes('"watched"') ? 500 : 204 });
    await put('watched', 'doomedPage');
    await eventually(() => at(receiver, '/member-view').length >= 2, 'the private event, refused twice');
    // Purged, the page exists no more: only site admins may see events about it.
    await rest('DELETE', `/content/${pages.doomedPage}`, owner.token);
    await rest('DELETE', `/content/${pages.doomedPage}?status=trashed`, owner.token);
    await put('after', 'c', member);
    await eventually(() => at(receiver, '/member-view').some((r) => r.body.includes('"after"')), 'the next event');
    receiver.answer = () => ({ status: 204 });
    expect(summary(events(receiver, '/member-view', hook.secret))).toEqual(['relation.created:watched', 'relation.created:after']);
    // The receiver sees a request before the gateway records its answer.
    await eventually(async () => (await deliveries(member, hook.id))[0]?.status === 'DELIVERED', 'the record of the next event');
    const records = await deliveries(member, hook.id);
    expect(records.map((d) => d.status)).toEqual(['DELIVERED', 'FAILED']);
    expect(records[1].lastError).toMatch(/may no longer see/);
  });

  it('filters by relationName and event type', async () => {
    const hook = await createHook(owner, `${receiver.url}/filtered`, { relationName: 'only-this', events: ['DELETED'] });
    await put('only-this', 'a');
    await put('other', 'a');
    await remove('other', 'a');
    await remove('only-this', 'a');
    await put('only-this', 'b');
    await remove('only-this', 'b');
    await eventually(() => at(receiver, '/filtered').length >= 2, 'two deletions');
    await new Promise((resolve) => setTimeout(resolve, 700));
    const got = events(receiver, '/filtered', hook.secret);
    expect(got.map((p) => `${p.type}:${p.data.name}:${p.data.target.key}`)).toEqual([`relation.deleted:only-this:${pages.a}`, `relation.deleted:only-this:${pages.b}`]);
  });

  it('an event failing past the retry window is recorded as failed, and the next one is delivered', async () => {
    const hook = await createHook(owner, `${receiver.url}/give-up`);
    receiver.answer = (request) => ({ status: request.path === '/give-up' && request.body.includes('"doomed"') ? 503 : 204 });
    await put('doomed', 'a');
    await put('after', 'a');
    await eventually(() => at(receiver, '/give-up').some((r) => r.body.includes('"after"')), 'the next event', 30_000);
    receiver.answer = () => ({ status: 204 });
    await eventually(async () => (await deliveries(owner, hook.id))[0]?.status === 'DELIVERED', 'the record of the next event');
    const records = await deliveries(owner, hook.id);
    expect(records.map((d) => [d.status, d.lastStatus])).toEqual([
      ['DELIVERED', 204],
      ['FAILED', 503],
    ]);
    expect(records[1].attempts).toBeGreaterThan(3);
    expect(records[1].lastError).toMatch(/503/);
  }, 40_000);

  it('never follows a redirect, even from an allowed receiver to another allowed address', async () => {
    const target = await startReceiver();
    const hook = await createHook(owner, `${receiver.url}/redirect`);
    receiver.answer = (request) => (request.path === '/redirect' ? { status: 307, headers: { location: `${target.url}/stolen` } } : { status: 204 });
    await put('redirected', 'b');
    await eventually(async () => (await deliveries(owner, hook.id))[0]?.lastStatus === 307, 'a failed attempt');
    const [record] = await deliveries(owner, hook.id);
    expect(record).toMatchObject({ status: 'RETRYING', lastStatus: 307 });
    expect(record.lastError).toMatch(/redirect.*not followed/);
    expect(target.received).toEqual([]);
    await t.graphql('mutation($id: Int!) { deleteWebhook(input: {id: $id}) { __typename } }', { id: hook.id }, owner.token);
    receiver.answer = () => ({ status: 204 });
    await target.close();
  });

  it('two workers on one database (as two instances) never deliver one webhook at once, nor an event twice', async () => {
    const second = startWebhookWorker({ db: t.db, config: t.config, log: loggerFor(t.config) });
    const shared = await startReceiver();
    shared.answer = () => ({ status: 200, delayMs: 50 });
    try {
      const hook = await createHook(owner, `${shared.url}/shared`);
      for (let i = 0; i < 8; i++) await put(`shared${i}`, i % 2 ? 'a' : 'b');
      await eventually(() => shared.received.length >= 8, 'eight deliveries');
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect(summary(shared.received.map((r) => verified(hook.secret, r)))).toEqual(Array.from({ length: 8 }, (_, i) => `relation.created:shared${i}`));
      expect(shared.mostAtOnce).toBe(1);
    } finally {
      await second.stop();
      await shared.close();
    }
  });

  it('checks the address again at every delivery: a host no longer allowed is refused before connecting', async () => {
    const hooks = [await createHook(owner, `${receiver.url}/rebound`), await createHook(owner, `http://localhost:${receiver.port}/rebound-name`)];
    // The same webhooks, delivered by a worker whose allow-list no longer lists the host (as if DNS now said loopback).
    await worker.stop();
    const strict = startWebhookWorker({ db: t.db, config: { ...t.config, webhookAllowHosts: [] }, log: loggerFor(t.config) });
    try {
      await put('rebound', 'c');
      for (const hook of hooks) await eventually(async () => (await deliveries(owner, hook.id))[0]?.status === 'RETRYING', 'a refused attempt');
      const [literal] = await deliveries(owner, hooks[0].id);
      const [named] = await deliveries(owner, hooks[1].id);
      expect(literal).toMatchObject({ lastStatus: null, lastError: expect.stringMatching(/refused: 127\.0\.0\.1 is a loopback address/) });
      expect(named).toMatchObject({ lastStatus: null, lastError: expect.stringMatching(/refused: localhost resolves to .* loopback address/) });
      expect(at(receiver, '/rebound').concat(at(receiver, '/rebound-name'))).toEqual([] as Received[]);
    } finally {
      await strict.stop();
      worker = startWebhookWorker({ db: t.db, config: t.config, log: loggerFor(t.config) });
    }
  });
});
