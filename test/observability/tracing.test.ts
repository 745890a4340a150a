// OpenTelemetry, tested with an in-memory exporter: a span per request, and inside it one span per SQL
// statement, as many as the driver-level statement counter saw.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/database.js';
import { startTracing, type Tracing } from '../../src/observability/tracing.js';
import { issueToken } from '../../src/services/tokens.js';
import { insertUser } from '../../src/services/users.js';
import { freshDatabase } from '../support/database.js';
import { ROOT } from '../support/processes.js';

describe('traces', () => {
  const exporter = new InMemorySpanExporter();
  let db: Database;
  let tracing: Tracing;
  let app: ReturnType<typeof createApp>;
  let token: string;

  beforeAll(async () => {
    db = await freshDatabase();
    const user = await insertUser(db.prisma, { email: 'tracer@example.com', displayName: 'Tracer', admin: true });
    ({ token } = await issueToken(db.prisma, user.id, 'test'));
    tracing = startTracing(db, new SimpleSpanProcessor(exporter));
    app = createApp({ config: loadConfig({ PUBLIC_URL: 'http://gateway.test', LOG_LEVEL: 'silent' }), db, tracing });
  });
  afterAll(async () => {
    await tracing.shutdown();
    await db.close();
  });

  /** Sends one request; returns its response, its request span, the statement spans under it and the statements counted. */
  async function traced(path: string, init: RequestInit = {}) {
    exporter.reset();
    const before = db.statements.count;
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${token}`);
    const response = await app.fetch(new Request(`http://gateway.test${path}`, { ...init, headers }));
    const body = await response.text();
    const counted = db.statements.count - before;
    const spans = exporter.getFinishedSpans();
    const requests = spans.filter((span) => span.attributes['http.route'] !== undefined);
    expect(requests).toHaveLength(1);
    const [request] = requests;
    const statements = spans.filter((span) => span.spanContext().traceId === request.spanContext().traceId && span !== request);
    return { response, body, request, statements, counted };
  }

  const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

  it('a GraphQL read: one request span, and one child span per statement the driver was sent', async () => {
    const query =
      'query Mine { me { accountId } content(id: "1") { id } relationsFrom(name: "likes", source: { type: USER, key: "current" }, targetType: CONTENT) { totalCount } }';
    const { response, body, request, statements, counted } = await traced('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    expect(response.status).toBe(200);
    expect(JSON.parse(body).errors).toBeUndefined();
    expect(request.name).toBe('POST /graphql');
    expect(request.attributes).toMatchObject({ 'http.response.status_code': 200, 'graphql.operation.name': 'Mine', 'relation_gateway.face': 'graphql' });
    expect(counted).toBeGreaterThan(0);
    expect(statements).toHaveLength(counted);
    for (const span of statements) {
      expect(parentOf(span)).toBe(request.spanContext().spanId);
      expect(span.attributes['db.query.text']).toEqual(expect.any(String));
    }
  });

  it('a write in a transaction: BEGIN and COMMIT are statements with spans too', async () => {
    const { response, statements, counted } = await traced('/rest/api/space', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key: 'TRACED', name: 'Traced' }),
    });
    expect(response.status).toBeLessThan(300);
    expect(statements).toHaveLength(counted);
    expect(statements.map((span) => span.name)).toContain('INSERT');
  });

  it('a refused request still has its span, with no statement beyond the token lookup', async () => {
    exporter.reset();
    const response = await app.fetch(new Request('http://gateway.test/umbraco/relation/type', { headers: { 'api-key': `rg_${'n'.repeat(40)}` } }));
    expect(response.status).toBe(401);
    const spans = exporter.getFinishedSpans();
    const request = spans.find((span) => span.attributes['http.route'] !== undefined)!;
    expect(request.attributes['http.response.status_code']).toBe(401);
    expect(spans.filter((span) => parentOf(span) === request.spanContext().spanId).length).toBeLessThanOrEqual(1);
  });
});

describe('without OTEL_EXPORTER_OTLP_ENDPOINT', () => {
  it('nothing loads OpenTelemetry: only tracing.ts imports it, and server.ts imports tracing.ts on demand', () => {
    const src = join(ROOT, 'src');
    const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts') && !file.startsWith('generated'));
    const loading = files.filter((file) => {
      const text = readFileSync(join(src, file), 'utf8');
      const otel = /^import (?!type )[^;]*from '@opentelemetry\//m.test(text);
      const tracing = /^import (?!type )[^;]*from '[./]*(observability\/)?tracing\.js'/m.test(text);
      return otel || tracing;
    });
    expect(loading).toEqual([join('observability', 'tracing.ts')]);
    expect(readFileSync(join(src, 'server.ts'), 'utf8')).toContain("await import('./observability/tracing.js')");
  });
});

describe('OTEL_EXPORTER_OTLP_ENDPOINT', () => {
  it('is an http(s) URL or unset', () => {
    expect(loadConfig({}).otlpEndpoint).toBeUndefined();
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }).otlpEndpoint).toBe('http://127.0.0.1:4318');
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow('OTEL_EXPORTER_OTLP_ENDPOINT must be an http:// or https:// URL');
  });
});
