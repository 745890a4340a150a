// API tokens: stored only as a SHA-256 hash, refused uniformly, and revoked for every face on the very next request.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestApp, type Account, type TestApp } from '../support/app.js';

let t: TestApp;
let owner: Account;

beforeAll(async () => {
  t = await createTestApp();
  owner = await t.account('Owner');
});
afterAll(() => t?.close());

const CREATE = `mutation { createApiToken(input: { name: "second" }) { __typename ... on CreateApiTokenSuccess { token apiToken { id prefix } } } }`;
const REVOKE = `mutation($id: Int!) { revokeApiToken(input: { id: $id }) { __typename } }`;

async function newToken(account: Account): Promise<{ token: string; id: number; prefix: string }> {
  const { body } = await t.graphql(CREATE, {}, account.token);
  const { token, apiToken } = body.data.createApiToken;
  return { token, id: apiToken.id, prefix: apiToken.prefix };
}

const basic = (identity: string, token: string) => `Basic ${Buffer.from(`${identity}:${token}`).toString('base64')}`;

/** One authenticated call per face, each with the credentials that face's client sends; returns the status. */
const FACES: Record<string, (token: string, account: Account) => Promise<number>> = {
  'GraphQL (Bearer)': async (token) => (await t.graphql('{ me { accountId } }', {}, token)).status,
  'Confluence Cloud (Basic e-mail:token)': async (token, account) =>
    (await t.request('/wiki/rest/api/user/current', { headers: { authorization: basic(account.user.email, token) } })).status,
  'Confluence Server (Bearer)': async (token) => (await t.request('/rest/api/user/current', { token })).status,
  'Umbraco (Api-Key)': async (token) => (await t.request('/umbraco/relation/type', { headers: { 'api-key': token } })).status,
};

describe('revocation', () => {
  test.each(Object.keys(FACES))('a revoked token is refused by %s on the next request', async (face) => {
    const call = FACES[face];
    const second = await newToken(owner);
    expect(await call(second.token, owner)).toBe(200);
    expect((await t.graphql(REVOKE, { id: second.id }, owner.token)).body.data.revokeApiToken.__typename).toBe('RevokeApiTokenSuccess');
    expect(await call(second.token, owner)).toBe(401);
    expect(await call(owner.token, owner)).toBe(200); // the owner's other token is untouched
  });

  test("a site admin's revocation of someone else's token takes effect on the next request too", async () => {
    const second = await newToken(owner);
    expect(await FACES['Confluence Server (Bearer)'](second.token, owner)).toBe(200);
    expect((await t.graphql(REVOKE, { id: second.id }, t.admin.token)).body.data.revokeApiToken.__typename).toBe('RevokeApiTokenSuccess');
    for (const call of Object.values(FACES)) expect(await call(second.token, owner)).toBe(401);
  });
});

describe('storage and comparison', () => {
  test('a token carries at least 128 random bits and is stored only as its SHA-256 hash', async () => {
    const { token, id, prefix } = await newToken(owner);
    expect(Buffer.from(token.replace(/^rg_/, ''), 'base64url').length).toBeGreaterThanOrEqual(16);
    const row = await t.db.prisma.apiToken.findUniqueOrThrow({ where: { id } });
    expect(row.hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(token.startsWith(prefix) && prefix.length < 12).toBe(true);
    const everything = JSON.stringify(await t.db.prisma.apiToken.findMany());
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(token.slice(prefix.length));
  });

  test('a token one character away from a real one is refused exactly like a random one', async () => {
    const { token } = await newToken(owner);
    const last = token.at(-1) === 'A' ? 'B' : 'A';
    const nearMiss = token.slice(0, -1) + last;
    const random = `rg_${'x'.repeat(token.length - 3)}`;
    const answers = await Promise.all(
      [nearMiss, random, token.slice(0, -1), token + 'x'].map(async (candidate) => {
        const response = await t.request('/rest/api/user/current', { token: candidate });
        return { status: response.status, body: await response.text(), challenge: response.headers.get('www-authenticate') };
      }),
    );
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0].status).toBe(401);
  });

  test('authentication reads the database once per request, by the hash (no scan and compare)', async () => {
    const before = t.db.statements.count;
    expect((await t.request('/rest/api/user/current', { token: 'rg_unknown-but-well-formed-token-0000000' })).status).toBe(401);
    expect(t.db.statements.count - before).toBe(1);
    const malformed = t.db.statements.count;
    expect((await t.request('/rest/api/user/current', { token: 'no-prefix' })).status).toBe(401);
    expect(t.db.statements.count - malformed).toBe(0); // refused before any lookup
  });
});
