// Tokens never reach the logs: a served gateway at LOG_LEVEL=debug, called with good, wrong and revoked tokens
// on every face (errors included), prints none of them. The first-start banner is the one place a token shows.
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
