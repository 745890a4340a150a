// Subscription.relationEvents as a client meets it: Server-Sent Events on a real port, read message by message.
// Streams start with Last-Event-ID at the log's current end, so nothing written after a stream is opened can fall
// before it attaches (the hub replays up to where live delivery starts, without a gap or an overlap).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { eventsOf } from '../../src/events/hub.js';
import { eventHorizon } from '../../src/events/log.js';
import { loggerFor } from '../../src/observability/log.js';
import { createTestApp, type Account, type TestApp } from '../support/app.js';
import { listen, openSse, type SseMessage, type SseStream } from '../support/sse.js';

/** Every event id at or below this has committed: where a subscription without Last-Event-ID starts. */
const latestEventId = async (db: Database) => (await eventHorizon(db, 10_000))!;

let t: TestApp;
let served: Awaited<ReturnType<typeof listen>>;
let owner: Account;
let member: Account;
let stranger: Account;
let priv: string;
let pub: string;
const open: SseStream[] = [];

const SELECTION = `id type name sourceType targetType relationId at
  source { __typename ... on User { accountId } ... on Space { key } ... on Content { id } }
  target { __typename ... on User { accountId } ... on Space { key } ... on Content { id version { number } } }
  relation { id name } actor { accountId }`;

interface Options {
  args?: string;
  lastEventId?: number | string;
  /** As a browser EventSource asks: GET with the document in the query string. */
  get?: boolean;
  /** Last-Event-ID as the `lastEventId` query parameter instead of the header. */
  inQuery?: boolean;
  accept?: string;
  token?: string | null;
}

function request(account: Account | null, { args = '', lastEventId, get = false, inQuery = false, accept = 'text/event-stream', token }: Options = {}) {
  const query = `subscription Watch { relationEvents${args ? `(${args})` : ''} { ${SELECTION} } }`;
  const headers: Record<string, string> = { accept };
  const bearer = token === undefined ? account?.token : token;
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  if (lastEventId !== undefined && !inQuery) headers['last-event-id'] = String(lastEventId);
  const cursor = lastEventId !== undefined && inQuery ? `&lastEventId=${encodeURIComponent(String(lastEventId))}` : '';
  if (get) {
    headers['graphql-require-preflight'] = '1';
    return { url: `${served.url}/graphql?query=${encodeURIComponent(query)}${cursor}`, init: { headers } };
  }
  headers['content-type'] = 'application/json';
  return { url: `${served.url}/graphql${cursor ? `?${cursor.slice(1)}` : ''}`, init: { method: 'POST', headers, body: JSON.stringify({ query }) } };
}

async function subscribe(account: Account | null, options: Options = {}): Promise<SseStream> {
  const { url, init } = request(account, { lastEventId: await latestEventId(t.db), ...options });
  const stream = await openSse(url, init);
  open.push(stream);
  return stream;
}

/** The event a message carries, with the message's SSE id beside it. */
const eventOf = (message: SseMessage) => ({ sseId: message.id, ...JSON.parse(message.data).data.relationEvents });
type Event = ReturnType<typeof eventOf>;

/** Events until (and without) the first that `last` matches; fails if the stream ends or stays quiet first. */
async function until(stream: SseStream, last: (e: Event) => boolean): Promise<Event[]> {
  const seen: Event[] = [];
  for (;;) {
    const message = await stream.next(5_000);
    if (message === null || message === 'quiet') throw new Error(`stream ${message ?? 'ended'} after ${JSON.stringify(seen)}`);
    if (message.event !== 'next') continue;
    const event = eventOf(message);
    if (last(event)) return seen;
    seen.push(event);
  }
}

async function rest(method: string, path: string, token: string, json?: unknown): Promise<any> {
  const response = await t.request(`/rest/api${path}`, { method, token, json });
  expect(response.status, `${method} ${path}: ${await response.clone().text()}`).toBeLessThan(300);
  return response.status === 204 ? null : response.json();
}

const page = async (spaceKey: string, title: string, token = owner.token): Promise<string> =>
  (await rest('POST', '/content', token, { type: 'page', title, space: { key: spaceKey } })).id;

const relate = (method: 'PUT' | 'DELETE', name: string, who: Account, contentId: string) =>
  rest(method, `/relation/${name}/from/user/${who.user.accountId}/to/content/${contentId}`, who.token);

let sentinels = 0;
/** A relation everyone may see, marking the end of what a test wrote: streams read up to it. */
async function sentinel(): Promise<(e: Event) => boolean> {
  const name = `sentinel${++sentinels}`;
  await relate('PUT', name, t.admin, pub);
  return (e) => e.name === name;
}

const summary = (events: Event[]) =>
  events.map((e) => `${e.type} ${e.name} ${e.source?.accountId ?? e.sourceType}→${e.target?.id ?? e.target?.key ?? `gone ${e.targetType}`}`);

beforeAll(async () => {
  t = await createTestApp();
  served = await listen(t.app);
  owner = await t.account('Owner');
  member = await t.account('Member');
  stranger = await t.account('Stranger');
  await rest('POST', '/space/_private', owner.token, { key: 'PRIV', name: 'Private' });
  await rest('POST', '/space', owner.token, { key: 'PUB', name: 'Public' });
  const added = await t.graphql(
    'mutation($u: String!) { addSpaceMember(input: {spaceKey: "PRIV", user: $u, level: VIEW}) { __typename } }',
    { u: member.user.accountId },
    owner.token,
  );
  expect(added.body.data?.addSpaceMember.__typename).toBe('AddSpaceMemberSuccess');
  priv = await page('PRIV', 'secret');
  pub = await page('PUB', 'open');
});

afterAll(async () => {
  for (const stream of open) await stream.close();
  await served?.close();
  await t?.close();
});

describe('who sees what', () => {
  it('owner, member, stranger and admin each see exactly the events whose ends they may view; a favourite only its owner and admins', async () => {
    const [o, m, s, a] = await Promise.all([owner, member, stranger, t.admin].map((who) => subscribe(who)));
    await relate('PUT', 'likes', owner, priv);
    await relate('PUT', 'likes', owner, pub);
    await relate('PUT', 'favourite', owner, pub);
    await relate('PUT', 'favourite', stranger, pub);
    const end = await sentinel();
    const [ownerSaw, memberSaw, strangerSaw, adminSaw] = await Promise.all([o, m, s, a].map((stream) => until(stream, end)));

    const [ownerLikesPriv, ownerLikesPub, ownerFavourite, strangerFavourite] = [
      `CREATED likes ${owner.user.accountId}→${priv}`,
      `CREATED likes ${owner.user.accountId}→${pub}`,
      `CREATED favourite ${owner.user.accountId}→${pub}`,
      `CREATED favourite ${stranger.user.accountId}→${pub}`,
    ];
    expect(summary(ownerSaw)).toEqual([ownerLikesPriv, ownerLikesPub, ownerFavourite]);
    expect(summary(memberSaw)).toEqual([ownerLikesPriv, ownerLikesPub]);
    expect(summary(strangerSaw)).toEqual([ownerLikesPub, strangerFavourite]);
    expect(summary(adminSaw)).toEqual([ownerLikesPriv, ownerLikesPub, ownerFavourite, strangerFavourite]);
  });

  it("each message's SSE id is the event's id, increasing", async () => {
    const stream = await subscribe(t.admin);
    await relate('PUT', 'counted', owner, pub);
    await relate('PUT', 'counted', owner, priv);
    const events = await until(stream, await sentinel());
    expect(events).toHaveLength(2);
    for (const e of events) expect(e.sseId).toBe(e.id);
    expect(Number(events[1].id)).toBeGreaterThan(Number(events[0].id));
  });

  it('shows the relation while it exists, its node id always, and the actor', async () => {
    const stream = await subscribe(owner, { args: 'name: "shown"' });
    await relate('PUT', 'shown', owner, pub);
    const [created] = await stream.take(1);
    await relate('DELETE', 'shown', owner, pub);
    const [deleted] = await stream.take(1);
    const c = eventOf(created);
    const d = eventOf(deleted);
    expect(c).toMatchObject({ type: 'CREATED', relation: { id: c.relationId, name: 'shown' }, actor: { accountId: owner.user.accountId } });
    expect(d).toMatchObject({ type: 'DELETED', relation: null, relationId: c.relationId, target: { id: pub }, actor: { accountId: owner.user.accountId } });
    // Replayed after the delete, the CREATED event shows no relation: it is resolved as things are now.
    const replay = await subscribe(owner, { args: 'name: "shown"', lastEventId: Number(c.id) - 1 });
    expect((await replay.take(2)).map(eventOf).map((e) => [e.type, e.relation])).toEqual([
      ['CREATED', null],
      ['DELETED', null],
    ]);
  });
  it('resolves each event afresh: a later event on the same stream shows the content as it is by then', async () => {
    const doc = await page('PUB', 'fresh');
    const stream = await subscribe(owner, { args: `target: {type: CONTENT, key: "${doc}"}` });
    await relate('PUT', 'first', owner, doc);
    const [before] = (await stream.take(1)).map(eventOf);
    await rest('PUT', `/content/${doc}`, owner.token, { title: 'fresh, edited', type: 'page', version: { number: 2 } });
    await relate('PUT', 'second', owner, doc);
    const [after] = (await stream.take(1)).map(eventOf);
    expect([before.target.version.number, after.target.version.number]).toEqual([1, 2]);
  });
});

describe('arguments', () => {
  it('name, source, target and types each narrow the stream; all of them together must match', async () => {
    const streams = {
      name: await subscribe(owner, { args: 'name: "filtered"' }),
      source: await subscribe(t.admin, { args: `source: {type: USER, key: "${stranger.user.accountId}"}` }),
      target: await subscribe(owner, { args: `target: {type: CONTENT, key: "${priv}"}` }),
      deleted: await subscribe(owner, { args: 'types: [DELETED]' }),
      all: await subscribe(owner, { args: `name: "filtered", source: {type: USER, key: "current"}, target: {type: CONTENT, key: "${pub}"}, types: [CREATED]` }),
    };
    await relate('PUT', 'filtered', owner, pub);
    await relate('PUT', 'filtered', owner, priv);
    await relate('PUT', 'other', owner, priv);
    await relate('PUT', 'filtered', stranger, pub);
    await relate('DELETE', 'filtered', owner, pub);
    const o = owner.user.accountId;
    const x = stranger.user.accountId;
    const expected = {
      name: [`CREATED filtered ${o}→${pub}`, `CREATED filtered ${o}→${priv}`, `CREATED filtered ${x}→${pub}`, `DELETED filtered ${o}→${pub}`],
      source: [`CREATED filtered ${x}→${pub}`],
      target: [`CREATED filtered ${o}→${priv}`, `CREATED other ${o}→${priv}`],
      deleted: [`DELETED filtered ${o}→${pub}`],
      all: [`CREATED filtered ${o}→${pub}`],
    };
    // One more than expected is asked for: nothing more may come within the quiet time.
    const got = await Promise.all(
      Object.entries(expected).map(async ([key, want]) => [key, summary((await streams[key as keyof typeof streams].take(want.length + 1, 1_500)).map(eventOf))]),
    );
    expect(Object.fromEntries(got)).toEqual(expected);
  });
});

describe('pinned content', () => {
  it('a pinned target matches only relations pinned to that version; an unpinned one matches every version', async () => {
    const doc = await page('PUB', 'versioned');
    await rest('PUT', `/content/${doc}`, owner.token, { title: 'versioned, again', type: 'page', version: { number: 2 } });
    const pinned = await subscribe(owner, { args: `target: {type: CONTENT, key: "${doc}", status: "historical", version: 1}` });
    const any = await subscribe(owner, { args: `target: {type: CONTENT, key: "${doc}"}` });
    const to = `/relation/cites/from/user/${owner.user.accountId}/to/content/${doc}`;
    await rest('PUT', `${to}?targetStatus=historical&targetVersion=1`, owner.token);
    await rest('PUT', `${to}?targetStatus=historical&targetVersion=2`, owner.token);
    await rest('PUT', to, owner.token);
    const versions = async (stream: SseStream, count: number) =>
      (await stream.take(count + 1, 1_500)).map(eventOf).map((e) => `${e.name} ${e.target.id} v${e.target.version.number}`);
    // A pinned end shows the content as it was at that version; an unpinned one, as it is.
    expect(await versions(pinned, 1)).toEqual([`cites ${doc} v1`]);
    expect(await versions(any, 3)).toEqual([`cites ${doc} v1`, `cites ${doc} v2`, `cites ${doc} v2`]);
  });
});

describe('every face and every cascade', () => {
  it('relations made and removed over GraphQL, Confluence REST and Umbraco, and by purging content and deleting a space', async () => {
    await rest('POST', '/space', owner.token, { key: 'GONE', name: 'Gone' });
    const doomed = await page('GONE', 'doomed');
    const purged = await page('PUB', 'purged');
    const a = await subscribe(t.admin);
    const o = await subscribe(owner);

    const gql = (mutation: string) =>
      t.graphql(
        `mutation { ${mutation}(input: {name: "viaGraphQL", source: {type: USER, key: "current"}, target: {type: CONTENT, key: "${pub}"}}) { __typename } }`,
        {},
        owner.token,
      );
    await gql('createRelation');
    await gql('deleteRelation');
    await relate('PUT', 'viaRest', owner, pub);
    await relate('DELETE', 'viaRest', owner, pub);
    const umbraco = { 'api-key': owner.token, 'umb-project-alias': 'gateway', accept: 'application/json+hal', 'content-type': 'application/json' };
    const posted = await t.request('/umbraco/relation', {
      method: 'POST',
      headers: umbraco,
      body: JSON.stringify({ relationTypeAlias: 'viaUmbraco', parentId: pub, childId: purged }),
    });
    expect(posted.status).toBe(201);
    expect((await t.request(`/umbraco/relation/${(await posted.json())._id}`, { method: 'DELETE', headers: umbraco })).status).toBe(200);
    await relate('PUT', 'purgedWith', owner, purged);
    await relate('PUT', 'spaceWith', owner, doomed);
    const made = await sentinel();

    const me = owner.user.accountId;
    const pair = (name: string, source: string, target: string) => [`CREATED ${name} ${source}→${target}`, `DELETED ${name} ${source}→${target}`];
    const everyFace = [
      ...pair('viaGraphQL', me, pub),
      ...pair('viaRest', me, pub),
      ...pair('viaUmbraco', 'CONTENT', purged),
      `CREATED purgedWith ${me}→${purged}`,
      `CREATED spaceWith ${me}→${doomed}`,
    ];
    expect(summary(await until(o, made))).toEqual(everyFace);
    expect(summary(await until(a, made))).toEqual(everyFace);

    // Cascades: the relations go with their end. The owner may no longer view that end, so only admins see these.
    await rest('DELETE', `/content/${purged}`, owner.token);
    await rest('DELETE', `/content/${purged}?status=trashed`, owner.token);
    await rest('DELETE', '/space/GONE', owner.token);
    const gone = await sentinel();
    expect(summary(await until(o, gone))).toEqual([]);
    const adminSaw = await until(a, gone);
    expect(summary(adminSaw)).toEqual([`DELETED purgedWith ${me}→gone CONTENT`, `DELETED spaceWith ${me}→gone CONTENT`]);
    // The actor of a cascade is who purged the content or deleted the space.
    expect(adminSaw.map((e) => e.actor?.accountId)).toEqual([me, me]);
  });
});

describe('reconnecting with Last-Event-ID', () => {
  it('replays exactly the events missed, without duplicates, then continues live', async () => {
    const first = await subscribe(owner, { args: 'name: "missed"' });
    await relate('PUT', 'missed', owner, pub);
    await relate('PUT', 'missed', owner, priv);
    const seen = (await first.take(2)).map(eventOf);
    await first.close();
    await relate('DELETE', 'missed', owner, pub);
    await relate('DELETE', 'missed', owner, priv);
    await relate('PUT', 'missed', owner, pub);

    // As an EventSource reconnects: GET, with the last id it saw in the Last-Event-ID header.
    const again = await subscribe(owner, { args: 'name: "missed"', get: true, lastEventId: seen[1].sseId });
    const replayed = (await again.take(3)).map(eventOf);
    expect(summary(replayed)).toEqual([
      `DELETED missed ${owner.user.accountId}→${pub}`,
      `DELETED missed ${owner.user.accountId}→${priv}`,
      `CREATED missed ${owner.user.accountId}→${pub}`,
    ]);
    expect(Number(replayed[0].id)).toBeGreaterThan(Number(seen[1].id));
    for (const e of replayed) expect(e.sseId).toBe(e.id);
    await relate('PUT', 'missed', owner, priv);
    const live = (await again.take(2, 1_500)).map(eventOf);
    expect(summary(live)).toEqual([`CREATED missed ${owner.user.accountId}→${priv}`]);
  });

  it('takes the cursor from the lastEventId query parameter too, for clients that cannot set headers', async () => {
    await relate('PUT', 'queried', owner, pub);
    // The first event's id as stored: ids come from a sequence, which may skip numbers, so not `before + 1`.
    const first = await latestEventId(t.db);
    await relate('PUT', 'queried', owner, priv);
    const stream = await subscribe(owner, { args: 'name: "queried"', get: true, inQuery: true, lastEventId: first });
    expect(summary((await stream.take(2, 1_500)).map(eventOf))).toEqual([`CREATED queried ${owner.user.accountId}→${priv}`]);
  });
});

describe('what ends a stream', () => {
  it('a revoked token: the stream completes within 1 s, and the token no longer connects', async () => {
    const created = await t.graphql(
      'mutation { createApiToken(input: {name: "short-lived"}) { ... on CreateApiTokenSuccess { token apiToken { id } } } }',
      {},
      member.token,
    );
    const { token, apiToken } = created.body.data!.createApiToken;
    const stream = await subscribe(member, { token });
    await relate('PUT', 'beforeRevoke', owner, pub);
    expect((await stream.take(1)).map(eventOf).map((e) => e.name)).toEqual(['beforeRevoke']);
    const revoked = await t.graphql('mutation($id: Int!) { revokeApiToken(input: {id: $id}) { __typename } }', { id: apiToken.id }, member.token);
    expect(revoked.body.data?.revokeApiToken.__typename).toBe('RevokeApiTokenSuccess');
    expect(await stream.next(1_000)).toMatchObject({ event: 'complete' });
    expect(await stream.next(1_000)).toBeNull();
    expect((await subscribe(member, { token })).status).toBe(401);
  });

  it('the client leaving: the server lets go of the stream (a new one still gets events)', async () => {
    const hub = eventsOf(t.db, loggerFor(t.config));
    const before = hub.openStreams;
    const leaving = await subscribe(owner, { args: 'name: "left"' });
    expect(hub.openStreams).toBe(before + 1);
    await leaving.close();
    // Released when the server sees the connection close: polled, since that arrives on the server's own schedule.
    for (let waited = 0; hub.openStreams > before && waited < 5_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    expect(hub.openStreams).toBe(before);
    const staying = await subscribe(owner, { args: 'name: "left"' });
    await relate('PUT', 'left', owner, pub);
    expect((await staying.take(1)).map(eventOf).map((e) => e.name)).toEqual(['left']);
  });
});

describe('refusals', () => {
  const refusal = async (account: Account | null, options: Options) => {
    const stream = await subscribe(account, options);
    const messages: SseMessage[] = [];
    for (let m = await stream.next(); m !== null && m !== 'quiet'; m = await stream.next()) messages.push(m);
    const next = messages.find((m) => m.event === 'next');
    const body = next ? JSON.parse(next.data) : undefined;
    return { status: stream.status, code: body?.errors?.[0]?.extensions?.code, message: body?.errors?.[0]?.message, body };
  };

  it.each([
    ['a malformed name', 400, 'BAD_USER_INPUT', { args: 'name: ""' }],
    ['a name of control characters', 400, 'BAD_USER_INPUT', { args: 'name: "a\\u0000b"' }],
    ['an unknown space', 404, 'NOT_FOUND', { args: 'source: {type: SPACE, key: "NOPE"}' }],
    ['unknown content', 404, 'NOT_FOUND', { args: 'target: {type: CONTENT, key: "999999"}' }],
    ['a bad content status', 400, 'BAD_USER_INPUT', { args: 'target: {type: CONTENT, key: "1", status: "shredded"}' }],
    ['historical without a version', 400, 'BAD_USER_INPUT', { args: 'target: {type: CONTENT, key: "1", status: "historical"}' }],
    ['an unknown event type', 400, 'GRAPHQL_VALIDATION_FAILED', { args: 'types: [MOVED]' }],
    ['no event type at all', 400, 'BAD_USER_INPUT', { args: 'types: []' }],
    ['a Last-Event-ID that is not a number', 400, 'BAD_USER_INPUT', { lastEventId: 'abc' }],
    ['a negative Last-Event-ID', 400, 'BAD_USER_INPUT', { lastEventId: '-1' }],
    ['a Last-Event-ID beyond any id', 400, 'BAD_USER_INPUT', { lastEventId: '99999999999999999999' }],
    ['a malformed lastEventId parameter', 400, 'BAD_USER_INPUT', { lastEventId: '1e3', inQuery: true, get: true }],
  ] as const)('%s: %i %s, and the answer ends', async (_, status, code, options) => {
    expect(await refusal(owner, options)).toMatchObject({ status, code });
  });

  it('a selection costing more than MAX_QUERY_COST (it would run per event): 400 QUERY_TOO_COSTLY before anything runs', async () => {
    const walk = (depth: number): string =>
      depth === 0 ? 'id' : `relationsFrom(name: "x", targetType: CONTENT, first: 200) { nodes { target { ... on Content { ${walk(depth - 1)} } } } }`;
    const query = `subscription { relationEvents { id target { ... on Content { ${walk(3)} } } } }`;
    const response = await fetch(`${served.url}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.token}`, 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query }),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/^data: .*"code":"QUERY_TOO_COSTLY"/m);
  });

  it("a stranger naming the private space's content: 404 NOT_FOUND, as if it did not exist", async () => {
    expect(await refusal(stranger, { args: `target: {type: CONTENT, key: "${priv}"}` })).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('no token: 401 UNAUTHENTICATED', async () => {
    const { url, init } = request(null, {});
    const response = await fetch(url, init);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('over Accept: application/json: 406 with an error saying to ask for text/event-stream', async () => {
    const { url, init } = request(owner, { accept: 'application/json' });
    const response = await fetch(url, init);
    expect(response.status).toBe(406);
    expect((await response.json()).errors).toEqual([
      expect.objectContaining({ extensions: { code: 'NOT_ACCEPTABLE' }, message: expect.stringContaining('text/event-stream') }),
    ]);
  });

  it('inside a batch: that operation gets a clear error, the others run', async () => {
    const response = await fetch(`${served.url}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.token}`, 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ me { accountId } }' }, { query: 'subscription { relationEvents { id } }' }]),
    });
    expect(await response.json()).toEqual([
      { data: { me: { accountId: owner.user.accountId } } },
      { errors: [expect.objectContaining({ extensions: { code: 'BAD_REQUEST' }, message: expect.stringContaining('batch') })] },
    ]);
  });

  it('a GET without a preflight header: 400 CSRF_PREVENTED, as for every GraphQL GET', async () => {
    const { url } = request(owner, { get: true });
    const response = await fetch(url, { headers: { authorization: `Bearer ${owner.token}`, accept: 'text/event-stream' } });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/^data: .*"code":"CSRF_PREVENTED"/m);
  });
});
