// kill -9 of a serving gateway in the middle of a write load, then a restart on the same data: every write
// that was acknowledged is there, nothing is half-written, migrations re-run, and the data-folder lock
// (embedded database) is taken over from the dead holder. PGlite by default, PostgreSQL with TEST_DATABASE_URL.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { freshPlace, startServe, TOKEN, type Place, type Serving } from '../support/processes.js';
import { http, LONG, violations } from './support.js';

const SLOW = { timeout: LONG ? 900_000 : 240_000 };
/** Acknowledged writes to wait for before each kill, and how many kill/restart rounds. */
const ACKS = LONG ? 1500 : 120;
const ROUNDS = LONG ? 3 : 1;
const WORKERS = 12;

const lockHolder = (dataDir: string) => (JSON.parse(readFileSync(join(dataDir, 'gateway.lock'), 'utf8')) as { pid: number }).pid;

interface Acknowledged {
  relations: string[];
  graphqlRelations: string[];
  created: { id: string; title: string }[];
  /** Content edits that answered 200: that version of that content must exist with that title. */
  edits: { id: string; version: number; title: string }[];
}

/** Writes from several workers until the gateway dies; records only what was acknowledged. */
function writeLoad(url: string, token: string, pages: string[], round: number, ack: Acknowledged) {
  let count = 0;
  let dead = false;
  const failures: string[] = [];
  let enough: () => void;
  const ackedEnough = new Promise<void>((resolve) => (enough = resolve));
  const tick = () => ++count >= ACKS && enough();
  const worker = async (w: number) => {
    const own = pages[w % pages.length];
    let version = (await http(url, 'GET', `/rest/api/content/${own}`, token)).body.version.number;
    for (let n = 0; !dead; n++) {
      const kind = (w + n) % 4;
      let status = 0;
      try {
        if (kind === 0) {
          const name = `crash-${round}-${w}-${n}`;
          const r = await http(url, 'PUT', `/rest/api/relation/${name}/from/content/${pages[n % pages.length]}/to/content/${own}`, token);
          if ((status = r.status) === 200) ack.relations.push(`${name} ${pages[n % pages.length]} ${own}`), tick();
        } else if (kind === 1) {
          const name = `crash-gql-${round}-${w}-${n}`;
          const r = await http(url, 'POST', '/graphql', token, {
            query: `mutation($i: RelationInput!) { createRelation(input: $i) { __typename } }`,
            variables: { i: { name, source: { type: 'USER', key: 'current' }, target: { type: 'SPACE', key: 'CRASH' } } },
          });
          if ((status = r.status) === 200 && r.body.data?.createRelation?.__typename === 'CreateRelationSuccess') ack.graphqlRelations.push(name), tick();
        } else if (kind === 2) {
          const title = `Created ${round}-${w}-${n}`;
          const r = await http(url, 'POST', '/rest/api/content', token, { space: { key: 'CRASH' }, title, type: 'page' });
          if ((status = r.status) === 200) ack.created.push({ id: r.body.id, title }), tick();
        } else {
          const title = `Edit ${round}-${w}-${n}`;
          const r = await http(url, 'PUT', `/rest/api/content/${own}`, token, { title, type: 'page', version: { number: version + 1 } });
          if ((status = r.status) === 200) version++, ack.edits.push({ id: own, version, title }), tick();
        }
      } catch {
        dead = true; // the gateway is gone: connection refused or reset
      }
      if (status >= 300 && !dead) failures.push(`kind ${kind}: ${status}`);
    }
  };
  const done = Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
  // The load ends either with enough acknowledged writes, or (a failure) with every worker cut off first.
  const ready = Promise.race([ackedEnough, done.then(() => Promise.reject(new Error(`the gateway stopped after ${count} acknowledged writes`)))]);
  return { ready, failures, stop: () => ((dead = true), done.catch(() => {})) };
}

describe(`kill -9 during a write load (${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, SLOW, () => {
  let place: Place;
  let served: Serving | undefined;
  let token: string;
  const pages: string[] = [];
  const ack: Acknowledged = { relations: [], graphqlRelations: [], created: [], edits: [] };

  beforeAll(async () => {
    place = await freshPlace();
    served = await startServe({ ...place.env, DEMO: 'false' });
    token = served.output().match(TOKEN)![0];
    expect((await http(served.url, 'POST', '/rest/api/space', token, { key: 'CRASH', name: 'Crash' })).status).toBe(200);
    for (let i = 0; i < WORKERS; i++) {
      pages.push((await http(served.url, 'POST', '/rest/api/content', token, { space: { key: 'CRASH' }, title: `Page ${i}`, type: 'page' })).body.id);
    }
  }, SLOW.timeout);

  afterAll(async () => {
    await served?.stop('SIGKILL');
    await place?.cleanup();
  });

  test('every acknowledged write survives the kill and the restart, and nothing is half-written', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const load = writeLoad(served!.url, token, pages, round, ack);
      await load.ready.catch((error: Error) => expect.fail(`${error.message}:\n${served!.output()}`));
      const victim = served!.child.pid;
      const killed = await served!.stop('SIGKILL');
      await load.stop();
      expect(killed).toBeNull(); // no exit code: it died of the signal, mid-load
      expect(load.failures).toEqual([]); // every write before the kill succeeded (each worker edits only its own page)
      // The dead process still holds the folder lock; the restart takes it over and re-runs migrations (a no-op).
      if (place.kind === 'pglite') expect(lockHolder(place.dataDir)).toBe(victim);
      served = await startServe({ ...place.env, DEMO: 'false' });
      if (place.kind === 'pglite') expect(lockHolder(place.dataDir)).toBe(served.child.pid);
      expect(served.output()).not.toMatch(TOKEN); // the admin is still there: no first start again
    }
    const url = served!.url;
    const acknowledged = ack.relations.length + ack.graphqlRelations.length + ack.created.length + ack.edits.length;
    expect(acknowledged).toBeGreaterThanOrEqual(ACKS * ROUNDS);

    for (const entry of ack.relations) {
      const [name, source, target] = entry.split(' ');
      expect((await http(url, 'GET', `/rest/api/relation/${name}/from/content/${source}/to/content/${target}`, token)).status, entry).toBe(200);
    }
    for (const name of ack.graphqlRelations) {
      const r = await http(url, 'GET', `/rest/api/relation/${name}/from/user/current/to/space/CRASH`, token);
      expect(r.status, name).toBe(200);
    }
    for (const { id, title } of ack.created) {
      const r = await http(url, 'GET', `/rest/api/content/${id}?version=1`, token);
      expect([r.status, r.body.title], id).toEqual([200, title]);
    }
    for (const { id, version, title } of ack.edits) {
      const r = await http(url, 'GET', `/rest/api/content/${id}?version=${version}`, token);
      expect([r.status, r.body.title], `${id} v${version}`).toEqual([200, title]);
    }

    expect(await served!.stop('SIGTERM')).toBe(0);
    served = undefined;
    const db = await openDatabase({ databaseUrl: place.env.DATABASE_URL, dataDir: place.dataDir, migrate: false });
    try {
      expect(await violations(db.prisma)).toEqual({});
    } finally {
      await db.close();
    }
  });
});
