// Gateway processes behind a real pgbouncer: transaction mode with PG_PREPARED_STATEMENTS=false, transaction mode
// with prepared statements left on (the gateway notices and switches to unnamed statements), session mode, and
// a pgbouncer 1.21 or later that keeps prepared statements in transaction mode (PG_PREPARED_STATEMENTS=pooled).
// LISTEN and the migrations' advisory lock use the direct DATABASE_LISTEN_URL.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { freshPlace, startServe, TOKEN, type Place, type Serving } from '../support/processes.js';
import { pgbouncerMissing, pgbouncerVersion, preparedPgbouncerMissing, startPgbouncer, type Pgbouncer } from '../support/pgbouncer.js';
import { driveFaces, hotReads, makeWorld } from './faces.js';

const base = process.env.TEST_DATABASE_URL;
const skip = pgbouncerMissing ?? (base ? undefined : 'needs a PostgreSQL server behind pgbouncer (TEST_DATABASE_URL)');
if (skip) console.warn(`pgbouncer tests skipped: ${skip}`);
const skipPooled = skip ?? preparedPgbouncerMissing;
if (!skip && skipPooled) console.warn(`pgbouncer test of PG_PREPARED_STATEMENTS=pooled skipped: ${skipPooled}`);

const SLOW = { timeout: 120_000 };
const HOT_READS = 400;

describe.skipIf(skip)('behind pgbouncer', SLOW, () => {
  let place: Place;
  let admin: string;
  const bouncers: Pgbouncer[] = [];
  const gateways: Serving[] = [];

  beforeAll(async () => {
    place = await freshPlace();
    // The first start, direct: creates the site admin and prints its token.
    const first = await startServe({ ...place.env, DEMO: 'false' });
    admin = first.output().match(TOKEN)![0];
    await first.stop();
  }, SLOW.timeout);

  afterAll(async () => {
    await Promise.all(gateways.map((g) => g.stop()));
    await Promise.all(bouncers.map((b) => b.stop()));
    await place?.cleanup();
  });

  async function behind(mode: 'session' | 'transaction', env: Record<string, string>, maxPreparedStatements = 0): Promise<Serving & { bouncer: Pgbouncer }> {
    const bouncer = await startPgbouncer(place.env.DATABASE_URL, mode, { maxPreparedStatements });
    bouncers.push(bouncer);
    const gateway = await startServe({
      ...place.env,
      // A data folder of its own: the folder's lock is held by the gateway using it.
      DATA_DIR: mkdtempSync(join(tmpdir(), 'rg-pgbouncer-gw-')),
      DEMO: 'false',
      DATABASE_URL: bouncer.url(place.env.DATABASE_URL),
      DATABASE_LISTEN_URL: place.env.DATABASE_URL,
      ...env,
    });
    gateways.push(gateway);
    return Object.assign(gateway, { bouncer });
  }

  /** pgbouncer's counters (admin console, SHOW STATS) for the gateway's database. */
  async function stats(bouncer: Pgbouncer): Promise<Record<string, number>> {
    const client = new pg.Client({ connectionString: bouncer.url(place.env.DATABASE_URL).replace(/\/[^/?]*(\?|$)/, '/pgbouncer$1') });
    await client.connect();
    try {
      const { rows } = await client.query('SHOW STATS');
      const row = rows.find((r) => r.database === new URL(place.env.DATABASE_URL).pathname.slice(1));
      return Object.fromEntries(Object.entries(row ?? {}).map(([key, value]) => [key, Number(value)]));
    } finally {
      await client.end();
    }
  }

  test(`transaction mode, PG_PREPARED_STATEMENTS=false: the three faces' happy paths, ${HOT_READS} hot reads without a failure`, async () => {
    const gateway = await behind('transaction', { PG_PREPARED_STATEMENTS: 'false' });
    const world = await makeWorld(gateway.url, admin, 'unnamed');
    await driveFaces(gateway.url, world);
    const failures = await hotReads(gateway.url, world, HOT_READS);
    console.log(`pgbouncer transaction mode, unnamed statements: ${failures} of ${HOT_READS} hot reads failed`);
    expect(failures).toBe(0);
    expect(gateway.output()).not.toContain('Named prepared statements fail');
  });

  test(`transaction mode, prepared statements left on: detected and healed, ${HOT_READS} hot reads without a failure`, async () => {
    const gateway = await behind('transaction', {});
    const world = await makeWorld(gateway.url, admin, 'named');
    const failures = await hotReads(gateway.url, world, HOT_READS);
    await driveFaces(gateway.url, world);
    console.log(`pgbouncer transaction mode, prepared statements on: ${failures} of ${HOT_READS} hot reads failed`);
    expect(failures).toBe(0);
    // Logged once, however many statements failed before the switch.
    expect(gateway.output().split('Named prepared statements fail').length - 1).toBe(1);
  });

  test.skipIf(skipPooled)(
    `pgbouncer ${pgbouncerVersion(true)}, transaction mode, PG_PREPARED_STATEMENTS=pooled: the three faces, ${HOT_READS} hot reads, statements prepared once per server connection`,
    async () => {
      const gateway = await behind('transaction', { PG_PREPARED_STATEMENTS: 'pooled' }, 100);
      const world = await makeWorld(gateway.url, admin, 'pooled');
      await driveFaces(gateway.url, world);
      const before = await stats(gateway.bouncer);
      const failures = await hotReads(gateway.url, world, HOT_READS);
      const after = await stats(gateway.bouncer);
      const binds = after.total_bind_count - before.total_bind_count;
      const parses = after.total_server_parse_count - before.total_server_parse_count;
      console.log(
        `pgbouncer ${pgbouncerVersion(true)} transaction mode, pooled statements: ${failures} of ${HOT_READS} hot reads failed; ${binds} binds, ${parses} server parses`,
      );
      expect(failures).toBe(0);
      expect(gateway.output()).not.toContain('Named prepared statements fail');
      // Every hot read binds named statements (the token lookup and the page: two per read)...
      expect(binds).toBeGreaterThanOrEqual(2 * HOT_READS);
      // ...which pgbouncer prepared on a server connection only where that connection lacked them: at most the
      // handful of hot statements on each of its 20 server connections, not once per execution as unnamed ones are.
      expect(parses).toBeLessThanOrEqual(20 * 4);
    },
  );

  test('session mode as is: named prepared statements work', async () => {
    const gateway = await behind('session', {});
    const world = await makeWorld(gateway.url, admin, 'session');
    await driveFaces(gateway.url, world);
    expect(await hotReads(gateway.url, world, 100)).toBe(0);
    expect(gateway.output()).not.toContain('Named prepared statements fail');
  });
});
