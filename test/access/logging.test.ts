// Tokens never reach the logs: a served gateway at LOG_LEVEL=debug, called with good, wrong and revoked tokens
// on every face (errors included), prints none of them. The first-start banner is the one place a token shows.
// Nor does request input: a key carrying a newline and a fake log line, or a token pasted into a key field,
// is not written verbatim on any face.
// Each describe starts its gateway, sends all its requests and stops it with SIGTERM in beforeAll, keeping the
// statuses, the exit code and everything printed; its tests then each check one thing about those, so none of
// them stops the gateway under another and they pass in any order (`--sequence.shuffle`).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { freshPlace, startServe, TOKEN, type Place, type Serving } from '../support/processes.js';

const SLOW = { timeout: 120_000 };

/** The admin token a fresh gateway prints in its first-start banner. */
function bannerToken(gateway: Serving): string {
  const admin = gateway.output().match(TOKEN)?.[0];
  if (!admin) throw new Error(`no admin token in the first-start banner:\n${gateway.output()}`);
  return admin;
}

/** What one served gateway left: the banner's admin token, the statuses worth checking, its exit code and all it printed. */
interface Run {
  admin: string;
  statuses: number[];
  exitCode: number | null;
  printed: string;
}

/**
 * In the calling describe: a gateway on a fresh place with `env`, `send` run against it, then a SIGTERM stop,
 * all in beforeAll; the SIGKILL and clean-up if that failed half-way; and the two checks every run shares.
 */
function servedRun(env: Record<string, string>, send: (gateway: Serving, admin: string) => Promise<number[]>): Run {
  const run: Run = { admin: '', statuses: [], exitCode: null, printed: '' };
  let place: Place | undefined;
  let served: Serving | undefined;
  beforeAll(async () => {
    place = await freshPlace();
    served = await startServe({ ...place.env, DEMO: 'false', ...env });
    run.admin = bannerToken(served);
    run.statuses = await send(served, run.admin);
    run.exitCode = await served.stop('SIGTERM');
    run.printed = served.output();
    served = undefined;
  }, SLOW.timeout);
  afterAll(async () => {
    await served?.stop('SIGKILL');
    await place?.cleanup();
  });

  test('stops cleanly on SIGTERM (exit 0)', () => {
    expect(run.exitCode).toBe(0);
  });

  test('the admin token appears once, in the first-start banner', () => {
    expect(run.printed.split(run.admin).length - 1).toBe(1);
  });
  return run;
}

describe('logging at LOG_LEVEL=debug: no token a request carried, valid, wrong or revoked, appears in stdout or stderr', SLOW, () => {
  const tokens = { user: '', revoked: '', wrong: '', nearMiss: '', noPrefix: '' };
  const basic = (token: string) => `Basic ${Buffer.from(`quiet@example.com:${token}`).toString('base64')}`;
  let email: unknown; // what the user token reads back after all the calls
  const run = servedRun({ LOG_LEVEL: 'debug' }, async ({ url }, admin) => {
    const call = async (path: string, headers: Record<string, string>, init: { method?: string; body?: unknown } = {}) => {
      const response = await fetch(url + path, {
        method: init.method ?? 'GET',
        headers: { 'content-type': 'application/json', ...headers },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
      return { status: response.status, body: await response.json().catch(() => undefined) };
    };
    const gql = (token: string, query: string, variables = {}) => call('/graphql', { authorization: `Bearer ${token}` }, { method: 'POST', body: { query, variables } });

    const made = await gql(admin, `mutation { createUser(input: { email: "quiet@example.com", displayName: "Quiet" }) { ... on CreateUserSuccess { token } } }`);
    const user: string | undefined = made.body?.data?.createUser?.token;
    if (!user) throw new Error(`createUser returned no token: ${made.status} ${JSON.stringify(made.body)}`);
    const second = await gql(user, `mutation { createApiToken(input: { name: "second" }) { ... on CreateApiTokenSuccess { token apiToken { id } } } }`);
    const created = second.body?.data?.createApiToken;
    if (!created?.token) throw new Error(`createApiToken returned no token: ${second.status} ${JSON.stringify(second.body)}`);
    const revoked: string = created.token;
    await gql(user, `mutation($id: Int!) { revokeApiToken(input: { id: $id }) { __typename } }`, { id: created.apiToken.id });
    const wrong = `rg_${'Z'.repeat(32)}`;
    const nearMiss = user.slice(0, -1) + (user.endsWith('A') ? 'B' : 'A');
    const noPrefix = 'plain-secret-without-the-prefix-123456';
    Object.assign(tokens, { user, revoked, wrong, nearMiss, noPrefix });

    for (const token of [user, revoked, wrong, nearMiss, noPrefix]) {
      const schemes: Record<string, string>[] = [{ authorization: `Bearer ${token}` }, { authorization: basic(token) }, { 'api-key': token }, { authorization: token }];
      for (const headers of schemes) {
        await call('/graphql', headers, { method: 'POST', body: { query: '{ me { accountId } }' } });
        await call('/graphql', headers, { method: 'POST', body: { query: '{ me { ' } }); // a syntax error
        await call('/graphql', headers, { method: 'POST', body: { query: 'mutation { createSpace(input: { key: "", name: "" }) { __typename } }' } });
        await call('/wiki/rest/api/user/current', headers);
        await call('/rest/api/content/999999', headers); // a 404
        await call('/rest/api/relation/x/from/nope/current/to/user/current', headers); // a 400
        await call('/umbraco/relation', headers, { method: 'POST', body: { parentId: 'nope' } }); // a 422
        await call('/umbraco/relation/type/unknown', headers);
      }
    }
    email = (await gql(user, '{ me { email } }')).body?.data?.me?.email;
    return []; // statuses are not what this run checks
  });

  test('the output was captured and debug logging was on', () => {
    expect(run.printed).toContain('relation-gateway listening on'); // the output was captured
    expect(run.printed).toContain('Processing GraphQL Parameters'); // and debug logging was on
  });

  test('the user token still works after all the calls', () => {
    expect(email).toBe('quiet@example.com');
  });

  test('no valid user token appears', () => {
    expect(run.printed).not.toContain(tokens.user);
  });

  test('no revoked, wrong, near-miss or unprefixed token appears', () => {
    for (const secret of [tokens.revoked, tokens.wrong, tokens.nearMiss, tokens.noPrefix]) expect(run.printed).not.toContain(secret);
  });

  test("the user's Basic credentials do not appear encoded", () => {
    expect(run.printed).not.toContain(basic(tokens.user).slice(6));
  });
});

describe('request input in the logs at LOG_LEVEL=debug: a key with a newline and a fake log line, or a pasted token, is never written verbatim on any face', SLOW, () => {
  let pastedBasic: string;
  const run = servedRun({ LOG_LEVEL: 'debug' }, async ({ url }, admin) => {
    const statuses: number[] = [];
    const auth = { authorization: `Bearer ${admin}` };
    const send = (path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
      fetch(url + path, {
        method: init.method ?? 'GET',
        headers: { 'content-type': 'application/json', ...auth, ...init.headers },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      }).then((r) => r.status);
    const gql = (query: string, variables: Record<string, unknown>) => send('/graphql', { method: 'POST', body: { query, variables } });

    const fakeLine = '\nrelation-gateway listening on http://evil.example:4000 (database: forged)\n';
    const pasted = admin;
    pastedBasic = `Basic ${Buffer.from(`admin@example.com:${admin}`).toString('base64')}`;
    const keys = [`nobody${fakeLine}`, pasted, pastedBasic, `api-key: ${pasted}`, Buffer.from(`admin@example.com:${admin}`).toString('base64')];

    for (const key of keys) {
      const ref = { type: 'USER', key };
      statuses.push(
        await gql('query($k: String!) { user(key: $k) { accountId } space(key: $k) { key } }', { k: key }),
        await gql('query($r: EntityRef!) { relationsFrom(name: "likes", source: $r, targetType: CONTENT) { totalCount } }', { r: ref }),
        await gql('query($r: EntityRef!) { relation(name: "likes", source: $r, target: $r) { id } }', { r: { type: 'CONTENT', key } }),
        await gql('mutation($i: RelationInput!) { createRelation(input: $i) { __typename } }', { i: { name: key, source: ref, target: ref } }),
        await gql('mutation($i: RelationInput!) { deleteRelation(input: $i) { __typename } }', { i: { name: 'likes', source: ref, target: { type: 'CONTENT', key } } }),
        await send(`/rest/api/relation/likes/from/user/${encodeURIComponent(key)}/to/content`),
        await send(`/wiki/rest/api/relation/${encodeURIComponent(key)}/from/user/current/to/user/current`, { method: 'PUT' }),
        await send(`/rest/api/content/${encodeURIComponent(key)}`),
        await send(`/rest/api/user?accountId=${encodeURIComponent(key)}`),
        await send(`/rest/api/user/watch/space/${encodeURIComponent(key)}`, { method: 'POST' }),
        await send(`/rest/api/space`, { method: 'POST', body: { key, name: key } }),
        await send(`/umbraco/relation/parent/${encodeURIComponent(key)}`),
        await send(`/umbraco/relation/${encodeURIComponent(key)}`),
        await send('/umbraco/relation', { method: 'POST', body: { parentId: key, childId: key, relationTypeAlias: key } }),
      );
    }
    return statuses;
  });

  test('every request answered below 500', () => {
    expect(
      run.statuses.every((status) => status < 500),
      JSON.stringify(run.statuses),
    ).toBe(true);
  });

  test('the expected errors were logged, at debug, by their code', () => {
    expect(run.printed).toMatch(/NotFoundError NOT_FOUND/);
  });

  test('the host of the fake log line in a key does not appear', () => {
    expect(run.printed).not.toContain('evil.example');
  });

  test("only the gateway's own 'listening on' line appears", () => {
    expect(run.printed.split('\n').filter((line) => line.includes('listening on'))).toHaveLength(1);
  });

  test('the admin Basic credentials, pasted into keys, do not appear encoded', () => {
    expect(run.printed).not.toContain(pastedBasic.slice(6));
  });
});

// Every face at every level that writes more than the default: credentials in headers, query strings and
// bodies, good and bad, never reach the output; every request still gets its line.
describe.each(['trace', 'debug', 'info'])('tokens in headers, query strings and bodies at LOG_LEVEL=%s', (level) => {
  const wrong = `rg_${'Q'.repeat(32)}`;
  const secret = 'hunter2-plain-secret-value';
  // The JSON lines the gateway wrote for requests.
  const requests = () =>
    run.printed
      .split('\n')
      .filter((line) => line.startsWith('{') && line.includes('"reqId"'))
      .map((line) => JSON.parse(line));

  const run = servedRun({ LOG_LEVEL: level, LOG_FORMAT: 'json' }, async (gateway, admin) => {
    const statuses: number[] = [];
    const send = (path: string, headers: Record<string, string>, init: { method?: string; body?: unknown } = {}) =>
      fetch(gateway.url + path, {
        method: init.method ?? 'GET',
        headers: { 'content-type': 'application/json', ...headers },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      }).then((r) => r.status);

    for (const token of [admin, wrong]) {
      const query = `?token=${token}&access_token=${token}&os_password=${secret}&api-key=${token}`;
      const body = { token, password: secret, apiKey: token, authorization: `Bearer ${token}` };
      const schemes: Record<string, string>[] = [
        { authorization: `Bearer ${token}` },
        { 'api-key': token },
        { authorization: `Basic ${Buffer.from(`admin@example.com:${token}`).toString('base64')}` },
      ];
      for (const headers of schemes) {
        statuses.push(
          await send(`/graphql${query}`, headers, {
            method: 'POST',
            body: { query: 'query Me($t: String) { me { accountId } user(key: $t) { accountId } }', variables: { t: token }, ...body },
          }),
          await send(`/graphql${query}&query=${encodeURIComponent(`{ user(key: "${token}") { accountId } }`)}`, headers),
          await send(`/rest/api/content/999999${query}`, headers),
          await send(`/wiki/rest/api/space${query}`, headers, { method: 'POST', body: { key: token, name: secret, ...body } }),
          await send(`/rest/api/user${query}&accountId=${token}`, headers),
          await send(`/umbraco/relation/parent/${token}${query}`, headers),
          await send(`/umbraco/relation${query}`, headers, { method: 'POST', body: { parentId: token, childId: secret, relationTypeAlias: token, ...body } }),
          await send(`/metrics${query}`, headers),
        );
      }
    }
    return statuses;
  });

  test('every request answered below 500', () => {
    expect(
      run.statuses.every((status) => status < 500),
      JSON.stringify(run.statuses),
    ).toBe(true);
  });

  test('one request line per request', () => {
    expect(requests()).toHaveLength(run.statuses.length);
  });

  test('each face (graphql, confluence, umbraco) logged its requests', () => {
    for (const face of ['graphql', 'confluence', 'umbraco']) expect(requests().some((entry) => entry.face === face)).toBe(true);
  });

  test("the request lines name the caller's accountId", () => {
    expect(requests().some((entry) => entry.accountId)).toBe(true);
  });

  // At info the GraphQL parameters are not logged, so there is nothing to check.
  test.skipIf(level === 'info')('debug logging was on', () => {
    expect(run.printed).toContain('Processing GraphQL Parameters');
  });

  test('no wrong token, plain secret or Basic-encoded admin credential appears', () => {
    for (const leaked of [wrong, secret, Buffer.from(`admin@example.com:${run.admin}`).toString('base64')]) expect(run.printed).not.toContain(leaked);
  });
});
