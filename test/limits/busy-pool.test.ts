// A write that finds every pooled connection busy waits for one, as long as a read would (up to 15 s),
// instead of failing with a 500 when Prisma's own 2 s transaction wait runs out, or with a 503 when the
// pool's queue gave up at the 5 s meant for opening a connection. 1500 concurrent mixed writes on a busy
// machine found both (test/reliability/mixed-writes.test.ts on PostgreSQL). Here the pool has one
// connection, held by sleeping queries: a steady queue of them makes each statement wait about 3 s, and
// one 7 s sleep makes a request wait past 5 s.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

/** Queries always queued for the connection, each holding it this long: every statement waits ~3 s. */
const SLEEPERS = 10;
const SLEEP_SECONDS = 0.3;

describe.runIf(process.env.TEST_DATABASE_URL)('writes while the only pooled connection is busy (PG_POOL_MAX=1, PostgreSQL)', () => {
  let t: TestApp;
  const pages: string[] = [];

  beforeAll(async () => {
    const before = process.env.PG_POOL_MAX;
    process.env.PG_POOL_MAX = '1';
    try {
      t = await createTestApp();
    } finally {
      if (before === undefined) delete process.env.PG_POOL_MAX;
      else process.env.PG_POOL_MAX = before;
    }
    for (const key of ['BUSY', 'GONE']) {
      expect((await t.request('/rest/api/space', { method: 'POST', token: t.admin.token, json: { key, name: key } })).status).toBe(200);
    }
    for (const title of ['Edited', 'Trashed']) {
      const page = await t.request('/rest/api/content', { method: 'POST', token: t.admin.token, json: { space: { key: 'BUSY' }, title, type: 'page' } });
      pages.push(((await page.json()) as { id: string }).id);
    }
  });
  afterAll(() => t?.close());

  /** Keeps SLEEPERS queries queued for the connection until stopped. */
  async function keepThePoolBusy(): Promise<{ stop: () => Promise<void> }> {
    let busy = true;
    const sleeper = async () => {
      while (busy) await t.db.prisma.$queryRawUnsafe(`SELECT 1 AS slept FROM pg_sleep(${SLEEP_SECONDS})`);
    };
    const sleepers = Array.from({ length: SLEEPERS }, sleeper);
    for (let i = 0; i < 100 && (t.db.pool().waiting ?? 0) < SLEEPERS - 1; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(t.db.pool().waiting).toBe(SLEEPERS - 1);
    return {
      stop: async () => {
        busy = false;
        await Promise.all(sleepers);
      },
    };
  }

  test('a content edit, a trash and a space deletion wait their turn and succeed', { timeout: 60_000 }, async () => {
    const busy = await keepThePoolBusy();
    const [edit, trash, deletion] = await Promise.all([
      t.graphql(`mutation($i: UpdateContentInput!) { updateContent(input: $i) { __typename } }`, { i: { id: pages[0], title: 'Edited again' } }, t.admin.token),
      t.request(`/rest/api/content/${pages[1]}`, { method: 'DELETE', token: t.admin.token }),
      t.request('/rest/api/space/GONE', { method: 'DELETE', token: t.admin.token }),
    ]);
    await busy.stop();
    expect(edit.body).toEqual({ data: { updateContent: { __typename: 'UpdateContentSuccess' } } });
    expect(trash.status).toBe(200);
    expect(((await trash.json()) as { status: string }).status).toBe('trashed');
    expect(deletion.status).toBe(202);
    const versions = await t.db.prisma.contentVersion.findMany({ where: { contentId: { in: pages.map(Number) } }, orderBy: [{ contentId: 'asc' }, { number: 'asc' }] });
    expect(versions.map((v) => [v.number, v.title, v.status])).toEqual([
      [1, 'Edited', 'current'],
      [2, 'Edited again', 'current'],
      [1, 'Trashed', 'current'],
      [2, 'Trashed', 'trashed'],
    ]);
  });
  test('a request queued for 7 s behind a busy connection is answered, not refused with a 503', { timeout: 30_000 }, async () => {
    // 7 s: longer than the 5 s a new connection may take to open, shorter than the 15 s a queued statement may wait.
    const held = t.db.prisma.$queryRawUnsafe('SELECT 1 AS slept FROM pg_sleep(7)');
    const holding = held.then(() => undefined);
    for (let i = 0; i < 100 && t.db.pool().idle !== 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(t.db.pool()).toMatchObject({ total: 1, idle: 0 });
    const started = performance.now();
    const response = await t.request('/rest/api/user/current', { token: t.admin.token });
    expect(response.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThan(5_000);
    await holding;
  });
});
