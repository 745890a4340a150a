// Creating, reading and deleting webhooks through both faces: who sees what, hostile inputs as clear 4xx in each
// face's format, and targets refused at creation (no WEBHOOK_ALLOW_HOSTS here). Every REST answer is checked
// against the OpenAPI document.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Account, type TestApp } from '../support/app.js';
import { call, expectError } from '../confluence/support.js';

let t: TestApp;
let owner: Account;
let stranger: Account;

// A public address given as a literal: accepted without a DNS lookup, and never delivered to here (no worker runs).
const PUBLIC = 'https://93.184.215.14/relation-hooks';
const SECRET = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;

const post = (json: unknown, token = owner.token, prefix = '/rest/api') => call(t, 'POST', `${prefix}/webhooks`, { token, json });

const CREATE = `mutation($i: CreateWebhookInput!) { createWebhook(input: $i) {
  __typename
  ... on CreateWebhookSuccess { secret webhook { id name url events relationName owner { accountId } } }
  ... on Error { message }
  ... on ValidationError { field } } }`;

beforeAll(async () => {
  t = await createTestApp();
  owner = await t.account('Owner');
  stranger = await t.account('Stranger');
});
afterAll(() => t?.close());

describe('webhooks over REST', () => {
  it('POST creates one (201) with the secret shown once; GET lists and reads it without the secret; DELETE removes it', async () => {
    const created = await post({ name: 'My hook', url: PUBLIC, events: ['DELETED', 'CREATED'], relationName: 'likes' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'My hook', url: PUBLIC, events: ['CREATED', 'DELETED'], relationName: 'likes', failingSince: null });
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/); // 32 random bytes
    const { id } = created.body;

    const listed = await call(t, 'GET', '/wiki/rest/api/webhooks', { token: owner.token });
    expect(listed.status).toBe(200);
    expect(listed.body.results.map((w: { id: number }) => w.id)).toContain(id);
    const read = await call(t, 'GET', `/rest/api/webhooks/${id}`, { token: owner.token });
    expect(read.status).toBe(200);
    expect(read.body._links.self).toBe(`http://gateway.test/rest/api/webhooks/${id}`);
    expect(JSON.stringify([listed.body, read.body])).not.toContain(created.body.secret);

    const deliveries = await call(t, 'GET', `/rest/api/webhooks/${id}/deliveries?limit=5`, { token: owner.token });
    expect(deliveries.body).toEqual({ results: [], size: 0 });

    expect((await call(t, 'DELETE', `/wiki/rest/api/webhooks/${id}`, { token: owner.token })).status).toBe(204);
    expectError(await call(t, 'GET', `/rest/api/webhooks/${id}`, { token: owner.token }), 404, /No webhook/);
  });

  it("keeps a supplied secret; someone else's webhook is a 404 to read, delete or list deliveries; a site admin sees and deletes any", async () => {
    const created = await post({ name: 'Kept', url: PUBLIC, events: ['CREATED'], secret: SECRET });
    expect(created.body.secret).toBe(SECRET);
    const { id } = created.body;
    for (const [method, path] of [
      ['GET', `/rest/api/webhooks/${id}`],
      ['DELETE', `/rest/api/webhooks/${id}`],
      ['GET', `/rest/api/webhooks/${id}/deliveries`],
    ]) {
      expectError(await call(t, method, path, { token: stranger.token }), 404, /No webhook/);
    }
    expect((await call(t, 'GET', '/rest/api/webhooks', { token: stranger.token })).body.results).toEqual([]);
    expect((await call(t, 'GET', '/rest/api/webhooks', { token: t.admin.token })).body.results.map((w: { id: number }) => w.id)).toContain(id);
    // Deliveries are the owner's alone.
    expectError(await call(t, 'GET', `/rest/api/webhooks/${id}/deliveries`, { token: t.admin.token }), 403, /owner/);
    expect((await call(t, 'DELETE', `/rest/api/webhooks/${id}`, { token: t.admin.token })).status).toBe(204);
    expectError(await call(t, 'GET', `/rest/api/webhooks/${id}`, { token: owner.token }), 404);
  });

  it.each([
    ['no body', undefined, /name must be a string/],
    ['no name', { url: PUBLIC, events: ['CREATED'] }, /name must be a string/],
    ['an empty name', { name: ' ', url: PUBLIC, events: ['CREATED'] }, /name must not be empty/],
    ['a long name', { name: 'n'.repeat(256), url: PUBLIC, events: ['CREATED'] }, /at most 255/],
    ['a name of the wrong type', { name: 7, url: PUBLIC, events: ['CREATED'] }, /name must be a string/],
    ['no url', { name: 'x', events: ['CREATED'] }, /url must be an http or https URL/],
    ['an ftp url', { name: 'x', url: 'ftp://93.184.215.14/', events: ['CREATED'] }, /http or https/],
    ['a javascript: url', { name: 'x', url: 'javascript:alert(1)', events: ['CREATED'] }, /http or https/],
    ['not a url', { name: 'x', url: 'hooks here', events: ['CREATED'] }, /url/],
    ['credentials in the url', { name: 'x', url: 'https://me:pw@93.184.215.14/', events: ['CREATED'] }, /credentials/],
    ['a very long url', { name: 'x', url: `${PUBLIC}?${'q'.repeat(3000)}`, events: ['CREATED'] }, /at most 2048/],
    ['no events', { name: 'x', url: PUBLIC }, /events must list/],
    ['an empty event list', { name: 'x', url: PUBLIC, events: [] }, /events must list/],
    ['an unknown event', { name: 'x', url: PUBLIC, events: ['CREATED', 'UPDATED'] }, /got 'UPDATED'/],
    ['events as a string', { name: 'x', url: PUBLIC, events: 'CREATED' }, /events must be a list/],
    ['a secret without whsec_', { name: 'x', url: PUBLIC, events: ['CREATED'], secret: 'hunter2' }, /whsec_/],
    ['a secret too short', { name: 'x', url: PUBLIC, events: ['CREATED'], secret: 'whsec_c2hvcnQ=' }, /24 to 64/],
    ['a secret not base64', { name: 'x', url: PUBLIC, events: ['CREATED'], secret: `whsec_${'!'.repeat(40)}` }, /whsec_/],
    ['an empty relationName', { name: 'x', url: PUBLIC, events: ['CREATED'], relationName: '' }, /must not be empty/],
    ['a relationName with a control character', { name: 'x', url: PUBLIC, events: ['CREATED'], relationName: 'a\u0007b' }, /control/],
    ['a NUL in the url', { name: 'x', url: `${PUBLIC}\u0000`, events: ['CREATED'] }, /NUL/],
  ])('refuses %s with a 400', async (_, json, message) => {
    expectError(await post(json), 400, message);
  });

  it('refuses a body that is not a JSON object', async () => {
    expectError(await call(t, 'POST', '/rest/api/webhooks', { token: owner.token, body: '[1]', headers: { 'content-type': 'application/json' } }), 400, /JSON object/);
    expectError(
      await call(t, 'POST', '/rest/api/webhooks', { token: owner.token, body: '{"name":', headers: { 'content-type': 'application/json' } }),
      400,
      /not valid JSON/,
    );
  });

  it.each([
    ['http://127.0.0.1:8080/hook', /127\.0\.0\.1 is a loopback address/],
    ['http://10.0.0.5/hook', /private address/],
    ['http://169.254.169.254/latest/meta-data/', /link-local address/],
    ['http://[::1]:8080/hook', /::1 is a loopback address/],
    ['http://[::ffff:127.0.0.1]/hook', /loopback address \(as IPv6\)/],
    ['http://2130706433/hook', /127\.0\.0\.1 is a loopback/], // 127.0.0.1 written as one number
    ['http://0.0.0.0:9000/', /this network/],
    ['http://100.64.0.1/', /shared/],
    ['http://[fd00::1]/', /unique local/],
    ['http://localhost:8080/hook', /localhost resolves to .* loopback address/],
  ])('refuses the target %s unless WEBHOOK_ALLOW_HOSTS lists it', async (url, message) => {
    const answer = await post({ name: 'x', url, events: ['CREATED'] });
    expectError(answer, 400, message);
    expect(answer.body.message).toMatch(/WEBHOOK_ALLOW_HOSTS/);
  });

  it('an unknown or malformed id is a 404; without credentials a 401', async () => {
    for (const id of ['999999', 'abc', '1e3', '-1', '99999999999999999999']) {
      expectError(await call(t, 'GET', `/rest/api/webhooks/${id}`, { token: owner.token }), 404, /No webhook/);
    }
    expectError(await call(t, 'GET', '/rest/api/webhooks'), 401);
    expectError(await call(t, 'GET', '/rest/api/webhooks/1/deliveries?limit=x', { token: owner.token }), 400, /limit must be an integer/);
  });
});

describe('webhooks over GraphQL', () => {
  it('createWebhook returns the webhook and its secret once; webhooks lists it; deleteWebhook removes it', async () => {
    const created = await t.graphql(CREATE, { i: { name: 'G', url: PUBLIC, events: ['CREATED'] } }, owner.token);
    const result = created.body.data.createWebhook;
    expect(result).toMatchObject({
      __typename: 'CreateWebhookSuccess',
      webhook: { name: 'G', url: PUBLIC, events: ['CREATED'], relationName: null, owner: { accountId: owner.user.accountId } },
    });
    expect(result.secret).toMatch(/^whsec_/);
    const listed = await t.graphql('{ webhooks { id deliveries { eventId } } }', {}, owner.token);
    expect(listed.body.data.webhooks).toContainEqual({ id: result.webhook.id, deliveries: [] });
    expect((await t.graphql('{ webhooks { id } }', {}, stranger.token)).body.data.webhooks).toEqual([]);

    const theirs = await t.graphql(
      'mutation($id: Int!) { deleteWebhook(input: {id: $id}) { __typename ... on Error { message } } }',
      { id: result.webhook.id },
      stranger.token,
    );
    expect(theirs.body.data.deleteWebhook).toEqual({ __typename: 'NotFoundError', message: `No webhook with id '${result.webhook.id}'` });
    const mine = await t.graphql('mutation($id: Int!) { deleteWebhook(input: {id: $id}) { __typename } }', { id: result.webhook.id }, owner.token);
    expect(mine.body.data.deleteWebhook.__typename).toBe('DeleteWebhookSuccess');
  });

  it("a site admin lists everyone's webhooks, but reading their deliveries is an error", async () => {
    const created = await t.graphql(CREATE, { i: { name: 'Seen', url: PUBLIC, events: ['DELETED'] } }, owner.token);
    const id = created.body.data.createWebhook.webhook.id;
    const answer = await t.graphql('{ webhooks { id deliveries(first: 1) { eventId } } }', {}, t.admin.token);
    expect(answer.body.data.webhooks).toContainEqual({ id, deliveries: null });
    expect(answer.body.errors![0].extensions.code).toBe('FORBIDDEN');
  });

  it.each([
    [{ name: '', url: PUBLIC, events: ['CREATED'] }, 'name'],
    [{ name: 'x', url: 'file:///etc/passwd', events: ['CREATED'] }, 'url'],
    [{ name: 'x', url: 'http://169.254.169.254/', events: ['CREATED'] }, 'url'],
    [{ name: 'x', url: PUBLIC, events: [] }, 'events'],
    [{ name: 'x', url: PUBLIC, events: ['CREATED'], secret: 'whsec_' }, 'secret'],
    [{ name: 'x', url: PUBLIC, events: ['CREATED'], relationName: ' '.repeat(300) }, 'relationName'],
  ])('createWebhook(%j) is a ValidationError on %s', async (input, field) => {
    const answer = await t.graphql(CREATE, { i: input }, owner.token);
    expect(answer.status).toBe(200);
    expect(answer.body.data.createWebhook).toMatchObject({ __typename: 'ValidationError', field });
  });

  it('an unknown event type is refused before anything runs', async () => {
    const answer = await t.graphql(CREATE, { i: { name: 'x', url: PUBLIC, events: ['UPDATED'] } }, owner.token);
    expect(answer.status).toBeLessThan(500);
    expect(answer.body.errors![0].message).toMatch(/RelationEventType/);
    expect(answer.body.data).toBeUndefined();
  });
});
