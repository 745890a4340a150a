// How the instances learn of new events (docs/events.md, "Waking the instances"): the gateway sends NOTIFY after
// a write commits, never before and never for a read, coalescing a burst; EVENT_NOTIFY=false sends none; and an
// instance listens only while it has streams to serve.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENTS_CHANNEL } from '../../src/db/announce.js';
import type { Database } from '../../src/db/database.js';
import { eventsOf } from '../../src/events/hub.js';
import { loggerFor } from '../../src/observability/log.js';
import { loadConfig } from '../../src/config.js';
import { freshDatabase } from '../support/database.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const write = (db: Database) => db.prisma.$executeRawUnsafe('UPDATE users SET display_name = display_name WHERE id = -1');

/** Notifications heard on `db`'s channel (on PostgreSQL through a connection of its own, as the hub hears them). */
async function heard(db: Database): Promise<{ count(): number; stop(): Promise<void> }> {
  let count = 0;
  const stop = await db.listen(EVENTS_CHANNEL, () => count++);
  await sleep(300); // LISTEN in effect; its opening counts as one, which is not ours
  const base = count;
  return { count: () => count - base, stop };
}

describe('NOTIFY after writes', () => {
  let db: Database;
  beforeAll(async () => {
    db = await freshDatabase();
  });
  afterAll(() => db?.close());

  it('one after a write commits; none for a read', async () => {
    const ears = await heard(db);
    await db.prisma.$queryRawUnsafe('SELECT 1');
    await sleep(200);
    expect(ears.count()).toBe(0);
    await write(db);
    await sleep(300);
    expect(ears.count()).toBe(1);
    await ears.stop();
  });

  it('a burst of writes shares notifications (at least one, after the last write)', async () => {
    const ears = await heard(db);
    for (let i = 0; i < 30; i++) await write(db);
    await sleep(300);
    expect(ears.count()).toBeGreaterThanOrEqual(1);
    expect(ears.count()).toBeLessThan(30);
    const after = ears.count();
    await sleep(200);
    expect(ears.count()).toBe(after); // nothing trails on
    await ears.stop();
  });

  it('inside a transaction: only once it commits; a rolled-back one sends none', async () => {
    const ears = await heard(db);
    await db.prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe('UPDATE users SET display_name = display_name WHERE id = -1');
      await sleep(300);
      expect(ears.count()).toBe(0);
    });
    await sleep(300);
    expect(ears.count()).toBe(1);
    await expect(
      db.prisma.$transaction(async (tx) => {
        await tx.$executeRawUnsafe('UPDATE users SET display_name = display_name WHERE id = -1');
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await sleep(300);
    expect(ears.count()).toBe(1);
    await ears.stop();
  });
});

describe('EVENT_NOTIFY=false', () => {
  let db: Database;
  beforeAll(async () => {
    db = await freshDatabase({ notifyWrites: false });
  });
  afterAll(() => db?.close());

  it('sends no notification after a write', async () => {
    const ears = await heard(db);
    await write(db);
    await sleep(300);
    expect(ears.count()).toBe(0);
    await ears.stop();
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('listening on demand (needs TEST_DATABASE_URL: counts LISTEN sessions)', () => {
  let db: Database;
  beforeAll(async () => {
    db = await freshDatabase();
  });
  afterAll(() => db?.close());

  const listeners = async () => {
    const [row] = await db.prisma.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %'`,
    );
    return row.n;
  };

  it('no LISTEN while nothing is to be delivered; one once a stream opens', async () => {
    const hub = eventsOf(db, loggerFor(loadConfig({ LOG_LEVEL: 'silent' })));
    hub.onWake(() => {}); // what the webhook worker does at start: the poll runs, but nobody listens yet
    await sleep(600);
    expect(await listeners()).toBe(0);
    const [user] = await db.prisma.user.findMany({ take: 1 });
    const stream = hub.stream({ id: user?.id ?? 1, siteAdmin: true, tokenId: 0 }, { accept: () => true });
    void stream.next();
    await sleep(600);
    expect(await listeners()).toBe(1);
    hub.listenFor('webhooks', true);
    await sleep(100);
    expect(await listeners()).toBe(1); // one connection for every need
    await stream.return?.();
    hub.listenFor('webhooks', false);
  });
});
