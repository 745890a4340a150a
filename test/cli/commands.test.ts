// Every CLI command as a real process, one after another on one database.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { freshPlace, graphql, ROOT, runCli, startServe, TOKEN, type Place } from '../support/processes.js';

const SLOW = { timeout: 120_000 };

describe('relation-gateway CLI', SLOW, () => {
  let place: Place;
  let adminToken: string;
  let userToken: string;
  let secondToken: string;

  beforeAll(async () => {
    place = await freshPlace();
  }, SLOW.timeout);
  afterAll(async () => place?.cleanup());

  test('--help prints the commands and exits 0', async () => {
    const { code, stdout } = await runCli(['--help'], place.env);
    expect(code).toBe(0);
    for (const command of ['serve', 'migrate', 'seed --demo', 'user create --email E --name N [--admin]', 'token create --email E']) {
      expect(stdout).toContain(command);
    }
  });

  test('an unknown command is a usage error with exit code 2', async () => {
    const { code, stderr } = await runCli(['frobnicate'], place.env);
    expect(code).toBe(2);
    expect(stderr).toContain("unknown command 'frobnicate'");
    expect(stderr).toContain('Usage: relation-gateway');
  });

  test('user create without --email names the missing option', async () => {
    const { code, stderr } = await runCli(['user', 'create', '--name', 'Nobody'], place.env);
    expect(code).toBe(2);
    expect(stderr).toContain('--email is required');
  });

  test('seed without --demo is a usage error', async () => {
    const { code, stderr } = await runCli(['seed'], place.env);
    expect(code).toBe(2);
    expect(stderr).toContain('seed needs --demo');
  });

  test('migrate applies the migrations and says the database is up to date', async () => {
    const first = await runCli(['migrate'], place.env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^Database is up to date \(\d+ migrations: \d{14}_init/);
    const again = await runCli(['migrate'], place.env);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(first.stdout);
  });

  test('user create --admin prints the account id and a token as JSON', async () => {
    const { code, stdout, stderr } = await runCli(['user', 'create', '--email', 'Root@Example.com', '--name', 'Root User', '--admin'], place.env);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const printed = JSON.parse(stdout);
    expect(Object.keys(printed)).toEqual(['accountId', 'token']);
    expect(printed.accountId).toMatch(/^[0-9a-f]{24,}$/);
    expect(printed.token).toMatch(TOKEN);
    adminToken = printed.token;
  });

  test('user create prints a token for a plain user', async () => {
    const { code, stdout } = await runCli(['user', 'create', '--email', 'pat@example.com', '--name', 'Pat Doe'], place.env);
    expect(code).toBe(0);
    userToken = JSON.parse(stdout).token;
  });

  test('user create with a taken e-mail fails with exit code 1 and says why', async () => {
    const { code, stdout, stderr } = await runCli(['user', 'create', '--email', 'pat@example.com', '--name', 'Pat Again'], place.env);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain("A user with e-mail 'pat@example.com' already exists");
  });

  test('token create prints a new token for an existing user', async () => {
    const { code, stdout } = await runCli(['token', 'create', '--email', 'PAT@example.com'], place.env);
    expect(code).toBe(0);
    const printed = JSON.parse(stdout);
    expect(Object.keys(printed)).toEqual(['token']);
    expect(printed.token).not.toBe(userToken);
    secondToken = printed.token;
  });

  test('token create for an unknown e-mail fails with exit code 1', async () => {
    const { code, stdout, stderr } = await runCli(['token', 'create', '--email', 'ghost@example.com'], place.env);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain("No user with e-mail 'ghost@example.com'");
  });

  test('seed --demo loads the demo once; the second run changes nothing', async () => {
    const first = await runCli(['seed', '--demo'], place.env);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Loaded demo data: 4 users, 3 spaces, \d+ pages and posts, \d+ relations\./);
    expect(first.stdout).not.toMatch(TOKEN); // users exist already, so no first admin is created
    const second = await runCli(['seed', '--demo'], place.env);
    expect(second.code).toBe(0);
    expect(second.stdout).toBe('Demo data is already loaded; nothing changed.\n');
  });

  test('the printed tokens authenticate their users, and the demo data is there', async () => {
    const served = await startServe(place.env);
    try {
      expect(served.output()).not.toMatch(TOKEN);
      const me = async (token: string) => (await graphql(served.url, token, '{ me { displayName siteAdmin } }')).body.data?.me;
      expect(await me(adminToken)).toEqual({ displayName: 'Root User', siteAdmin: true });
      expect(await me(userToken)).toEqual({ displayName: 'Pat Doe', siteAdmin: false });
      expect(await me(secondToken)).toEqual({ displayName: 'Pat Doe', siteAdmin: false });
      const demo = await graphql(served.url, adminToken, '{ space(key: "DEMO") { key name } }');
      expect(demo.body.data).toEqual({ space: { key: 'DEMO', name: 'Demo Engineering' } });
    } finally {
      expect(await served.stop()).toBe(0);
    }
  });

  test('the bin shim runs the built CLI (what `npx relation-gateway` runs)', () => {
    const result = spawnSync(process.execPath, [join(ROOT, 'bin', 'relation-gateway.js'), '--help'], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: relation-gateway <command>');
  });
});

describe('seed --demo on an empty database', SLOW, () => {
  test('creates the site admin first and prints its token, so a later start has an admin', async () => {
    const place = await freshPlace();
    try {
      const { code, stdout } = await runCli(['seed', '--demo'], place.env);
      expect(code).toBe(0);
      expect(stdout).toContain('Created the site admin admin@example.com');
      expect(stdout).toMatch(/Loaded demo data: 4 users, 3 spaces/);
      const [token]: string[] = stdout.match(TOKEN) ?? [];
      const served = await startServe(place.env);
      try {
        expect(served.output()).not.toMatch(TOKEN);
        const favourites = await graphql(
          served.url,
          token,
          '{ relationsFrom(name: "favourite", source: { type: USER, key: "current" }, targetType: SPACE) { nodes { target { ... on Space { key } } } } }',
        );
        expect(favourites.body).toEqual({ data: { relationsFrom: { nodes: [{ target: { key: 'DEMO' } }] } } });
      } finally {
        await served.stop();
      }
    } finally {
      await place.cleanup();
    }
  });
});
