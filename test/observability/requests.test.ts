// The request line: one per request on every face, with the request id echoed, the route template instead of
// the path, the operation name and the caller; a client error without a stack, a 5xx once with it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, installLogger } from '../../src/observability/log.js';
import { createTestApp, type TestApp } from '../support/app.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('request lines', () => {
  let t: TestApp;
  const raw: string[] = [];
  const entries = () => raw.map((line) => JSON.parse(line));
  // Request lines of an account's user resolve a microtask after the response.
  const settled = () => new Promise((resolve) => setImmediate(resolve));

  beforeAll(async () => {
    t = await createTestApp();
    installLogger(t.config, createLogger({ level: 'info', format: 'json', write: (line) => raw.push(line) }));
    t.app.get('/boom', () => {
      throw new Error('boom');
    });
  });
  afterAll(() => t.close());

  const last = async () => {
    await settled();
    return entries().at(-1);
  };

  it('a GraphQL request: its face, route, operation name, status, duration and the caller', async () => {
    const response = await t.request('/graphql', { method: 'POST', token: t.admin.token, json: { query: 'query Who { me { accountId } }' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toMatch(UUID);
    expect(await last()).toEqual({
      level: 'info',
      time: expect.any(String),
      msg: 'POST /graphql 200',
      reqId: response.headers.get('x-request-id'),
      method: 'POST',
      route: '/graphql',
      face: 'graphql',
      operation: 'Who',
      status: 200,
      ms: expect.any(Number),
      accountId: t.admin.user.accountId,
    });
  });

  it('a subscription is logged once, when its event stream ends, with its operation and caller', async () => {
    const response = await t.request('/graphql', {
      method: 'POST',
      token: t.admin.token,
      headers: { accept: 'text/event-stream' },
      json: { query: 'subscription Watch { relationEvents { id } }' },
    });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = response.body!.getReader();
    await reader.read(); // the first keep-alive comment: the stream is open
    await settled();
    const before = raw.length;
    await reader.cancel();
    await settled();
    expect(raw.length).toBe(before + 1);
    expect(await last()).toMatchObject({
      msg: 'POST /graphql 200',
      operation: 'Watch',
      status: 200,
      accountId: t.admin.user.accountId,
      reqId: response.headers.get('x-request-id'),
    });
  });

  it('a batch names each operation it ran', async () => {
    await t.request('/graphql', { method: 'POST', token: t.admin.token, json: [{ query: 'query A { me { accountId } }' }, { query: '{ me { accountId } }' }] });
    // In the order the operations started, which in a batch need not be the batch's order (seen under load).
    expect((await last()).operation.split(',').sort()).toEqual(['A', 'anonymous']);
  });

  it('the Confluence face logs the route template, never the path or its query string', async () => {
    const response = await t.request('/rest/api/content/999999?expand=space&secret=hunter2', { token: t.admin.token });
    expect(response.status).toBe(404);
    const line = await last();
    expect(line).toMatchObject({ level: 'info', route: '/rest/api/content/:id', face: 'confluence', status: 404, accountId: t.admin.user.accountId });
    expect(raw.at(-1)).not.toContain('999999');
    expect(raw.at(-1)).not.toContain('hunter2');
  });

  it('the Umbraco face too; a refused token gives a line without a caller', async () => {
    const response = await t.request('/umbraco/relation/parent/1', { headers: { 'api-key': 'rg_notatoken_notatoken' } });
    expect(response.status).toBe(401);
    expect(response.headers.get('x-request-id')).toMatch(UUID);
    const line = await last();
    expect(line).toMatchObject({ level: 'info', face: 'umbraco', status: 401 });
    expect(line).not.toHaveProperty('accountId');
    expect(raw.at(-1)).not.toContain('notatoken');
  });

  it('takes a well-formed X-Request-Id and echoes it; replaces one too long or with other characters', async () => {
    const given = await t.request('/healthz', { headers: { 'x-request-id': 'trace-42.a:b_C' } });
    expect(given.headers.get('x-request-id')).toBe('trace-42.a:b_C');
    expect(await last()).toMatchObject({ reqId: 'trace-42.a:b_C', face: 'gateway', route: '/healthz' });
    for (const bad of ['x'.repeat(129), 'a b', 'a\u00e9b', 'a\u001bb', 'id"}{']) {
      const response = await t.request('/healthz', { headers: { 'x-request-id': bad } });
      expect(response.headers.get('x-request-id')).toMatch(UUID);
    }
  });

  it('echoes the request id on a CORS preflight and on a route nobody serves', async () => {
    const preflight = await t.request('/graphql', { method: 'OPTIONS', headers: { origin: 'http://app.example', 'access-control-request-method': 'POST' } });
    expect(preflight.headers.get('x-request-id')).toMatch(UUID);
    const nowhere = await t.request('/nowhere/at/all');
    expect(nowhere.status).toBe(404);
    expect(nowhere.headers.get('x-request-id')).toMatch(UUID);
  });

  it('a client error has no stack anywhere in the output', async () => {
    const before = raw.length;
    await t.graphql('{ me { ', undefined, t.admin.token);
    await t.request('/rest/api/relation/x/from/nope/current/to/user/current', { token: t.admin.token });
    await settled();
    const added = raw.slice(before);
    expect(added).toHaveLength(2);
    for (const line of added) expect(line).not.toMatch(/\bat .*:\d+:\d+/);
  });

  it('a 5xx: the request line at error level, and the stack once', async () => {
    const before = raw.length;
    const response = await t.request('/boom');
    expect(response.status).toBe(500);
    await settled();
    const added = raw.slice(before).map((line) => JSON.parse(line));
    expect(added.map((entry) => entry.level)).toEqual(['error', 'error']);
    expect(added.filter((entry) => /Error: boom\\n {4}at /.test(entry.msg))).toHaveLength(1);
    expect(added[1]).toMatchObject({ msg: 'GET /boom 500', route: '/boom', status: 500 });
  });
});
