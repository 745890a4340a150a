// Idempotent create across gateway processes: several instances serve one PostgreSQL database.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { freshPlace, startServe, TOKEN, type Place, type Serving } from '../support/processes.js';
import { http, LONG } from './support.js';

const SLOW = { timeout: 180_000 };
const PUTS = LONG ? 1000 : 200;

describe.skipIf(!process.env.TEST_DATABASE_URL)('two gateway processes on one PostgreSQL (needs TEST_DATABASE_URL)', SLOW, () => {
  let place: Place;
  let gateways: Serving[] = [];
  let token: string;

  beforeAll(async () => {
    place = await freshPlace();
    const env = { ...place.env, DEMO: 'false' };
    const first = await startServe(env);
    token = first.output().match(TOKEN)![0];
    gateways = [first, await startServe(env)];
  }, SLOW.timeout);

  afterAll(async () => {
    await Promise.all(gateways.map((g) => g.stop()));
    await place?.cleanup();
  });

  test(`${PUTS} concurrent PUTs of one relation over both processes make one row and ${PUTS} equal answers`, async () => {
    const [a, b] = gateways.map((g) => g.url);
    expect((await http(a, 'POST', '/rest/api/space', token, { key: 'RACE', name: 'Race' })).status).toBe(200);
    const page = await http(b, 'POST', '/rest/api/content', token, { space: { key: 'RACE' }, title: 'Contended', type: 'page' });
    expect(page.status).toBe(200);
    const path = `/rest/api/relation/likes/from/user/current/to/content/${page.body.id}`;

    const answers = await Promise.all(Array.from({ length: PUTS }, (_, i) => http(i % 2 ? a : b, 'PUT', `${path}?expand=relationData,target`, token)));

    expect(answers.map((r) => r.status)).toEqual(Array(PUTS).fill(200));
    const created = new Set(answers.map((r) => r.body.relationData.createdDate));
    expect(created.size).toBe(1);
    expect(new Set(answers.map((r) => r.body.target.id))).toEqual(new Set([page.body.id]));

    const client = new pg.Client({ connectionString: place.env.DATABASE_URL });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT name, created_at FROM relations');
      expect(rows).toHaveLength(1);
      expect(rows[0].name).toBe('likes');
      expect(rows[0].created_at.toISOString()).toBe([...created][0]);
    } finally {
      await client.end();
    }
    // A GET from either process reads the same relation.
    for (const url of [a, b]) {
      const read = await http(url, 'GET', `${path}?expand=relationData`, token);
      expect(read.body.relationData.createdDate).toBe([...created][0]);
    }
  });
});
