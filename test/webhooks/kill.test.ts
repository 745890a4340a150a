// kill -9 of a gateway in the middle of webhook deliveries to a slow receiver, then a restart on the same database:
// every event is still delivered at least once (the one in flight at the kill again, under the same webhook-id),
// in event order. The queue lives in the database; the dead instance's lease runs out and the new one takes over.
// PGlite by default, PostgreSQL with TEST_DATABASE_URL.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { http } from '../reliability/support.js';
import { freshPlace, startServe, TOKEN, type Place, type Serving } from '../support/processes.js';
import { eventually, type Receiver, startReceiver, verified } from './receiver.js';

const EVENTS = 12;
const KILL_AFTER = 4;

describe(`kill -9 during webhook deliveries (${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, { timeout: 180_000 }, () => {
  let place: Place;
  let served: Serving | undefined;
  let receiver: Receiver;
  let env: Record<string, string>;

  beforeAll(async () => {
    place = await freshPlace();
    receiver = await startReceiver();
    env = { ...place.env, DEMO: 'false', WEBHOOK_ALLOW_HOSTS: '127.0.0.1', WEBHOOK_RETRY_SCALE: '0.01' };
  });

  afterAll(async () => {
    await served?.stop('SIGKILL');
    await receiver?.close();
    await place?.cleanup();
  });

  test('every event written through the faces reaches the receiver at least once, in order, across the kill', async () => {
    served = await startServe(env);
    const token = served.output().match(TOKEN)![0];
    const url = served.url;
    expect((await http(url, 'POST', '/rest/api/space', token, { key: 'HOOK', name: 'Hooks' })).status).toBe(200);
    const page = (await http(url, 'POST', '/rest/api/content', token, { space: { key: 'HOOK' }, title: 'Target', type: 'page' })).body.id;
    const created = await http(url, 'POST', '/rest/api/webhooks', token, { name: 'slow', url: `${receiver.url}/slow`, events: ['CREATED', 'DELETED'] });
    expect(created.status).toBe(201);
    const { secret } = created.body;

    // Slow until the kill: the request in flight when the gateway dies was never answered, so it is sent again.
    let slow = true;
    receiver.answer = () => ({ status: 200, delayMs: slow ? 1_000 : 20 });
    const names: string[] = [];
    for (let i = 0; i < EVENTS; i++) {
      const name = `k${i}`;
      names.push(name);
      if (i % 2 === 0) {
        expect((await http(url, 'PUT', `/rest/api/relation/${name}/from/user/current/to/content/${page}`, token)).status).toBe(200);
      } else {
        const answer = await http(url, 'POST', '/graphql', token, {
          query: 'mutation($i: RelationInput!) { createRelation(input: $i) { __typename } }',
          variables: { i: { name, source: { type: 'USER', key: 'current' }, target: { type: 'SPACE', key: 'HOOK' } } },
        });
        expect(answer.body.data?.createRelation.__typename).toBe('CreateRelationSuccess');
      }
    }
    await eventually(() => receiver.received.length >= KILL_AFTER, 'the first deliveries', 30_000);
    expect(await served.stop('SIGKILL')).toBeNull();
    const beforeKill = receiver.received.length;
    expect(beforeKill).toBeLessThan(EVENTS);
    slow = false;

    served = await startServe(env);
    // One more event after the restart, through the restarted gateway.
    expect((await http(served.url, 'DELETE', `/rest/api/relation/k0/from/user/current/to/content/${page}`, token)).status).toBe(204);
    const unique = () => new Set(receiver.received.map((r) => r.headers['webhook-id'])).size;
    await eventually(() => unique() >= EVENTS + 1, 'every event after the restart', 90_000);

    const payloads = receiver.received.map((request) => ({ id: request.headers['webhook-id'], payload: verified(secret, request) }));
    // Redeliveries repeat the request just before them: collapsed, the ids strictly increase and name every event once.
    const collapsed = payloads.filter((p, i) => i === 0 || p.id !== payloads[i - 1].id);
    const ids = collapsed.map((p) => Number(p.payload.data.eventId));
    expect(ids).toEqual([...new Set(ids)].sort((a, b) => a - b));
    expect(collapsed.map((p) => `${p.payload.type}:${p.payload.data.name}`)).toEqual([...names.map((name) => `relation.created:${name}`), 'relation.deleted:k0']);
    // The attempt cut short by the kill was made again under the same webhook-id.
    expect(payloads.length).toBeGreaterThan(collapsed.length);
    expect(new Set(payloads.map((p) => p.id)).size).toBe(collapsed.length);
  });
});
