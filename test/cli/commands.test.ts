// Every CLI command as a real process. The tests of a describe share a database but not their users,
// so they pass in any order (`--sequence.shuffle`).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type CliResult, freshPlace, graphql, ROOT, runCli, type Serving, startServe, TOKEN, type Place } from '../support/processes.js';

const SLOW = { timeout: 120_000 };

describe('relation-gateway CLI', SLOW, () => {
  let place: Place;

  beforeAll(async () => {
    place = await freshPlace();
  }, SLOW.timeout);
  afterAll(async () => place?.cleanup());

  // Each test makes the users it needs under its own e-mails, so the tests run in any order.
  let made = 0;
  async function createUser(name: string, admin = false): Promise<{ email: string; token: string }> {
    const email = `user${++made}@example.com`;
    const { code, stdout, stderr } = await runCli(['user', 'create', '--email', email, '--name', name, ...(admin ? ['--admin'] : [])], place.env);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    return { email, token: JSON.parse(stdout).token };
  }

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

  test('first-start, which only serve runs (as its child), is not a command of its own', async () => {
    const { code, stderr } = await runCli(['first-start'], place.env);
    expect(code).toBe(2);
    expect(stderr).toContain("unknown command 'first-start'");
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
  });

  test('user create with a taken e-mail fails with exit code 1 and says why', async () => {
    const { email } = await createUser('Pat Doe');
    const { code, stdout, stderr } = await runCli(['user', 'create', '--email', email, '--name', 'Pat Again'], place.env);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain(`A user with e-mail '${email}' already exists`);
  });

  test('token create prints a new token for an existing user, whatever the case of the e-mail', async () => {
    const { email, token } = await createUser('Pat Doe');
    const { code, stdout } = await runCli(['token', 'create', '--email', email.toUpperCase()], place.env);
    expect(code).toBe(0);
    const printed = JSON.parse(stdout);
    expect(Object.keys(printed)).toEqual(['token']);
    expect(printed.token).toMatch(TOKEN);
    expect(printed.token).not.toBe(token);
  });

  test('token create for an unknown e-mail fails with exit code 1', async () => {
    const { code, stdout, stderr } = await runCli(['token', 'create', '--email', 'ghost@example.com'], place.env);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain("No user with e-mail 'ghost@example.com'");
  });

  test('the bin shim runs the built CLI (what `npx relation-gateway` runs)', () => {
    const result = spawnSync(process.execPath, [join(ROOT, 'bin', 'relation-gateway.js'), '--help'], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: relation-gateway <command>');
  });
});

describe('a database with users made by the CLI, then seeded with --demo and served', SLOW, () => {
  let place: Place;
  let served: Serving;
  const tokens: Record<'admin' | 'user' | 'second', string> = { admin: '', user: '', second: '' };
  let seeded: CliResult;
  let seededAgain: CliResult;

  beforeAll(async () => {
    place = await freshPlace();
    const cli = async (args: string[]) => {
      const result = await runCli(args, place.env);
      if (result.code !== 0) throw new Error(`relation-gateway ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
      return JSON.parse(result.stdout) as { token: string };
    };
    tokens.admin = (await cli(['user', 'create', '--email', 'root@example.com', '--name', 'Root User', '--admin'])).token;
    tokens.user = (await cli(['user', 'create', '--email', 'pat@example.com', '--name', 'Pat Doe'])).token;
    tokens.second = (await cli(['token', 'create', '--email', 'PAT@example.com'])).token;
    seeded = await runCli(['seed', '--demo'], place.env);
    seededAgain = await runCli(['seed', '--demo'], place.env);
    served = await startServe(place.env);
  }, SLOW.timeout);
  afterAll(async () => {
    try {
      if (served) expect(await served.stop(), 'serve exits 0 when stopped').toBe(0);
    } finally {
      await place?.cleanup();
    }
  });

  const me = async (token: string) => (await graphql(served.url, token, '{ me { displayName siteAdmin } }')).body.data?.me;

  test('seed --demo loads the demo next to the existing users, without creating a first admin', () => {
    expect(seeded.code).toBe(0);
    expect(seeded.stdout).toMatch(/Loaded demo data: 4 users, 3 spaces, \d+ pages and posts, \d+ relations\./);
    expect(seeded.stdout).not.toMatch(TOKEN);
  });

  test('a second seed --demo changes nothing and says so', () => {
    expect(seededAgain.code).toBe(0);
    expect(seededAgain.stdout).toBe('Demo data is already loaded; nothing changed.\n');
  });

  test('serve prints no token', () => {
    expect(served.output()).not.toMatch(TOKEN);
  });

  test("the admin's printed token authenticates the site admin", async () => {
    expect(await me(tokens.admin)).toEqual({ displayName: 'Root User', siteAdmin: true });
  });

  test("a user's printed token authenticates that user", async () => {
    expect(await me(tokens.user)).toEqual({ displayName: 'Pat Doe', siteAdmin: false });
  });

  test('a token from token create authenticates the same user', async () => {
    expect(await me(tokens.second)).toEqual({ displayName: 'Pat Doe', siteAdmin: false });
  });

  test('the demo data is served', async () => {
    const demo = await graphql(served.url, tokens.admin, '{ space(key: "DEMO") { key name } }');
    expect(demo.body.data).toEqual({ space: { key: 'DEMO', name: 'Demo Engineering' } });
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
