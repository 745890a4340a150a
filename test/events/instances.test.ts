// Three gateway processes on one PostgreSQL, 200 SSE subscribers in mixed roles spread over them, writes through
// all three faces and cascades on every instance: each subscriber gets exactly the events its role may see, once,
// in order, whichever instance it is connected to and whichever instance wrote.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { freshPlace, graphql, startServe, TOKEN, type Place, type Serving } from '../support/processes.js';
import { http } from '../reliability/support.js';

const SLOW = { timeout: 240_000 };
const SUBSCRIBERS = 200;

interface Seen {
  id: string;
  type: string;
  name: string;
}

/** An SSE subscription through real HTTP; collects `relationEvents` payloads and the SSE ids. */
function subscribe(url: string, token: string, query: string) {
  const controller = new AbortController();
  const events: Seen[] = [];
  const ids: string[] = [];
  let resolveReady!: (status: number) => void;
  const ready = new Promise<number>((resolve) => (resolveReady = resolve));
  const done = (async () => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      signal: controller.signal,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query }),
    });
    resolveReady(response.status);
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const lines = buffer.slice(0, end).split('\n');
        buffer = buffer.slice(end + 2);
        const id = lines
          .find((line) => line.startsWith('id:'))
          ?.slice(3)
          .trim();
        const data = lines.filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trim());
        // `event: complete` (the server stopping) carries an empty data line.
        const event = data.join('') ? JSON.parse(data.join('\n'))?.data?.relationEvents : undefined;
        if (!event) continue;
        events.push(event);
        if (id) ids.push(id);
      }
    }
  })().catch((error: unknown) => {
    resolveReady(0);
    if (!controller.signal.aborted) throw error;
  });
  return { events, ids, ready, close: () => controller.abort(), done };
}

describe.skipIf(!process.env.TEST_DATABASE_URL)('relation events across three gateway processes (needs TEST_DATABASE_URL)', SLOW, () => {
  let place: Place;
  let gateways: Serving[] = [];
  let admin: string;

  beforeAll(async () => {
    place = await freshPlace();
    // LOG_LEVEL stays info: startServe waits for the "listening on" line.
    const env = { ...place.env, DEMO: 'false' };
    const first = await startServe(env);
    admin = first.output().match(TOKEN)![0];
    gateways = [first, await startServe(env), await startServe(env)];
  }, SLOW.timeout);

  afterAll(async () => {
    await Promise.all(gateways.map((g) => g.stop()));
    await place?.cleanup();
  });

  test(`${SUBSCRIBERS} subscribers in four roles get exactly what each may see, in order, from writes on every face and instance`, async () => {
    const [a, b, c] = gateways.map((g) => g.url);
    const user = async (name: string, isAdmin = false) => {
      const made = await graphql(
        a,
        admin,
        `mutation { createUser(input: {email: "${name}@instances.test", displayName: "${name}", admin: ${isAdmin}}) { ... on CreateUserSuccess { token user { accountId } } } }`,
      );
      return made.body.data.createUser as { token: string; user: { accountId: string } };
    };
    const owner = await user('owner');
    const member = await user('member');
    const stranger = await user('stranger');
    const otherAdmin = await user('boss', true);
    const ok = async (promise: Promise<{ status: number; body: any }>) => {
      const answer = await promise;
      expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(300);
      return answer.body;
    };
    await ok(http(a, 'POST', '/rest/api/space', owner.token, { key: 'OPEN', name: 'Open' }));
    await ok(http(b, 'POST', '/rest/api/space/_private', owner.token, { key: 'CLOSED', name: 'Closed' }));
    await ok(http(c, 'POST', '/rest/api/space', owner.token, { key: 'DOOMED', name: 'Doomed' }));
    const added = await graphql(b, owner.token, `mutation { addSpaceMember(input: {spaceKey: "CLOSED", user: "${member.user.accountId}", level: VIEW}) { __typename } }`);
    expect(added.body.data.addSpaceMember.__typename).toBe('AddSpaceMemberSuccess');
    const page = async (url: string, space: string, title: string) =>
      (await ok(http(url, 'POST', '/rest/api/content', owner.token, { type: 'page', title, space: { key: space } }))).id as string;
    const open1 = await page(a, 'OPEN', 'open one');
    const open2 = await page(b, 'OPEN', 'open two');
    const closed = await page(c, 'CLOSED', 'closed');
    const doomed = await page(a, 'DOOMED', 'doomed');

    // 200 subscribers: 50 per role, round-robin over the three processes, some filtered by name.
    const roles = { admin: [admin, otherAdmin.token], owner: [owner.token], member: [member.token], stranger: [stranger.token] } as const;
    const subscribers = Array.from({ length: SUBSCRIBERS }, (_, i) => {
      const role = (['admin', 'owner', 'member', 'stranger'] as const)[i % 4];
      const tokens = roles[role];
      const onlyLikes = i % 10 === 9;
      const query = `subscription { relationEvents${onlyLikes ? '(name: "likes")' : ''} { id type name } }`;
      return { role, onlyLikes, ...subscribe(gateways[i % 3].url, tokens[i % tokens.length], query) };
    });
    expect(new Set(await Promise.all(subscribers.map((s) => s.ready)))).toEqual(new Set([200]));

    // A stream starts listening when its first message is pulled, which on a busy machine can come seconds after
    // its 200. Probe likes (seen by every role and filter) until every subscriber has had one, then one more,
    // and judge each subscriber only on what comes after that last probe.
    const client = new pg.Client({ connectionString: place.env.DATABASE_URL });
    client.on('error', () => {}); // the database is dropped at the end, with this connection still open if an assertion failed
    await client.connect();
    const newest = async () => Number((await client.query('SELECT coalesce(max(id), 0) AS id FROM relation_events')).rows[0].id);
    const probe = async (n: number) => ok(http(a, 'PUT', `/rest/api/relation/likes/from/user/current/to/content/${await page(a, 'OPEN', `probe ${n}`)}`, owner.token));
    for (let n = 0; subscribers.some((s) => s.events.length === 0); n++) {
      expect(n, 'every subscriber gets a probe within 30 tries').toBeLessThan(30);
      await probe(n);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    await probe(-1);
    const settled = await newest();
    while (subscribers.some((s) => Number(s.events.at(-1)?.id) < settled)) await new Promise((resolve) => setTimeout(resolve, 50));
    const start = new Map(subscribers.map((s) => [s, s.events.length]));

    // Compared as sorted lists: the order inside one cascade follows the foreign keys PostgreSQL walks first; the order
    // across writes is the id order, asserted below (the writes ran one after another).
    const want = (s: (typeof subscribers)[number]) =>
      expected
        .filter((e) => e.roles.includes(s.role) && (!s.onlyLikes || e.name === 'likes'))
        .map((e) => `${e.type} ${e.name}`)
        .sort();
    const after = (s: (typeof subscribers)[number]) => s.events.slice(start.get(s));
    const got = (s: (typeof subscribers)[number]) =>
      after(s)
        .map((e) => `${e.type} ${e.name}`)
        .sort();
    /** Waits (up to 15 s) until every subscriber has had as many events as its role may see of those written so far. */
    const caughtUp = async () => {
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline && subscribers.some((s) => after(s).length < want(s).length)) await new Promise((resolve) => setTimeout(resolve, 100));
    };

    // Each write, on some face and instance, with the roles that may see the event it causes.
    const everyone = ['admin', 'owner', 'member', 'stranger'];
    const insiders = ['admin', 'owner', 'member'];
    const expected: { type: string; name: string; roles: string[] }[] = [];
    const write = async (run: () => Promise<unknown>, events: { type: string; name: string; roles: string[] }[]) => {
      await run();
      expected.push(...events);
    };
    const rel = (url: string, token: string, method: string, name: string, content: string) =>
      ok(http(url, method, `/rest/api/relation/${name}/from/user/current/to/content/${content}`, token));
    await write(() => rel(a, owner.token, 'PUT', 'likes', open1), [{ type: 'CREATED', name: 'likes', roles: everyone }]);
    await write(() => rel(b, owner.token, 'PUT', 'likes', closed), [{ type: 'CREATED', name: 'likes', roles: insiders }]);
    await write(() => rel(c, member.token, 'PUT', 'likes', closed), [{ type: 'CREATED', name: 'likes', roles: insiders }]);
    await write(() => rel(a, stranger.token, 'PUT', 'likes', open2), [{ type: 'CREATED', name: 'likes', roles: everyone }]);
    // A favourite is private: its owner and site admins only.
    await write(async () => {
      const made = await graphql(
        b,
        owner.token,
        `mutation { createRelation(input: {name: "favourite", source: {type: USER, key: "current"}, target: {type: CONTENT, key: "${open1}"}}) { __typename } }`,
      );
      expect(made.body.data.createRelation.__typename).toBe('CreateRelationSuccess');
    }, [{ type: 'CREATED', name: 'favourite', roles: ['admin', 'owner'] }]);
    // The Umbraco face: content to content.
    await write(
      () => ok(http(c, 'POST', '/umbraco/relation', owner.token, { parentId: Number(open1), childId: Number(open2), relationTypeAlias: 'related' })),
      [{ type: 'CREATED', name: 'related', roles: everyone }],
    );
    await write(
      () => ok(http(a, 'POST', '/umbraco/relation', owner.token, { parentId: Number(closed), childId: Number(open2), relationTypeAlias: 'related' })),
      [{ type: 'CREATED', name: 'related', roles: insiders }],
    );
    await write(() => rel(b, owner.token, 'DELETE', 'likes', open1), [{ type: 'DELETED', name: 'likes', roles: everyone }]);
    await write(() => rel(c, owner.token, 'PUT', 'watch', doomed), [{ type: 'CREATED', name: 'watch', roles: everyone }]);
    // Who may see an event is decided when it is delivered (docs/events.md): a subscriber whose instance delivers this
    // watch only after the space below is gone may no longer see it. Wait for it, so the cascade is judged on its own.
    await caughtUp();
    // Cascades: the space goes with its page and the page's watch; an end that no longer exists is for site admins only.
    await write(() => ok(http(a, 'DELETE', '/rest/api/space/DOOMED', owner.token)), [{ type: 'DELETED', name: 'watch', roles: ['admin'] }]);
    // Purging the closed page removes its two likes and its related (in relation id order).
    await write(async () => {
      await ok(http(b, 'DELETE', `/rest/api/content/${closed}`, owner.token));
      await ok(http(c, 'DELETE', `/rest/api/content/${closed}?status=trashed`, owner.token));
    }, [
      { type: 'DELETED', name: 'likes', roles: ['admin'] },
      { type: 'DELETED', name: 'likes', roles: ['admin'] },
      { type: 'DELETED', name: 'related', roles: ['admin'] },
    ]);
    await write(() => rel(a, owner.token, 'PUT', 'likes', open2), [{ type: 'CREATED', name: 'likes', roles: everyone }]);

    await caughtUp();
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // anything extra would arrive now
    for (const s of subscribers) s.close();

    const wrong = subscribers.filter((s) => got(s).join() !== want(s).join());
    expect(wrong.map((s) => ({ role: s.role, onlyLikes: s.onlyLikes, got: got(s), want: want(s) })).slice(0, 3)).toEqual([]);
    for (const s of subscribers) {
      const ids = s.events.map((e) => Number(e.id)); // the probes included
      expect(ids).toEqual([...ids].sort((x, y) => x - y));
      expect(new Set(ids).size).toBe(ids.length);
      expect(s.ids).toEqual(s.events.map((e) => e.id));
    }
    // Every subscriber of a role saw the same ids: one event log, whichever instance served it.
    for (const role of ['admin', 'owner', 'member', 'stranger']) {
      const lists = new Set(
        subscribers
          .filter((s) => s.role === role && !s.onlyLikes)
          .map((s) =>
            after(s)
              .map((e) => e.id)
              .join(),
          ),
      );
      expect(lists.size).toBe(1);
    }
    const { rows } = await client.query('SELECT count(*)::int AS n FROM relation_events WHERE id > $1', [settled]);
    await client.end();
    expect(rows[0].n).toBe(expected.length);
  });
});
