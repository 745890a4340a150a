// The event log from the outside: writes through the REST face and cascades leave exactly the events they
// should, in id order; the hub hands each stream what its viewer may see, with Last-Event-ID replay.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/domain/access.js';
import { eventsOf } from '../../src/events/hub.js';
import { eventHorizon, readEvents, type RelationEventRow } from '../../src/events/log.js';
import { loggerFor } from '../../src/observability/log.js';
import { createTestApp, type Account, type TestApp } from '../support/app.js';

let t: TestApp;

/** Every event id at or below this has committed. */
const horizon = async () => (await eventHorizon(t.db, 10_000))!;
const ALL = Number.MAX_SAFE_INTEGER;
let owner: Account;
let member: Account;
let stranger: Account;

// A live token: the hub ends the streams of a token that no longer exists.
const tokens = new Map<number, number>();
const viewerOf = (a: Account): Viewer => ({ id: a.user.id, siteAdmin: a.user.siteAdmin, tokenId: tokens.get(a.user.id)! });

async function rest(method: string, path: string, token: string, json?: unknown): Promise<any> {
  const response = await t.request(`/rest/api${path}`, { method, token, json });
  expect(response.status, `${method} ${path}: ${await response.clone().text()}`).toBeLessThan(300);
  return response.status === 204 ? null : response.json();
}

async function page(spaceKey: string, title: string, token = owner.token): Promise<string> {
  return (await rest('POST', '/content', token, { type: 'page', title, space: { key: spaceKey } })).id;
}

const relate = (method: 'PUT' | 'DELETE', name: string, userKey: string, contentId: string, token: string) =>
  rest(method, `/relation/${name}/from/user/${userKey}/to/content/${contentId}`, token);

/** Reads up to `count` events from a stream, or fewer if none comes for `quietMs`. */
async function take(stream: AsyncIterableIterator<RelationEventRow>, count: number, quietMs = 1_500): Promise<RelationEventRow[]> {
  const got: RelationEventRow[] = [];
  while (got.length < count) {
    const next = await Promise.race([stream.next(), new Promise<'quiet'>((resolve) => setTimeout(() => resolve('quiet'), quietMs))]);
    if (next === 'quiet' || next.done) break;
    got.push(next.value);
  }
  return got;
}

beforeAll(async () => {
  t = await createTestApp();
  owner = await t.account('Owner');
  member = await t.account('Member');
  stranger = await t.account('Stranger');
  for (const token of await t.db.prisma.apiToken.findMany()) tokens.set(token.userId, token.id);
  await rest('POST', '/space/_private', owner.token, { key: 'PRIV', name: 'Private' });
  await rest('POST', '/space', owner.token, { key: 'PUB', name: 'Public' });
});
afterAll(() => t?.close());

describe('the event log', () => {
  it('records creates, idempotent re-creates once, deletes with their actor, and cascades', async () => {
    const start = await horizon();
    const a = await page('PUB', 'A');
    const b = await page('PUB', 'B');
    await relate('PUT', 'likes', owner.user.accountId, a, owner.token);
    await relate('PUT', 'likes', owner.user.accountId, a, owner.token); // exists: no second event
    await relate('PUT', 'likes', owner.user.accountId, b, owner.token);
    await relate('DELETE', 'likes', owner.user.accountId, a, owner.token);
    await relate('DELETE', 'likes', owner.user.accountId, a, owner.token); // nothing left: no event
    // Purging b removes its relation through the foreign key's cascade.
    await rest('DELETE', `/content/${b}`, owner.token);
    await rest('DELETE', `/content/${b}?status=trashed`, owner.token);

    const events = await readEvents(t.db, start, 100, ALL);
    expect(events.map((e) => [e.type, e.name, e.targetId, e.actorId])).toEqual([
      ['CREATED', 'likes', Number(a), owner.user.id],
      ['CREATED', 'likes', Number(b), owner.user.id],
      ['DELETED', 'likes', Number(a), owner.user.id],
      ['DELETED', 'likes', Number(b), owner.user.id],
    ]);
    expect(events.map((e) => e.id)).toEqual([...events.map((e) => e.id)].sort((x, y) => x - y));
    expect(events[0]).toMatchObject({ sourceType: 'USER', sourceId: owner.user.id, targetType: 'CONTENT', createdById: owner.user.id });
  });

  it('a space deleted with its content leaves one DELETED event per relation it took along', async () => {
    await rest('POST', '/space', owner.token, { key: 'GONE', name: 'Gone' });
    const pages = [await page('GONE', 'x'), await page('GONE', 'y')];
    for (const id of pages) await relate('PUT', 'watch', owner.user.accountId, id, owner.token);
    const start = await horizon();
    await rest('DELETE', '/space/GONE', owner.token);
    const events = await readEvents(t.db, start, 100, ALL);
    expect(events.map((e) => [e.type, e.name, e.targetId, e.actorId])).toEqual(pages.map((id) => ['DELETED', 'watch', Number(id), owner.user.id]));
  });
});

describe('the event hub', () => {
  it('hands each stream only what its viewer may see, live and replayed after an id', async () => {
    const hub = eventsOf(t.db, loggerFor(t.config));
    const priv = await page('PRIV', 'secret');
    const pub = await page('PUB', 'open');
    const all = () => true;
    const stranger1 = hub.stream(viewerOf(stranger), { accept: all });
    const owner1 = hub.stream(viewerOf(owner), { accept: all });
    const admin1 = hub.stream(viewerOf(t.admin), { accept: all });
    const strangerNext = stranger1.next(); // starts the generator: it attaches before the writes below
    const ownerNext = owner1.next();
    const adminNext = admin1.next();
    await new Promise((resolve) => setTimeout(resolve, 300));

    await relate('PUT', 'likes', owner.user.accountId, priv, owner.token);
    await relate('PUT', 'likes', owner.user.accountId, pub, owner.token);
    await relate('PUT', 'favourite', owner.user.accountId, pub, owner.token);

    const first = async (next: Promise<IteratorResult<RelationEventRow>>) => (await next).value as RelationEventRow;
    const strangerSaw = [await first(strangerNext), ...(await take(stranger1, 5))];
    const ownerSaw = [await first(ownerNext), ...(await take(owner1, 5))];
    const adminSaw = [await first(adminNext), ...(await take(admin1, 5))];
    const names = (events: RelationEventRow[]) => events.map((e) => `${e.name}:${e.targetId}`);
    expect(names(strangerSaw)).toEqual([`likes:${pub}`]);
    expect(names(ownerSaw)).toEqual([`likes:${priv}`, `likes:${pub}`, `favourite:${pub}`]);
    expect(names(adminSaw)).toEqual(names(ownerSaw));

    // Replay after the owner's first event: exactly the two after it, then live.
    const replay = hub.stream(viewerOf(owner), { accept: all, after: ownerSaw[0].id });
    expect(names(await take(replay, 2))).toEqual([`likes:${pub}`, `favourite:${pub}`]);
    await relate('DELETE', 'likes', owner.user.accountId, pub, owner.token);
    const live = await take(replay, 1);
    expect(live.map((e) => [e.type, e.targetId])).toEqual([['DELETED', Number(pub)]]);
    expect(live[0].id).toBeGreaterThan(ownerSaw[2].id);

    for (const s of [stranger1, owner1, admin1, replay]) await s.return?.();
  });

  it('gives a stream whose Last-Event-ID is ahead of the hub nothing at or before that id', async () => {
    const hub = eventsOf(t.db, loggerFor(t.config));
    const all = () => true;
    // A stream already open keeps the hub's position from its last step.
    const running = hub.stream(viewerOf(owner), { accept: all });
    const runningNext = running.next();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const [a, b] = [await page('PUB', 'ahead-a'), await page('PUB', 'ahead-b')];
    // Written by SQL, which sends no NOTIFY: the hub has not stepped past these when the next stream attaches.
    await t.db.prisma.$executeRaw`INSERT INTO relations (name, source_type, source_id, source_user_id, target_type, target_id, target_content_id)
      VALUES ('ahead', 'USER', ${owner.user.id}, ${owner.user.id}, 'CONTENT', ${Number(a)}, ${Number(a)}),
             ('ahead', 'USER', ${owner.user.id}, ${owner.user.id}, 'CONTENT', ${Number(b)}, ${Number(b)})`;
    const [first] = (await readEvents(t.db, 0, 100, ALL)).filter((e) => e.name === 'ahead');
    const reconnected = hub.stream(viewerOf(owner), { accept: (e) => e.name === 'ahead', after: first.id });
    expect((await take(reconnected, 2)).map((e) => e.targetId)).toEqual([Number(b)]);
    await running.return?.();
    await runningNext.catch(() => {});
    await reconnected.return?.();
  });

  it("a revoked token's streams end", async () => {
    const hub = eventsOf(t.db, loggerFor(t.config));
    const { token } = await t.db.prisma.apiToken
      .create({ data: { userId: member.user.id, name: 'short', hash: 'f'.repeat(64), prefix: 'x' }, select: { id: true } })
      .then((row) => ({ token: row.id }));
    const stream = hub.stream({ id: member.user.id, siteAdmin: false, tokenId: token }, { accept: () => true });
    const next = stream.next();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const revoked = Date.now();
    await t.db.prisma.apiToken.delete({ where: { id: token } });
    expect((await next).done).toBe(true);
    expect(Date.now() - revoked).toBeLessThan(1_000);
  });

  it("a member's stream starts seeing a private space's events once they are a member (visibility at delivery)", async () => {
    const hub = eventsOf(t.db, loggerFor(t.config));
    const priv = await page('PRIV', 'later');
    const stream = hub.stream(viewerOf(member), { accept: (e) => e.targetId === Number(priv) });
    const next = stream.next();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await relate('PUT', 'likes', owner.user.accountId, priv, owner.token);
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // delivered (to no one) before the membership exists
    const added = await t.graphql(
      'mutation($u: String!) { addSpaceMember(input: {spaceKey: "PRIV", user: $u, level: VIEW}) { __typename } }',
      { u: member.user.accountId },
      owner.token,
    );
    expect(added.body.data?.addSpaceMember.__typename).toBe('AddSpaceMemberSuccess');
    await relate('PUT', 'reads', owner.user.accountId, priv, owner.token);
    const saw = [(await next).value as RelationEventRow, ...(await take(stream, 3))];
    expect(saw.map((e) => e.name)).toEqual(['reads']);
    await stream.return?.();
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('ids that commit out of order (needs TEST_DATABASE_URL: PGlite runs one transaction at a time)', () => {
  it('a stream passes no event while a smaller id is uncommitted, then gets both in id order; writers do not wait for each other', async () => {
    const hub = eventsOf(t.db, loggerFor(t.config));
    const late = Number(await page('PUB', 'late'));
    const early = Number(await page('PUB', 'early'));
    const stream = hub.stream(viewerOf(t.admin), { accept: (e) => e.targetId === late || e.targetId === early });
    const next = stream.next();
    await new Promise((resolve) => setTimeout(resolve, 300));

    // A transaction writes a relation (its event takes an id) and stays open.
    let commit!: () => void;
    const open = new Promise<void>((resolve) => (commit = resolve));
    let inserted!: () => void;
    const hasId = new Promise<void>((resolve) => (inserted = resolve));
    const transaction = t.db.prisma.$transaction(
      async (tx) => {
        await tx.$executeRawUnsafe(
          `INSERT INTO relations (name, source_type, source_id, target_type, target_id, source_user_id, target_content_id, created_by_id)
           VALUES ('likes', 'USER', ${owner.user.id}, 'CONTENT', ${late}, ${owner.user.id}, ${late}, ${owner.user.id})`,
        );
        inserted();
        await open;
      },
      { timeout: 20_000 },
    );
    await hasId;
    // Another write commits a larger id meanwhile: it is not held up by the open one (beyond the hub's short
    // wait for a horizon), and not delivered before it.
    const started = Date.now();
    await relate('PUT', 'likes', owner.user.accountId, String(early), owner.token);
    expect(Date.now() - started).toBeLessThan(2_000);
    let delivered = false;
    void next.then(() => (delivered = true));
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(delivered).toBe(false);

    commit();
    await transaction;
    const saw = [(await next).value as RelationEventRow, ...(await take(stream, 1))];
    expect(saw.map((e) => e.targetId)).toEqual([late, early]);
    expect(saw[0].id).toBeLessThan(saw[1].id);
    await stream.return?.();
  });
});

describe('retention', () => {
  it('prunes only events older than the retention, oldest first, in bounded steps', async () => {
    const { pruneEvents } = await import('../../src/events/log.js');
    const a = await page('PUB', 'retained');
    await relate('PUT', 'retention', owner.user.accountId, a, owner.token);
    await relate('DELETE', 'retention', owner.user.accountId, a, owner.token);
    const all = await readEvents(t.db, 0, 10_000, ALL);
    const old = all.slice(0, 3).map((e) => e.id);
    await t.db.prisma.$executeRawUnsafe(`UPDATE relation_events SET at = now() - interval '8 days' WHERE id IN (${old.join(',')})`);
    expect(await pruneEvents(t.db, 7 * 86_400_000, 2)).toBe(2);
    expect(await pruneEvents(t.db, 7 * 86_400_000, 2)).toBe(1);
    expect(await pruneEvents(t.db, 7 * 86_400_000, 2)).toBe(0);
    const left = await readEvents(t.db, 0, 10_000, ALL);
    expect(left.map((e) => e.id)).toEqual(all.slice(3).map((e) => e.id));
  });
});
