// GET /metrics in Prometheus text (prom-client), one registry per app. Every label set is bounded: routes are
// templates, statuses are ours, and operation names are a client's choice, so only the first
// MAX_OPERATION_NAMES distinct ones get a series of their own.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { eventsOf } from '../events/hub.js';
import { rateLimitShared } from '../services/authentication.js';
import { loggerFor, type Logger } from './log.js';
import type { Face, Observed } from './requests.js';

export const MAX_OPERATION_NAMES = 50;
const OTHER = 'other';

export interface Metrics {
  registry: Registry;
  /** Records a finished request. */
  request(face: Face, route: string, status: number, seconds: number, observed: Observed): void;
}

export function createMetrics(config: Config, db: Database, log: Logger): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time until the answer was ready, by face, route template and status',
    labelNames: ['face', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const operations = new Counter({
    name: 'graphql_operations_total',
    help: `GraphQL operations run, by operation name (the first ${MAX_OPERATION_NAMES} distinct names; then "${OTHER}")`,
    labelNames: ['operation'] as const,
    registers: [registry],
  });
  let counted = 0;
  new Counter({
    name: 'db_statements_total',
    help: 'SQL statements sent to the database driver',
    registers: [registry],
    collect() {
      this.inc(db.statements.count - counted);
      counted = db.statements.count;
    },
  });
  new Gauge({
    name: 'db_pool_connections',
    help: 'Database connections by state (PostgreSQL pool; the embedded database is one connection)',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      for (const [state, count] of Object.entries(db.pool())) this.set({ state }, count);
    },
  });

  if (config.redisUrl && config.rateLimit) {
    new Gauge({
      name: 'rate_limit_shared',
      help: 'With REDIS_URL: 1 while the rate limit is shared through Redis, 0 while Redis is unreachable and this instance limits on its own',
      registers: [registry],
      collect() {
        const shared = rateLimitShared(config, db);
        if (shared !== undefined) this.set(shared ? 1 : 0);
      },
    });
  }
  const replicas = db.replicas?.bind(db);
  if (replicas) {
    new Gauge({
      name: 'db_replica_healthy',
      help: 'With DATABASE_READ_URL: 1 while a replica answers its polls and lags at most REPLICA_MAX_LAG_MS, else 0 (skipped)',
      labelNames: ['replica'] as const,
      registers: [registry],
      collect() {
        for (const r of replicas().replicas) this.set({ replica: r.place }, r.healthy ? 1 : 0);
      },
    });
    new Gauge({
      name: 'db_replica_lag_seconds',
      help: "With DATABASE_READ_URL: a replica's replay lag at its last good poll",
      labelNames: ['replica'] as const,
      registers: [registry],
      collect() {
        for (const r of replicas().replicas) if (Number.isFinite(r.lagMs)) this.set({ replica: r.place }, r.lagMs / 1000);
      },
    });
    const sent = { replica: 0, primary: 0 };
    new Counter({
      name: 'db_routed_reads_total',
      help: 'With DATABASE_READ_URL: read-only statements by the server chosen for them (replica, or primary when none may serve the caller)',
      labelNames: ['server'] as const,
      registers: [registry],
      collect() {
        const { reads } = replicas();
        for (const server of ['replica', 'primary'] as const) {
          this.inc({ server }, reads[server] - sent[server]);
          sent[server] = reads[server];
        }
      },
    });
  }
  const events = eventsOf(db, log);
  new Gauge({
    name: 'relation_event_streams',
    help: 'Relation event subscriptions (SSE streams) open on this instance',
    registers: [registry],
    collect() {
      this.set(events.openStreams);
    },
  });
  const lag = new Histogram({
    name: 'relation_event_delivery_lag_seconds',
    help: 'From the write of a relation event to its hand-over to a subscriber stream on this instance',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  events.onDelivered((seconds) => lag.observe(Math.max(0, seconds)));

  const names = new Set<string>();
  const label = (name: string) => {
    if (names.has(name)) return name;
    if (names.size >= MAX_OPERATION_NAMES) return OTHER;
    names.add(name);
    return name;
  };
  return {
    registry,
    request(face, route, status, seconds, observed) {
      duration.observe({ face, route, status }, seconds);
      for (const name of observed.operations ?? []) operations.inc({ operation: label(name.slice(0, 100)) });
    },
  };
}

// One registry per app (each app has its own Config object), found again by the separate METRICS_PORT listener.
const registries = new WeakMap<Config, Metrics>();

export function metricsFor(config: Config, db: Database): Metrics {
  let metrics = registries.get(config);
  if (!metrics) registries.set(config, (metrics = createMetrics(config, db, loggerFor(config))));
  return metrics;
}

/** The registry's text, as Prometheus scrapes it. */
export async function metricsResponse(metrics: Metrics): Promise<Response> {
  return new Response(await metrics.registry.metrics(), { headers: { 'content-type': metrics.registry.contentType } });
}
