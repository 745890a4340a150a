import { resolve } from 'node:path';
import { z } from 'zod';
import type { PreparedStatements } from './db/read.js';

export interface Config {
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  publicUrl: string;
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** LOG_FORMAT: json lines or pretty ones for people; unset = pretty on a terminal, json otherwise. */
  logFormat?: 'json' | 'pretty';
  /** Load demo data on the first start of an empty embedded database. */
  demo: boolean;
  /** Requests per second per API token; undefined = no limit. */
  rateLimit?: number;
  /** REDIS_URL: the rate limit is shared by every instance through this Redis; unset = each instance limits on its own. */
  redisUrl?: string;
  /** REDIS_KEY_PREFIX: the prefix of the rate limit's keys, for deployments sharing one Redis (default rg-rate). */
  redisKeyPrefix: string;
  graphiql: boolean;
  introspection: boolean;
  /** Largest request body accepted, in bytes. */
  bodyLimit: number;
  /** MAX_QUERY_COST: the largest cost a GraphQL operation may have (src/graphql/cost.ts). */
  maxQueryCost: number;
  /** E-mail of the site admin created on the first start of an empty database. */
  adminEmail: string;
  /** METRICS_PORT: /metrics without a token on its own listener (on HOST); unset = only on the main port, for site admins. */
  metricsPort?: number;
  /** OTEL_EXPORTER_OTLP_ENDPOINT: OpenTelemetry traces go to `${it}/v1/traces`; unset = no tracing at all. */
  otlpEndpoint?: string;
  /** Cross-origin access (CORS_ORIGINS); enforced by src/http/cors.ts. */
  cors: CorsConfig;
  /** DATABASE_LISTEN_URL: where LISTEN for relation events connects on PostgreSQL; default DATABASE_URL. */
  databaseListenUrl?: string;
  /**
   * PG_PREPARED_STATEMENTS: true (named statements, one session setting per connection); 'pooled' for a pooler in
   * transaction mode that keeps prepared statements itself (pgbouncer ≥ 1.21, `max_prepared_statements`): named
   * statements, no session settings; false for one that does not (pgbouncer 1.18): unnamed statements, no session settings.
   */
  preparedStatements: PreparedStatements;
  /** DATABASE_READ_URL: streaming replicas for read-only statements (comma-separated PostgreSQL URLs). */
  databaseReadUrls: string[];
  /** REPLICA_MAX_LAG_MS: a replica further behind the primary is skipped. */
  replicaMaxLagMs: number;
  /** EVENT_NOTIFY (default true): NOTIFY the instances after each write; false leaves them to their 500 ms poll. */
  eventNotify: boolean;
  /** EVENT_RETENTION: how long relation events are kept for Last-Event-ID replay and webhooks, in ms (default 7 days). */
  eventRetentionMs: number;
  /** WEBHOOK_ALLOW_HOSTS: hosts (names or IP addresses) webhooks may target although they are loopback, link-local or private. */
  webhookAllowHosts: string[];
  /** WEBHOOK_RETRY_SCALE: a factor on the webhook retry schedule and its 24 h window, for tests only (default 1). */
  webhookRetryScale: number;
}

/** Listed origins may read answers with credentials; `anyOrigin` lets every other origin read them without. */
export interface CorsConfig {
  origins: string[];
  anyOrigin: boolean;
}

export class ConfigError extends Error {}

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'silent'] as const;

// An empty variable means the same as an unset one: its default.
const unset = <T extends z.ZodType>(schema: T) => z.preprocess((raw) => (raw === '' ? undefined : raw), schema);

const integer = (name: string, fallback: number, min: number, max: number) =>
  unset(
    z
      .string()
      .refine((raw) => /^\d+$/.test(raw) && Number(raw) >= min && Number(raw) <= max, {
        error: (issue) => `${name} must be an integer from ${min} to ${max}, got "${issue.input}"`,
      })
      .transform(Number)
      .default(fallback),
  );

const TRUTHY = ['1', 'true', 'yes', 'on'];
const FALSY = ['0', 'false', 'no', 'off'];

const flag = (name: string, fallback: boolean) =>
  unset(z.stringbool({ truthy: TRUTHY, falsy: FALSY, error: (issue) => `${name} must be true or false, got "${issue.input}"` }).default(fallback));

// Browsers send an origin serialized (lowercase, no default port, no path), so only that form can ever match.
// zod's url() accepts any URL, so the exact-origin test stays ours.
function exactOrigin(entry: string): true | string {
  if (entry.includes('*')) return 'patterns are not supported: list each origin';
  if (!URL.canParse(entry)) return 'it is not a URL';
  const { origin } = new URL(entry);
  if (origin === 'null') return /^[a-z][a-z\d+.-]*:\/\/[a-z\d.-]+(:\d+)?$/.test(entry) || 'it is not scheme://host[:port]';
  return origin === entry || `did you mean "${origin}"?`;
}

const corsOrigins = z
  .string()
  .optional()
  .transform((value, ctx): CorsConfig => {
    const raw = value?.trim();
    if (!raw) return { origins: [], anyOrigin: true };
    if (raw === 'none') return { origins: [], anyOrigin: false };
    const entries = raw.split(',').map((entry) => entry.trim());
    const origins = entries.filter((entry) => entry !== '*');
    for (const entry of origins) {
      const verdict = exactOrigin(entry);
      if (verdict !== true) {
        ctx.addIssue({
          code: 'custom',
          message:
            `CORS_ORIGINS entry "${entry}" is not an exact origin such as https://app.example or http://localhost:5173 (${verdict}); ` +
            'list origins separated by commas, add * for any other origin without credentials, or set none alone',
        });
        return z.NEVER;
      }
    }
    return { origins: [...new Set(origins)], anyOrigin: entries.includes('*') };
  });

const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration such as 7d, 36h, 90m, 30s or 500ms. */
const duration = (name: string, fallback: string, minMs: number) =>
  unset(z.string().default(fallback)).transform((raw, ctx) => {
    const match = /^(\d+)(ms|s|m|h|d)$/.exec(raw.trim());
    const ms = match ? Number(match[1]) * UNITS[match[2]] : Number.NaN;
    if (!(ms >= minMs) || !Number.isSafeInteger(ms)) {
      ctx.addIssue({ code: 'custom', message: `${name} must be a duration of at least ${minMs / 1000} s such as 7d, 36h or 90m, got "${raw}"` });
      return z.NEVER;
    }
    return ms;
  });

const postgresUrl = (name: string) =>
  unset(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, `${name} must start with postgres:// or postgresql://`)
      .optional(),
  );

const environment = z.object({
  PORT: integer('PORT', 4000, 0, 65535),
  HOST: unset(z.string().default('127.0.0.1')),
  DATABASE_URL: postgresUrl('DATABASE_URL'),
  DATABASE_LISTEN_URL: postgresUrl('DATABASE_LISTEN_URL'),
  PG_PREPARED_STATEMENTS: unset(z.string().default('true')).transform((raw, ctx): PreparedStatements => {
    const value = raw.trim().toLowerCase();
    if (value === 'pooled') return value;
    if (TRUTHY.includes(value)) return true;
    if (FALSY.includes(value)) return false;
    ctx.addIssue({ code: 'custom', message: `PG_PREPARED_STATEMENTS must be true, false or pooled, got "${raw}"` });
    return z.NEVER;
  }),
  DATABASE_READ_URL: unset(z.string().default(''))
    .transform((raw) =>
      raw
        .split(',')
        .map((url) => url.trim())
        .filter(Boolean),
    )
    .refine((urls) => urls.every((url) => /^postgres(ql)?:\/\//.test(url)), 'DATABASE_READ_URL must be postgres:// or postgresql:// URLs, comma-separated'),
  REPLICA_MAX_LAG_MS: integer('REPLICA_MAX_LAG_MS', 5_000, 0, 3_600_000),
  EVENT_RETENTION: duration('EVENT_RETENTION', '7d', 60_000),
  EVENT_NOTIFY: flag('EVENT_NOTIFY', true),
  WEBHOOK_ALLOW_HOSTS: unset(z.string().default('')).transform((raw) =>
    raw
      .split(',')
      .map((host) =>
        host
          .trim()
          .toLowerCase()
          .replace(/^\[(.*)\]$/, '$1'),
      )
      .filter(Boolean),
  ),
  // For tests: 0.001 turns the 24 h of retries into 86 s.
  WEBHOOK_RETRY_SCALE: unset(z.string().default('1')).transform((raw, ctx) => {
    const scale = Number(raw);
    if (!(scale > 0 && scale <= 1)) {
      ctx.addIssue({ code: 'custom', message: `WEBHOOK_RETRY_SCALE must be a number above 0 and at most 1, got "${raw}"` });
      return z.NEVER;
    }
    return scale;
  }),
  DATA_DIR: unset(z.string().default('./data')),
  PUBLIC_URL: unset(z.string().optional()),
  LOG_LEVEL: unset(z.string().default('info')).pipe(
    z
      .string()
      .toLowerCase()
      .pipe(z.enum(LOG_LEVELS, { error: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })),
  ),
  LOG_FORMAT: unset(z.enum(['json', 'pretty'], { error: 'LOG_FORMAT must be json or pretty' }).optional()),
  RATE_LIMIT: integer('RATE_LIMIT', 0, 0, 1_000_000),
  REDIS_URL: unset(
    z
      .string()
      .regex(/^rediss?:\/\//, 'REDIS_URL must start with redis:// or rediss://')
      .optional(),
  ),
  REDIS_KEY_PREFIX: unset(z.string().default('rg-rate')),
  DEMO: flag('DEMO', true),
  GRAPHIQL: flag('GRAPHIQL', true),
  INTROSPECTION: flag('INTROSPECTION', true),
  BODY_LIMIT: integer('BODY_LIMIT', 1_048_576, 1024, 100 * 1_048_576),
  MAX_QUERY_COST: integer('MAX_QUERY_COST', 50_000, 1, 1_000_000_000),
  ADMIN_EMAIL: unset(z.string().default('admin@example.com')),
  CORS_ORIGINS: corsOrigins,
  METRICS_PORT: integer('METRICS_PORT', -1, 0, 65535),
  OTEL_EXPORTER_OTLP_ENDPOINT: unset(z.url({ protocol: /^https?$/, error: 'OTEL_EXPORTER_OTLP_ENDPOINT must be an http:// or https:// URL' }).optional()),
});

/** The environment as a typed config; every invalid variable is named in one ConfigError. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environment.safeParse(env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => issue.message).join('; '));
  const vars = parsed.data;
  const host = vars.HOST;
  return {
    port: vars.PORT,
    host,
    databaseUrl: vars.DATABASE_URL,
    dataDir: resolve(vars.DATA_DIR),
    publicUrl: (vars.PUBLIC_URL ?? `http://${host.includes(':') ? `[${host}]` : host}:${vars.PORT}`).replace(/\/+$/, ''),
    logLevel: vars.LOG_LEVEL,
    logFormat: vars.LOG_FORMAT,
    demo: vars.DEMO,
    rateLimit: vars.RATE_LIMIT > 0 ? vars.RATE_LIMIT : undefined,
    redisUrl: vars.REDIS_URL,
    redisKeyPrefix: vars.REDIS_KEY_PREFIX,
    graphiql: vars.GRAPHIQL,
    introspection: vars.INTROSPECTION,
    bodyLimit: vars.BODY_LIMIT,
    maxQueryCost: vars.MAX_QUERY_COST,
    adminEmail: vars.ADMIN_EMAIL,
    cors: vars.CORS_ORIGINS,
    metricsPort: vars.METRICS_PORT >= 0 ? vars.METRICS_PORT : undefined,
    otlpEndpoint: vars.OTEL_EXPORTER_OTLP_ENDPOINT,
    databaseListenUrl: vars.DATABASE_LISTEN_URL,
    preparedStatements: vars.PG_PREPARED_STATEMENTS,
    databaseReadUrls: vars.DATABASE_READ_URL,
    replicaMaxLagMs: vars.REPLICA_MAX_LAG_MS,
    eventRetentionMs: vars.EVENT_RETENTION,
    eventNotify: vars.EVENT_NOTIFY,
    webhookAllowHosts: vars.WEBHOOK_ALLOW_HOSTS,
    webhookRetryScale: vars.WEBHOOK_RETRY_SCALE,
  };
}
