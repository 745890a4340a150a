// Tokens never reach the logs: a served gateway at LOG_LEVEL=debug, called with good, wrong and revoked tokens
// on every face (errors included), prints none of them. The first-start banner is the one place a token shows.
// Nor does request input: a key carrying a newline and a fake log line, or a token pasted into a key field,
// is not written verbatim on any face.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { freshPlace, startServe, TOKEN, type Place, type Serving } from '../support/processes.js';

const SLOW = { timeout: 120_000 };

describe('logging at LOG_LEVEL=debug', SLOW, () => {
  let place: Place;
  let served: Serving | undefined;

  beforeAll(async () => {
    place = await freshPlace();
    served = await startServe({ ...place.env, DEMO: 'false', LOG_LEVEL: 'debug' });
  }, SLOW.timeout);
  afterAll(async () => {
    await served?.stop('SIGKILL');
    await place?.cleanup();
  });

  test('no token a request carried, valid, wrong or revoked, appears in stdout or stderr', async () => {
    const gateway = served!;
    const { url } = gateway;
    const admin = served!.output().match(TOKEN)![0];
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
    const user: string = made.body.data.createUser.token;
    const second = await gql(user, `mutation { createApiToken(input: { name: "second" }) { ... on CreateApiTokenSuccess { token apiToken { id } } } }`);
    const revoked: string = second.body.data.createApiToken.token;
    await gql(user, `mutation($id: Int!) { revokeApiToken(input: { id: $id }) { __typename } }`, { id: second.body.data.createApiToken.apiToken.id });
    const wrong = `rg_${'Z'.repeat(32)}`;
    const nearMiss = user.slice(0, -1) + (user.endsWith('A') ? 'B' : 'A');
    const noPrefix = 'plain-secret-without-the-prefix-123456';
    const basic = (token: string) => `Basic ${Buffer.from(`quiet@example.com:${token}`).toString('base64')}`;

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
    expect((await gql(user, '{ me { email } }')).body.data.me.email).toBe('quiet@example.com');
    expect(await gateway.stop('SIGTERM')).toBe(0);
    served = undefined;

    const printed = gateway.output();
    expect(printed).toContain('relation-gateway listening on'); // the output was captured
    expect(printed).toContain('Processing GraphQL Parameters'); // and debug logging was on
    for (const secret of [user, revoked, wrong, nearMiss, noPrefix, basic(user).slice(6)]) expect(printed).not.toContain(secret);
    expect(printed.split(admin).length - 1).toBe(1); // only the first-start banner
  });
});

describe('request input in the logs at LOG_LEVEL=debug', SLOW, () => {
  let place: Place;
  let served: Serving | undefined;

  beforeAll(async () => {
    place = await freshPlace();
    served = await startServe({ ...place.env, DEMO: 'false', LOG_LEVEL: 'debug' });
  }, SLOW.timeout);
  afterAll(async () => {
    await served?.stop('SIGKILL');
    await place?.cleanup();
  });

  test('a key with a newline and a fake log line, or a pasted token, is never written verbatim on any face', async () => {
    const gateway = served!;
    const { url } = gateway;
    const admin = gateway.output().match(TOKEN)![0];
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
    const pastedBasic = `Basic ${Buffer.from(`admin@example.com:${admin}`).toString('base64')}`;
    const keys = [`nobody${fakeLine}`, pasted, pastedBasic, `api-key: ${pasted}`, Buffer.from(`admin@example.com:${admin}`).toString('base64')];

    const statuses: number[] = [];
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
    expect(
      statuses.every((status) => status < 500),
      JSON.stringify(statuses),
    ).toBe(true);
    expect(await gateway.stop('SIGTERM')).toBe(0);
    served = undefined;

    const printed = gateway.output();
    expect(printed).toMatch(/NotFoundError NOT_FOUND/); // the expected errors were logged, at debug, by their code
    expect(printed).not.toContain('evil.example');
    expect(printed.split('\n').filter((line) => line.includes('listening on'))).toHaveLength(1);
    expect(printed.split(admin).length - 1).toBe(1); // only the first-start banner
    expect(printed).not.toContain(pastedBasic.slice(6));
  });
});

// Every face at every level that writes more than the default: credentials in headers, query strings and
// bodies, good and bad, never reach the output; every request still gets its line.
describe.each(['trace', 'debug', 'info'])('tokens in headers, query strings and bodies at LOG_LEVEL=%s', (level) => {
  let place: Place;
  let served: Serving | undefined;

  beforeAll(async () => {
    place = await freshPlace();
    served = await startServe({ ...place.env, DEMO: 'false', LOG_LEVEL: level, LOG_FORMAT: 'json' });
  }, SLOW.timeout);
  afterAll(async () => {
    await served?.stop('SIGKILL');
    await place?.cleanup();
  });

  test('no token or secret appears in the output, and each face logged its requests', SLOW, async () => {
    const gateway = served!;
    const admin = gateway.output().match(TOKEN)![0];
    const wrong = `rg_${'Q'.repeat(32)}`;
    const secret = 'hunter2-plain-secret-value';
    const send = (path: string, headers: Record<string, string>, init: { method?: string; body?: unknown } = {}) =>
      fetch(gateway.url + path, {
        method: init.method ?? 'GET',
        headers: { 'content-type': 'application/json', ...headers },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      }).then((r) => r.status);

    const statuses: number[] = [];
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
    expect(
      statuses.every((status) => status < 500),
      JSON.stringify(statuses),
    ).toBe(true);
    expect(await gateway.stop('SIGTERM')).toBe(0);
    served = undefined;

    const printed = gateway.output();
    const requests = printed
      .split('\n')
      .filter((line) => line.startsWith('{') && line.includes('"reqId"'))
      .map((line) => JSON.parse(line));
    expect(requests).toHaveLength(statuses.length);
    for (const face of ['graphql', 'confluence', 'umbraco']) expect(requests.some((entry) => entry.face === face)).toBe(true);
    expect(requests.some((entry) => entry.accountId)).toBe(true);
    if (level !== 'info') expect(printed).toContain('Processing GraphQL Parameters');
    for (const leaked of [wrong, secret, Buffer.from(`admin@example.com:${admin}`).toString('base64')]) expect(printed).not.toContain(leaked);
    expect(printed.split(admin).length - 1).toBe(1); // only the first-start banner
  });
});
