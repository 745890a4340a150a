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

  const basic = (who: string) => `Basic ${Buffer.from(`${who}:${alice.token}`).toString('base64')}`;

  it.each([
    ['Bearer', () => ({ authorization: `Bearer ${alice.token}` })],
    ['Basic with the e-mail', () => ({ authorization: basic(alice.user.email) })],
    ['Basic with the username', () => ({ authorization: basic(alice.user.username) })],
    ['Api-Key', (): Record<string, string> => ({ 'api-key': alice.token })],
  ])('accepts the token as %s', async (_, headers) => {
    const { status, body } = await post(headers(), '{ me { accountId } }');
    expect(status).toBe(200);
    expect(body.data.me.accountId).toBe(alice.user.accountId);
  });

  it("refuses Basic with someone else's name and the token with a 401", async () => {
    expect((await post({ authorization: basic('someone-else') }, '{ me { accountId } }')).status).toBe(401);
  });
});

describe('API tokens', () => {
  // Each test uses its own account, so the tokens one test creates or revokes are no other test's.
  const CREATE = `mutation($name: String) { createApiToken(input: { name: $name }) {
    __typename ... on CreateApiTokenSuccess { token apiToken { id name prefix createdAt } } ... on ValidationError { field } } }`;
  const REVOKE = `mutation($id: Int!) { revokeApiToken(input: { id: $id }) { __typename ... on RevokeApiTokenSuccess { apiToken { id } } ... on Error { message } } }`;

  it('createApiToken returns a token that starts with its prefix and works', async () => {
    const carol = await t.account('Carol');
    const { createApiToken } = await ok(t, carol.token, CREATE, { name: 'laptop' });
    expect(createApiToken).toMatchObject({ __typename: 'CreateApiTokenSuccess', apiToken: { name: 'laptop' } });
    expect(createApiToken.token.startsWith(createApiToken.apiToken.prefix)).toBe(true);
    expect((await ok(t, createApiToken.token, '{ me { accountId } }')).me.accountId).toBe(carol.user.accountId);
  });

  it('apiTokens lists the tokens in the order made, without their secrets', async () => {
    const dave = await t.account('Dave');
    const { createApiToken } = await ok(t, dave.token, CREATE, { name: 'laptop' });
    const { apiTokens } = await ok(t, dave.token, '{ apiTokens { id name prefix createdAt } }');
    expect(apiTokens.map((token: any) => token.name)).toEqual(['test', 'laptop']);
    expect(JSON.stringify(apiTokens)).not.toContain(createApiToken.token);
  });

  it('apiTokens has no hash field', async () => {
    const hash = await t.graphql('{ apiTokens { hash } }', {}, alice.token);
    expect(hash.body.errors?.[0].message).toMatch(/Cannot query field "hash"/);
  });

  it('revokeApiToken revokes the token, which then gets a 401', async () => {
    const erin = await t.account('Erin');
    const { createApiToken } = await ok(t, erin.token, CREATE, { name: 'laptop' });
    expect((await ok(t, erin.token, REVOKE, { id: createApiToken.apiToken.id })).revokeApiToken).toEqual({
      __typename: 'RevokeApiTokenSuccess',
      apiToken: { id: createApiToken.apiToken.id },
    });
    const after = await t.graphql('{ me { accountId } }', {}, createApiToken.token);
    expect(after.status).toBe(401);
  });

  it("revokeApiToken of someone else's token is a NotFoundError and the token still works", async () => {
    const bob = await t.account('Bob');
    const { apiTokens } = await ok(t, bob.token, '{ apiTokens { id } }');
    expect((await ok(t, alice.token, REVOKE, { id: apiTokens[0].id })).revokeApiToken.__typename).toBe('NotFoundError');
    expect((await ok(t, bob.token, '{ me { accountId } }')).me.accountId).toBe(bob.user.accountId);
  });

  it('createApiToken rejects a name with control characters', async () => {
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
  it('is on by default', async () => {
    expect((await ok(t, alice.token, '{ __schema { queryType { name } } }')).__schema.queryType.name).toBe('Query');
  });

  describe('with INTROSPECTION=false', () => {
    let closed: TestApp;
    beforeAll(async () => {
      closed = await createTestApp({ introspection: false });
    }, 60_000);
    afterAll(() => closed?.close());

    it('is refused', async () => {
      const { body } = await closed.graphql('{ __type(name: "Relation") { name } }', {}, closed.admin.token);
      expect(body.errors?.[0].message).toBe('GraphQL introspection is disabled');
    });

    it('leaves other queries answered', async () => {
      expect((await closed.graphql('{ me { displayName } }', {}, closed.admin.token)).body.data?.me.displayName).toBe('Admin');
    });
  });
});
