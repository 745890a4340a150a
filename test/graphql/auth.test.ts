import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Account, type TestApp } from '../support/app.js';
import { CREATE_SPACE, ok } from './operations.js';

let t: TestApp;
let alice: Account;

beforeAll(async () => {
  t = await createTestApp();
  alice = await t.account('Alice');
}, 60_000);

afterAll(() => t?.close());

async function post(headers: Record<string, string>, query: string) {
  const response = await t.request('/graphql', { method: 'POST', headers, json: { query } });
  return { status: response.status, authenticate: response.headers.get('www-authenticate'), body: await response.json() };
}

describe('authentication', () => {
  it('answers a query without credentials with a top-level UNAUTHENTICATED and HTTP 401', async () => {
    const { status, authenticate, body } = await post({}, '{ me { displayName } }');
    expect(status).toBe(401);
    expect(authenticate).toMatch(/^Bearer/);
    expect(body.data ?? null).toBeNull();
    expect(body.errors.map((e: any) => e.extensions.code)).toEqual(['UNAUTHENTICATED']);
  });

  it('answers a mutation with a wrong token the same way, and changes nothing', async () => {
    const { status, body } = await post({ authorization: 'Bearer rg_not-a-real-token' }, 'mutation { createSpace(input: {key: "NOPE", name: "x"}) { __typename } }');
    expect(status).toBe(401);
    expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await ok(t, alice.token, `{ space(key: "NOPE") { key } }`)).space).toBeNull();
  });

  it('accepts Bearer, Basic with e-mail or username, and Api-Key', async () => {
    const basic = (who: string) => `Basic ${Buffer.from(`${who}:${alice.token}`).toString('base64')}`;
    const ways: Record<string, string>[] = [
      { authorization: `Bearer ${alice.token}` },
      { authorization: basic(alice.user.email) },
      { authorization: basic(alice.user.username) },
      { 'api-key': alice.token },
    ];
    for (const headers of ways) {
      const { status, body } = await post(headers, '{ me { accountId } }');
      expect(status).toBe(200);
      expect(body.data.me.accountId).toBe(alice.user.accountId);
    }
    expect((await post({ authorization: basic('someone-else') }, '{ me { accountId } }')).status).toBe(401);
  });
});

describe('API tokens', () => {
  const CREATE = `mutation($name: String) { createApiToken(input: { name: $name }) {
    __typename ... on CreateApiTokenSuccess { token apiToken { id name prefix createdAt } } ... on ValidationError { field } } }`;
  const REVOKE = `mutation($id: Int!) { revokeApiToken(input: { id: $id }) { __typename ... on RevokeApiTokenSuccess { apiToken { id } } ... on Error { message } } }`;

  it('creates a token that works, lists it without its secret, and revokes it', async () => {
    const { createApiToken } = await ok(t, alice.token, CREATE, { name: 'laptop' });
    expect(createApiToken).toMatchObject({ __typename: 'CreateApiTokenSuccess', apiToken: { name: 'laptop' } });
    expect(createApiToken.token.startsWith(createApiToken.apiToken.prefix)).toBe(true);
    expect((await ok(t, createApiToken.token, '{ me { accountId } }')).me.accountId).toBe(alice.user.accountId);

    const { apiTokens } = await ok(t, alice.token, '{ apiTokens { id name prefix createdAt } }');
    expect(apiTokens.map((token: any) => token.name)).toEqual(['test', 'laptop']);
    expect(JSON.stringify(apiTokens)).not.toContain(createApiToken.token);
    const hash = await t.graphql('{ apiTokens { hash } }', {}, alice.token);
    expect(hash.body.errors?.[0].message).toMatch(/Cannot query field "hash"/);

    expect((await ok(t, alice.token, REVOKE, { id: createApiToken.apiToken.id })).revokeApiToken).toEqual({
      __typename: 'RevokeApiTokenSuccess',
      apiToken: { id: createApiToken.apiToken.id },
    });
    const after = await t.graphql('{ me { accountId } }', {}, createApiToken.token);
    expect(after.status).toBe(401);
  });

  it("answers NotFoundError for someone else's token and ValidationError for a bad name", async () => {
    const bob = await t.account('Bob');
    const { apiTokens } = await ok(t, bob.token, '{ apiTokens { id } }');
    expect((await ok(t, alice.token, REVOKE, { id: apiTokens[0].id })).revokeApiToken.__typename).toBe('NotFoundError');
    expect((await ok(t, bob.token, '{ me { accountId } }')).me.accountId).toBe(bob.user.accountId);
    expect((await ok(t, alice.token, CREATE, { name: 'bad\u0000name' })).createApiToken).toEqual({ __typename: 'ValidationError', field: 'name' });
  });
});

describe('unauthenticated mutations', () => {
  it('never run', async () => {
    const { status, body } = await t.graphql(CREATE_SPACE, { input: { key: 'ANON', name: 'Anonymous' } });
    expect(status).toBe(401);
    expect(body.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
  });
});

describe('introspection', () => {
  it('is on by default and refused with INTROSPECTION=false', async () => {
    expect((await ok(t, alice.token, '{ __schema { queryType { name } } }')).__schema.queryType.name).toBe('Query');
    const closed = await createTestApp({ introspection: false });
    try {
      const { body } = await closed.graphql('{ __type(name: "Relation") { name } }', {}, closed.admin.token);
      expect(body.errors?.[0].message).toBe('GraphQL introspection is disabled');
      expect((await closed.graphql('{ me { displayName } }', {}, closed.admin.token)).body.data?.me.displayName).toBe('Admin');
    } finally {
      await closed.close();
    }
  });
});
