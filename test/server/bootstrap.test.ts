// The first start on an empty database creates the admin and prints its token, once.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { freshPlace, graphql, runCli, startServe, TOKEN, type Place } from '../support/processes.js';

const SLOW = { timeout: 120_000 };

const FAVOURITES = `{
  relationsFrom(name: "favourite", source: { type: USER, key: "current" }, targetType: CONTENT, first: 10) {
    nodes { target { ... on Content { title } } }
  }
}`;

describe('first start', SLOW, () => {
  // The first start happens once, in beforeAll, on a fresh place; its output, token, `me` answer and exit code are
  // kept for the first test. The later tests each start the gateway again on that place (a later start creates
  // nothing), so every one of them runs after the first start whatever the order (`--sequence.shuffle`).
  let place: Place;
  let token: string;
  let firstTokens: string[];
  let firstOutput: string;
  let firstUrl: string;
  let firstMe: { status: number; body: any };
  let firstCode: number | null;

  beforeAll(async () => {
    place = await freshPlace();
    const served = await startServe(place.env);
    try {
      firstTokens = served.output().match(TOKEN) ?? [];
      firstUrl = served.url;
      if (!firstTokens[0]) throw new Error(`no admin token in the first-start banner:\n${served.output()}`);
      token = firstTokens[0];
      await served.printed(`GraphiQL: ${served.url}/graphql`);
      firstMe = await graphql(served.url, token, '{ me { email displayName siteAdmin } }');
    } finally {
      firstCode = await served.stop();
      firstOutput = served.output();
    }
  }, SLOW.timeout);
  afterAll(async () => place?.cleanup());

  test('prints one admin token that authenticates as the site admin', () => {
    expect(firstTokens).toHaveLength(1);
    expect(firstOutput).toContain('Created the site admin admin@example.com');
    expect(firstOutput).toContain(`GraphiQL: ${firstUrl}/graphql`);
    expect(firstMe.status).toBe(200);
    expect(firstMe.body).toEqual({ data: { me: { email: 'admin@example.com', displayName: 'Site Admin', siteAdmin: true } } });
    expect(firstOutput).toContain('Stopped cleanly');
    expect(firstCode).toBe(0);
  });

  test('loads the demo data on the embedded database only, so the GraphiQL example answers there', async () => {
    const served = await startServe(place.env);
    try {
      const demo = await graphql(served.url, token, '{ space(key: "DEMO") { key } }');
      const favourites = await graphql(served.url, token, FAVOURITES);
      if (place.kind === 'pglite') {
        expect(demo.body.data).toEqual({ space: { key: 'DEMO' } });
        const titles = favourites.body.data.relationsFrom.nodes.map((n: any) => n.target.title);
        expect(titles).toEqual(['System architecture', 'Roadmap 2025 (Q3 update)']);
      } else {
        expect(demo.body.data).toEqual({ space: null });
        expect(favourites.body.data.relationsFrom.nodes).toEqual([]);
      }
    } finally {
      await served.stop();
    }
  });

  test('a second start prints no token and the first one still works', async () => {
    const served = await startServe(place.env);
    try {
      expect(served.output()).not.toMatch(TOKEN);
      expect(served.output()).not.toContain('Created the site admin');
      const me = await graphql(served.url, token, '{ me { email } }');
      expect(me.body).toEqual({ data: { me: { email: 'admin@example.com' } } });
    } finally {
      await served.stop();
    }
  });

  test('DEMO=false and ADMIN_EMAIL: the first start creates that admin and no demo data', async () => {
    const empty = await freshPlace();
    const served = await startServe({ ...empty.env, DEMO: 'false', ADMIN_EMAIL: 'boss@example.org' });
    try {
      const [adminToken]: string[] = served.output().match(TOKEN) ?? [];
      expect(served.output()).toContain('Created the site admin boss@example.org');
      const demo = await graphql(served.url, adminToken, '{ me { email } space(key: "DEMO") { key } }');
      expect(demo.body.data).toEqual({ me: { email: 'boss@example.org' }, space: null });
      expect(served.output()).not.toContain('Loaded demo data');
    } finally {
      await served.stop();
      await empty.cleanup();
    }
  });

  test('after `migrate` alone, the first serve still creates the admin (and the demo data when embedded)', async () => {
    const migrated = await freshPlace();
    try {
      expect((await runCli(['migrate'], migrated.env)).code).toBe(0);
      const served = await startServe(migrated.env);
      try {
        const [adminToken]: string[] = served.output().match(TOKEN) ?? [];
        const demo = await graphql(served.url, adminToken, '{ me { email } space(key: "DEMO") { key } }');
        expect(demo.body.data).toEqual({ me: { email: 'admin@example.com' }, space: migrated.kind === 'pglite' ? { key: 'DEMO' } : null });
      } finally {
        expect(await served.stop()).toBe(0);
      }
    } finally {
      await migrated.cleanup();
    }
  });

  test.skipIf(process.env.TEST_DATABASE_URL)('a first start whose child process fails exits 1 with its error, not hanging', async () => {
    const broken = await freshPlace();
    try {
      writeFileSync(join(broken.dataDir, 'pg'), ''); // a file where the database folder goes
      const { code, stderr } = await runCli(['serve'], broken.env);
      expect(code).toBe(1);
      expect(stderr).toContain('Preparing the embedded database failed: EEXIST');
    } finally {
      await broken.cleanup();
    }
  });

  test.runIf(process.env.TEST_DATABASE_URL)('two instances starting at once on one PostgreSQL database create one admin', async () => {
    const shared = await freshPlace();
    const [a, b] = await Promise.all([startServe(shared.env), startServe(shared.env)]);
    try {
      const tokens = [...(a.output().match(TOKEN) ?? []), ...(b.output().match(TOKEN) ?? [])];
      expect(tokens).toHaveLength(1);
      for (const served of [a, b]) {
        expect((await graphql(served.url, tokens[0], '{ me { email } }')).body).toEqual({ data: { me: { email: 'admin@example.com' } } });
      }
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      await shared.cleanup();
    }
  });
});
