import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { routePath } from 'hono/route';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import { refusal } from './graphql/caller.js';
import { createGraphQL } from './graphql/yoga.js';
import { limitBodies } from './http/body-limit.js';
import { crossOrigin } from './http/cors.js';
import { loggerFor } from './observability/log.js';
import { metricsFor } from './observability/metrics.js';
import { registerMetrics } from './observability/metrics-route.js';
import { observedOf, observeRequests } from './observability/requests.js';
import type { Tracing } from './observability/tracing.js';
import { registerConfluence } from './rest/confluence/index.js';
import { registerUmbraco } from './rest/umbraco/index.js';

export interface AppDeps {
  config: Config;
  db: Database;
  /** OpenTelemetry, when configured (src/observability/tracing.ts). */
  tracing?: Tracing;
}

/** The whole HTTP surface: health, GraphQL, and the REST faces, over one set of services. */
export function createApp({ config, db, tracing }: AppDeps): Hono {
  const app = new Hono();
  // First: every response, a preflight or an error included, carries the request id and gets its line.
  const metrics = metricsFor(config, db);
  app.use(observeRequests(config, { done: metrics.request, tracing }));
  app.use(crossOrigin(config.cors));
  // With read replicas: each request's reads are routed for its caller, and a writing request records the
  // primary's WAL position before its answer leaves, so the caller's next read on any instance sees the write.
  const routed = db.request?.bind(db);
  if (routed) app.use((_, next) => routed(next));
  // Hono's default handler would print the raw error; each face has its own, this catches what none of them owns.
  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    loggerFor(config).error(`${c.req.method} ${routePath(c)} failed`, error);
    return c.json({ error: 'Internal server error' }, 500);
  });

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    try {
      await db.ping();
      return c.json({ status: 'ready', database: db.kind });
    } catch {
      return c.json({ status: 'unavailable', database: db.kind }, 503);
    }
  });

  registerMetrics(app, config, db);

  limitBodies(app, config);
  const yoga = createGraphQL(config, db);
  // Every method: yoga itself answers the unsupported ones with a 405 in the GraphQL format.
  app.all('/graphql', async (c) => {
    const observed = observedOf(c);
    // handleRequest, not fetch: fetch also makes the request's AbortSignal (an AbortController per request) and
    // races the answer against it, which nothing here needs. A subscription still ends when its client leaves:
    // it reads the signal itself (src/graphql/schema/events.ts), and the adapter aborts it on disconnect.
    const res = await yoga.handleRequest(c.req.raw, { observed });
    // Nothing is answered before the caller is confirmed (src/services/callers.ts); a refusal replaces the answer.
    const refused = await refusal(observed?.ctx);
    // (A refused subscription never started: src/graphql/caller.ts stops it, so its stream holds nothing.)
    if (refused) return refused;
    // A JSON answer is one complete string inside yoga's Response; handed over as a string, the Node adapter
    // writes it in one go instead of reading it back through a ReadableStream chunk by chunk (~4 % of CPU).
    // Not `res.body` to tell: reading it makes the ponyfill encode the string and wrap it in two streams.
    if (!/json/.test(res.headers.get('content-type') ?? '')) return res;
    return new Response(await res.text(), { status: res.status, headers: Object.fromEntries(res.headers) });
  });
  registerConfluence(app, { config, db });
  registerUmbraco(app, { config, db });

  return app;
}
