// The database going away: every face answers 503 in its own format, promptly; service resumes when it returns.
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { issueToken } from '../../src/services/tokens.js';
import { insertUser } from '../../src/services/users.js';
import { BASE, createTestApp } from '../support/app.js';
import { admin, freshDatabaseName } from '../support/database.js';
import { databaseUrl, ensurePgTemplate } from '../support/templates.js';
import { expectConfluenceError, expectGraphQLErrors, expectUmbracoError } from '../hostile/faces.js';

/** The promise: an unavailable database is answered within the pool's connect timeout (src/db/database.ts). */
const BOUND_MS = 5_000;

type Send = (path: string, init?: RequestInit) => Promise<Response>;

/** One request per face, each expected to be a 503 with Retry-After in the face's format. */
async function expectUnavailable(send: Send, token: string): Promise<number[]> {
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const calls: [string, RequestInit, (body: any) => void][] = [
    ['/graphql', { method: 'POST', headers: auth, body: JSON.stringify({ query: '{ me { displayName } }' }) }, (b) => expectGraphQLErrors(b, 'UNAVAILABLE')],
    ['/rest/api/user/current', { headers: auth }, (b) => expectConfluenceError(b, 503)],
    ['/wiki/rest/api/space', { headers: auth }, (b) => expectConfluenceError(b, 503)],
    ['/umbraco/relation/type', { headers: auth }, (b) => expectUmbracoError(b)],
  ];
  const elapsed: number[] = [];
  for (const [path, init, expectFormat] of calls) {
    const started = performance.now();
    const response = await send(path, init);
    elapsed.push(performance.now() - started);
    expect(response.status, path).toBe(503);
    expect(response.headers.get('retry-after'), path).toBe('1');
    expectFormat(await response.json());
  }
  const ready = await send('/readyz');
  expect(ready.status).toBe(503);
  expect((await send('/healthz')).status).toBe(200);
  return elapsed;
}

describe('a closed database', () => {
  it('is a 503 on /readyz and on every face, with /healthz still 200', async () => {
    const t = await createTestApp();
    const send: Send = (path, init) => Promise.resolve(t.app.fetch(new Request(BASE + path, init)));
    expect((await send('/readyz')).status).toBe(200);
    await t.db.close();
    const elapsed = await expectUnavailable(send, t.admin.token);
    for (const ms of elapsed) expect(ms).toBeLessThan(BOUND_MS);
  });
});

/** A TCP relay to PostgreSQL that the test can cut (the database "goes away") and restore on the same port. */
class Relay {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;
  constructor(
    private readonly host: string,
    private readonly upstreamPort: number,
  ) {}

  /** `blackhole`: accept connections and never answer (an unreachable host). */
  async start(mode: 'forward' | 'blackhole' = 'forward'): Promise<void> {
    const server = createServer((client) => {
      this.track(client);
      if (mode === 'blackhole') return;
      const upstream = this.track(connect(this.upstreamPort, this.host));
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  private track(socket: Socket): Socket {
    this.sockets.add(socket);
    socket.on('error', () => socket.destroy()).on('close', () => this.sockets.delete(socket));
    return socket;
  }
}

const base = process.env.TEST_DATABASE_URL;

describe.runIf(base)('PostgreSQL going away and coming back (through a TCP relay)', () => {
  const name = freshDatabaseName('degrade_');
  let relay: Relay;
  let db: Database;
  let token: string;
  let send: Send;

  beforeAll(async () => {
    await admin(base!, `CREATE DATABASE "${name}" TEMPLATE "${await ensurePgTemplate(base!)}"`);
    const target = new URL(base!);
    relay = new Relay(target.hostname, Number(target.port || 5432));
    await relay.start();
    const url = new URL(databaseUrl(base!, name));
    url.hostname = '127.0.0.1';
    url.port = String(relay.port);
    db = await openDatabase({ databaseUrl: url.toString(), migrate: false });
    const app = createApp({ config: loadConfig({ PUBLIC_URL: BASE, LOG_LEVEL: 'silent' }), db });
    send = (path, init) => Promise.resolve(app.fetch(new Request(BASE + path, init)));
    const user = await insertUser(db.prisma, { email: 'degrade@example.com', displayName: 'Degrade', admin: true });
    ({ token } = await issueToken(db.prisma, user.id, 'test'));
  });

  afterAll(async () => {
    await relay?.stop();
    await db?.close().catch(() => {});
    await admin(base!, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });

  async function expectServing(): Promise<void> {
    const auth = { authorization: `Bearer ${token}` };
    expect((await send('/readyz')).status).toBe(200);
    const me = await send('/graphql', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ me { displayName } }' }),
    });
    expect((await me.json()).data.me.displayName).toBe('Degrade');
    expect((await send('/rest/api/user/current', { headers: auth })).status).toBe(200);
    expect((await send('/umbraco/relation/type', { headers: auth })).status).toBe(200);
  }

  /** Polls /readyz: the pool reconnects on demand, nothing needs restarting. */
  async function waitUntilReady(): Promise<void> {
    for (let i = 0; i < 50 && (await send('/readyz')).status !== 200; i++) await new Promise((r) => setTimeout(r, 100));
  }

  it('serves normally while the database is there (the pool holds open connections)', async () => {
    await Promise.all(Array.from({ length: 5 }, () => expectServing()));
  });

  it('answers 503 on every face, within the bound, once the database is gone, and does not crash on the dropped connections', async () => {
    await relay.stop();
    const elapsed = await expectUnavailable(send, token);
    for (const ms of elapsed) expect(ms).toBeLessThan(BOUND_MS);
  });

  it('resumes by itself when the database returns', async () => {
    await relay.start();
    await waitUntilReady();
    await expectServing();
  });

  it('answers 503 within the connect timeout when the database host accepts connections but never answers', async () => {
    await relay.stop();
    await relay.start('blackhole');
    // Twice: the first may meet a pooled connection the relay just cut; the second must open a new one.
    for (let i = 0; i < 2; i++) {
      const started = performance.now();
      const response = await send('/rest/api/user/current', { headers: { authorization: `Bearer ${token}` } });
      expect(performance.now() - started).toBeLessThan(BOUND_MS + 2_000);
      expect(response.status).toBe(503);
      expectConfluenceError(await response.json(), 503);
    }
    await relay.stop();
    await relay.start();
    await waitUntilReady();
    await expectServing();
  }, 30_000);
});
