// DATABASE_READ_URL with real clusters made by the test (initdb, pg_basebackup -R): read-only statements on the
// replica, the token lookup on the primary, read-your-writes across two instances by WAL position, and a
// replica that goes away and comes back.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { type Database, openDatabase } from '../../src/db/database.js';
import { issueToken } from '../../src/services/tokens.js';
import { insertUser } from '../../src/services/users.js';
import { type Cluster, type Clusters, clustersMissing, startClusters } from '../support/clusters.js';

if (clustersMissing) console.warn(`read replica tests skipped: ${clustersMissing}`);

const SLOW = { timeout: 180_000 };
const PAIRS = 1_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One gateway instance: its own Database (pools, replica polling) and app, like a separate process. */
function instance(db: Database) {
  const app = createApp({ config: loadConfig({ PUBLIC_URL: 'http://gateway.test', LOG_LEVEL: 'silent' }), db });
  const request = async (method: string, path: string, token: string, body?: unknown) => {
    const response = await app.fetch(
      new Request(`http://gateway.test${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const likes = (token: string) =>
    request('POST', '/graphql', token, {
      query: '{ relationsFrom(name: "likes", source: {type: USER, key: "current"}, targetType: CONTENT) { totalCount } }',
    });
  return { db, app, request, likes };
}

async function until(condition: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
    await sleep(20);
  }
}

describe.skipIf(clustersMissing)('read replicas (DATABASE_READ_URL)', SLOW, () => {
  let clusters: Clusters;
  let replica: Cluster;
  let a: ReturnType<typeof instance>;
  let b: ReturnType<typeof instance>;
  let token: string;
  let page: string;
  let stats: pg.Client;

  beforeAll(async () => {
    clusters = await startClusters();
    const admin = new pg.Client({ connectionString: clusters.primary.url('postgres') });
    await admin.connect();
    await admin.query('CREATE DATABASE gateway');
    await admin.query('CREATE EXTENSION pg_stat_statements');
    stats = admin;
    replica = await clusters.addReplica();
    const open = () => openDatabase({ databaseUrl: clusters.primary.url('gateway'), readUrls: [replica.url('gateway')], maxLagMs: 5_000 });
    a = instance(await open());
    b = instance(await open());
    const user = await insertUser(a.db.prisma, { email: 'reader@replicas.test', displayName: 'Reader' });
    ({ token } = await issueToken(a.db.prisma, user.id, 'test'));
    expect((await a.request('POST', '/rest/api/space', token, { key: 'REP', name: 'Replicated' })).status).toBe(200);
    page = (await a.request('POST', '/rest/api/content', token, { type: 'page', title: 'one', space: { key: 'REP' } })).body.id;
    await until(() => a.db.replicas!().replicas[0].healthy && b.db.replicas!().replicas[0].healthy, 10_000);
  }, SLOW.timeout);

  afterAll(async () => {
    await a?.db.close();
    await b?.db.close();
    await stats?.end();
    clusters?.destroy();
  });

  test('a read-only list request sends no statement to the primary besides the token lookup', async () => {
    // Warm: the pools' connections exist and the statements are prepared, and the replica has replayed the writes above.
    for (let i = 0; i < 3; i++) expect((await a.likes(token)).status).toBe(200);
    await sleep(300);
    const before = a.db.replicas!().reads.replica;
    await stats.query('SELECT pg_stat_statements_reset()');
    const answer = await a.likes(token);
    expect(answer.body).toEqual({ data: { relationsFrom: { totalCount: 0 } } });
    const { rows } = await stats.query<{ query: string; calls: string }>(
      `SELECT query, calls FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'gateway')`,
    );
    console.log(`statements at the primary for one list request: ${rows.map((r) => `${r.calls} × ${r.query.slice(0, 60)}`).join('; ')}`);
    expect(rows).toHaveLength(1);
    expect(rows[0].query).toMatch(/FROM api_tokens t JOIN users u/);
    expect(Number(rows[0].calls)).toBe(1);
    expect(a.db.replicas!().reads.replica).toBeGreaterThan(before);
  });

  test(`${PAIRS} pairs "write on instance A, then read as the same caller on instance B": no stale read`, async () => {
    const path = `/rest/api/relation/likes/from/user/current/to/content/${page}`;
    const before = b.db.replicas!().reads;
    let stale = 0;
    for (let i = 0; i < PAIRS; i++) {
      // Writes alternate: the relation exists after even pairs' writes, not after odd ones'.
      const wrote = await a.request(i % 2 === 0 ? 'PUT' : 'DELETE', path, token);
      expect(wrote.status).toBeLessThan(300);
      // Now and then the reader comes a little later, when the replica has replayed the write: then it serves it.
      if (i % 10 === 9) await sleep(150);
      const read = await b.likes(token);
      expect(read.status).toBe(200);
      if (read.body.data.relationsFrom.totalCount !== (i % 2 === 0 ? 1 : 0)) stale++;
    }
    const after = b.db.replicas!().reads;
    const onReplica = after.replica - before.replica;
    const onPrimary = after.primary - before.primary;
    console.log(`${PAIRS} write/read pairs: ${stale} stale reads; instance B's reads: ${onReplica} on the replica, ${onPrimary} on the primary`);
    expect(stale).toBe(0);
    // The replica did serve this caller (after the pauses): the pairs exercised routing, not just the primary.
    expect(onReplica).toBeGreaterThan(0);
  });

  test('a replica stopped mid-run: reads go to the primary within 1 s, no 5xx; started again: used again', async () => {
    const statuses: number[] = [];
    const served: { at: number; where: 'replica' | 'primary' }[] = [];
    let running = true;
    const reader = (async () => {
      while (running) {
        const before = a.db.replicas!().reads.replica;
        const answer = await a.likes(token);
        statuses.push(answer.status);
        served.push({ at: Date.now(), where: a.db.replicas!().reads.replica > before ? 'replica' : 'primary' });
        await sleep(10);
      }
    })();
    await sleep(1_000);
    const stoppedAt = Date.now();
    replica.stop();
    await sleep(2_000);
    replica.start();
    const startedAt = Date.now();
    await until(() => served.some((s) => s.at > startedAt && s.where === 'replica'), 10_000);
    running = false;
    await reader;
    const late = served.filter((s) => s.at >= stoppedAt + 1_000 && s.at < startedAt);
    const backAfter = served.find((s) => s.at > startedAt && s.where === 'replica')!.at - startedAt;
    console.log(
      `replica stop/start: ${statuses.length} reads, ${statuses.filter((s) => s >= 500).length} 5xx; ` +
        `${served.filter((s) => s.at < stoppedAt && s.where === 'replica').length} on the replica before the stop, ` +
        `${late.filter((s) => s.where === 'replica').length} of ${late.length} on it from 1 s after the stop, back on it ${backAfter} ms after the start`,
    );
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(served.some((s) => s.at < stoppedAt && s.where === 'replica')).toBe(true);
    expect(late.length).toBeGreaterThan(10);
    expect(late.every((s) => s.where === 'primary')).toBe(true);
  });

  test('a replica lagging beyond REPLICA_MAX_LAG_MS is skipped, and used again once it has caught up', async () => {
    const c = instance(await openDatabase({ databaseUrl: clusters.primary.url('gateway'), readUrls: [replica.url('gateway')], maxLagMs: 300 }));
    const onReplica = c.db.replicas!;
    // A caller that never wrote through the gateway: only the lag can keep its reads off the replica.
    const user = await insertUser(c.db.prisma, { email: 'idle@replicas.test', displayName: 'Idle' });
    const idle = (await issueToken(c.db.prisma, user.id, 'test')).token;
    const standby = new pg.Client({ connectionString: replica.url('postgres') });
    await standby.connect();
    try {
      await until(() => onReplica().replicas[0].healthy, 10_000);
      await standby.query('SELECT pg_wal_replay_pause()');
      // A write the paused replica receives but does not replay: from now on it falls behind.
      expect((await a.request('PUT', `/rest/api/relation/watch/from/user/current/to/content/${page}`, token)).status).toBeLessThan(300);
      const pausedAt = Date.now();
      await until(() => !onReplica().replicas[0].healthy, 5_000);
      const skippedAfter = Date.now() - pausedAt;
      const lagged = Math.round(onReplica().replicas[0].lagMs);
      const bossUser = await insertUser(c.db.prisma, { email: 'boss@replicas.test', displayName: 'Boss', admin: true });
      const boss = (await issueToken(c.db.prisma, bossUser.id, 'test')).token;
      const metrics = async () => (await c.app.fetch(new Request('http://gateway.test/metrics', { headers: { authorization: `Bearer ${boss}` } }))).text();
      expect(await metrics()).toMatch(new RegExp(`db_replica_healthy\\{replica="127.0.0.1:${replica.port}/gateway"\\} 0`));
      const before = onReplica().reads;
      for (let i = 0; i < 20; i++) expect((await c.likes(idle)).status).toBe(200);
      const during = onReplica().reads;
      await standby.query('SELECT pg_wal_replay_resume()');
      const resumedAt = Date.now();
      await until(() => onReplica().replicas[0].healthy, 5_000);
      const backAfter = Date.now() - resumedAt;
      for (let i = 0; i < 5; i++) expect((await c.likes(idle)).status).toBe(200);
      const after = onReplica().reads;
      expect(await metrics()).toMatch(new RegExp(`db_replica_healthy\\{replica="127.0.0.1:${replica.port}/gateway"\\} 1`));
      expect(await metrics()).toMatch(/db_routed_reads_total\{server="replica"\} [1-9]/);
      console.log(
        `REPLICA_MAX_LAG_MS=300: replica skipped ${skippedAfter} ms after replay paused (lag then ${lagged} ms); ` +
          `20 list requests meanwhile: ${during.replica - before.replica} reads on the replica, ${during.primary - before.primary} on the primary; ` +
          `used again ${backAfter} ms after replay resumed`,
      );
      expect(during.replica - before.replica).toBe(0);
      expect(after.replica - during.replica).toBeGreaterThan(0);
    } finally {
      await standby.query('SELECT pg_wal_replay_resume()').catch(() => {});
      await standby.end();
      await c.db.close();
    }
  });

  test('a token revoked on instance A fails on its next request on instance B', async () => {
    const made = await a.request('POST', '/graphql', token, {
      query: 'mutation { createApiToken(input: {name: "short-lived"}) { ... on CreateApiTokenSuccess { token apiToken { id } } } }',
    });
    const { token: second, apiToken } = made.body.data.createApiToken;
    expect((await b.likes(second)).status).toBe(200);
    const revoked = await a.request('POST', '/graphql', token, { query: `mutation { revokeApiToken(input: {id: ${apiToken.id}}) { __typename } }` });
    expect(revoked.body.data.revokeApiToken.__typename).toBe('RevokeApiTokenSuccess');
    // At once, although the replica may not have replayed the revocation yet: the token lookup runs on the primary.
    expect((await b.likes(second)).status).toBe(401);
  });
});
