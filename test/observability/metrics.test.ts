// GET /metrics: Prometheus text for a site admin only; request durations by face, route template and status;
// GraphQL operations by name with a bounded label set; database statements and connections.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { MAX_OPERATION_NAMES } from '../../src/observability/metrics.js';
import { createTestApp, type TestApp } from '../support/app.js';

describe('/metrics', () => {
  let t: TestApp;
  const scrape = async () => {
    const response = await t.request('/metrics', { token: t.admin.token });
    expect(response.status).toBe(200);
    return response.text();
  };

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('is refused without a token (401), and to a user who is not a site admin (403)', async () => {
    const anonymous = await t.request('/metrics');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const wrong = await t.request('/metrics', { token: `rg_${'x'.repeat(40)}` });
    expect(wrong.status).toBe(401);
    const user = await t.account('Plain');
    const forbidden = await t.request('/metrics', { token: user.token });
    expect(forbidden.status).toBe(403);
    expect(await forbidden.text()).not.toContain('http_request_duration_seconds');
  });

  it('gives a site admin Prometheus text: request durations by face, route template and status', async () => {
    await t.request('/rest/api/content/424242?secret=hunter2', { token: t.admin.token });
    await t.request('/umbraco/relation/type', { token: t.admin.token });
    await t.graphql('query Who { me { accountId } }', undefined, t.admin.token);
    const response = await t.request('/metrics', { token: t.admin.token });
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(text).toMatch(/^http_request_duration_seconds_count\{face="confluence",route="\/rest\/api\/content\/:id",status="404"\} 1$/m);
    expect(text).toMatch(/^http_request_duration_seconds_bucket\{le="\+Inf",face="umbraco",route="\/umbraco\/relation\/type",status="200"\} 1$/m);
    expect(text).toMatch(/^http_request_duration_seconds_count\{face="graphql",route="\/graphql",status="200"\} \d+$/m);
    expect(text).toMatch(/^graphql_operations_total\{operation="Who"\} 1$/m);
    expect(text).not.toContain('424242');
    expect(text).not.toContain('hunter2');
  });

  it('counts the database statements the driver was sent, and its connections', async () => {
    const before = Number(/^db_statements_total (\d+)$/m.exec(await scrape())![1]);
    expect(before).toBe(t.db.statements.count);
    await t.graphql('{ me { accountId } }', undefined, t.admin.token);
    const text = await scrape();
    expect(Number(/^db_statements_total (\d+)$/m.exec(text)![1])).toBe(t.db.statements.count);
    expect(t.db.statements.count).toBeGreaterThan(before);
    expect(text).toMatch(/^db_pool_connections\{state="total"\} \d+$/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d+$/m);
  });

  it('counts open relation event streams and the delivery lag of their events', async () => {
    const { eventsOf } = await import('../../src/events/hub.js');
    const { loggerFor } = await import('../../src/observability/log.js');
    const [token] = await t.db.prisma.apiToken.findMany({ where: { userId: t.admin.user.id } });
    const stream = eventsOf(t.db, loggerFor(t.config)).stream({ id: t.admin.user.id, siteAdmin: true, tokenId: token.id }, { accept: () => true });
    const next = stream.next();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await scrape()).toMatch(/^relation_event_streams 1$/m);
    const space = await t.request('/rest/api/space', { method: 'POST', token: t.admin.token, json: { key: 'MET', name: 'Metrics' } });
    expect(space.status).toBe(200);
    const watched = await t.request('/rest/api/user/watch/space/MET', { method: 'POST', token: t.admin.token });
    expect(watched.status).toBe(204);
    expect((await next).value).toMatchObject({ type: 'CREATED', name: 'watch' });
    expect(await scrape()).toMatch(/^relation_event_delivery_lag_seconds_count 1$/m);
    await stream.return?.();
    expect(await scrape()).toMatch(/^relation_event_streams 0$/m);
  });

  it('1,000 random operation names make no more than a fixed number of series', async () => {
    const names = Array.from({ length: 1000 }, () => `Op_${randomBytes(8).toString('hex')}`);
    for (let i = 0; i < names.length; i += 20) {
      await Promise.all(names.slice(i, i + 20).map((name) => t.graphql(`query ${name} { me { accountId } }`, undefined, t.admin.token)));
    }
    const series = (await scrape()).split('\n').filter((line) => line.startsWith('graphql_operations_total{'));
    expect(series.length).toBeLessThanOrEqual(MAX_OPERATION_NAMES + 1);
    const other = series.find((line) => line.startsWith('graphql_operations_total{operation="other"}'));
    expect(Number(other?.split(' ')[1])).toBeGreaterThan(1000 - MAX_OPERATION_NAMES - 1);
  }, 60_000);
});

describe('METRICS_PORT', () => {
  it('is a port number or unset', () => {
    expect(loadConfig({}).metricsPort).toBeUndefined();
    expect(loadConfig({ METRICS_PORT: '9464' }).metricsPort).toBe(9464);
    expect(() => loadConfig({ METRICS_PORT: '70000' })).toThrow('METRICS_PORT must be an integer from 0 to 65535, got "70000"');
  });
});
