// The environment as the process reads it at start: defaults, accepted spellings, and one clear error naming every bad variable.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('configuration from the environment', () => {
  it('has the documented defaults when nothing is set', () => {
    expect(loadConfig({})).toEqual({
      port: 4000,
      host: '127.0.0.1',
      databaseUrl: undefined,
      dataDir: resolve('./data'),
      publicUrl: 'http://127.0.0.1:4000',
      logLevel: 'info',
      demo: true,
      rateLimit: undefined,
      redisKeyPrefix: 'rg-rate',
      graphiql: true,
      introspection: true,
      bodyLimit: 1_048_576,
      maxQueryCost: 50_000,
      adminEmail: 'admin@example.com',
      cors: { origins: [], anyOrigin: true },
      eventRetentionMs: 7 * 86_400_000,
      eventNotify: true,
      webhookAllowHosts: [],
      webhookRetryScale: 1,
      preparedStatements: true,
      databaseReadUrls: [],
      replicaMaxLagMs: 5_000,
    });
  });

  it('reads DATABASE_READ_URL as a list of PostgreSQL URLs, PG_PREPARED_STATEMENTS and REPLICA_MAX_LAG_MS', () => {
    const config = loadConfig({
      DATABASE_READ_URL: ' postgres://r1:5432/db, postgresql://r2/db ,',
      PG_PREPARED_STATEMENTS: 'false',
      REPLICA_MAX_LAG_MS: '250',
    });
    expect(config.databaseReadUrls).toEqual(['postgres://r1:5432/db', 'postgresql://r2/db']);
    expect(config.preparedStatements).toBe(false);
    expect(config.replicaMaxLagMs).toBe(250);
    expect(() => loadConfig({ DATABASE_READ_URL: 'postgres://r1/db,mysql://r2/db' })).toThrow(/DATABASE_READ_URL must be postgres:\/\//);
    expect(loadConfig({ PG_PREPARED_STATEMENTS: 'pooled' }).preparedStatements).toBe('pooled');
    expect(loadConfig({ PG_PREPARED_STATEMENTS: ' Off ' }).preparedStatements).toBe(false);
    expect(() => loadConfig({ PG_PREPARED_STATEMENTS: 'maybe' })).toThrow(/PG_PREPARED_STATEMENTS must be true, false or pooled, got "maybe"/);
    expect(() => loadConfig({ REPLICA_MAX_LAG_MS: '-1' })).toThrow(/REPLICA_MAX_LAG_MS/);
  });

  it('reads EVENT_RETENTION as a duration and refuses what is not one', () => {
    expect(loadConfig({ EVENT_RETENTION: '36h' }).eventRetentionMs).toBe(36 * 3_600_000);
    expect(loadConfig({ EVENT_RETENTION: '90m' }).eventRetentionMs).toBe(90 * 60_000);
    for (const bad of ['7', '7x', '-1d', '10s']) expect(() => loadConfig({ EVENT_RETENTION: bad })).toThrow(/EVENT_RETENTION must be a duration/);
  });

  it('reads EVENT_NOTIFY as a flag', () => {
    expect(loadConfig({ EVENT_NOTIFY: 'false' }).eventNotify).toBe(false);
    expect(loadConfig({ EVENT_NOTIFY: 'true' }).eventNotify).toBe(true);
    expect(() => loadConfig({ EVENT_NOTIFY: 'sometimes' })).toThrow(/EVENT_NOTIFY must be true or false/);
  });

  it('takes REDIS_URL only as a redis:// or rediss:// URL', () => {
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }).redisUrl).toBe('redis://127.0.0.1:6379');
    expect(() => loadConfig({ REDIS_URL: 'http://127.0.0.1:6379' })).toThrow(/REDIS_URL must start with redis:\/\//);
  });

  it('reads WEBHOOK_ALLOW_HOSTS as a list of lower-case hosts', () => {
    expect(loadConfig({ WEBHOOK_ALLOW_HOSTS: '127.0.0.1, [::1] ,Hooks.Internal' }).webhookAllowHosts).toEqual(['127.0.0.1', '::1', 'hooks.internal']);
  });

  it('reads WEBHOOK_RETRY_SCALE as a factor above 0 and at most 1', () => {
    expect(loadConfig({ WEBHOOK_RETRY_SCALE: '0.001' }).webhookRetryScale).toBe(0.001);
    for (const bad of ['0', '-1', '2', 'fast']) expect(() => loadConfig({ WEBHOOK_RETRY_SCALE: bad })).toThrow(/WEBHOOK_RETRY_SCALE must be a number/);
  });

  it('takes an empty variable for an unset one', () => {
    const empty = Object.fromEntries(
      [
        'PORT',
        'HOST',
        'DATABASE_URL',
        'DATA_DIR',
        'PUBLIC_URL',
        'LOG_LEVEL',
        'RATE_LIMIT',
        'DEMO',
        'BODY_LIMIT',
        'MAX_QUERY_COST',
        'ADMIN_EMAIL',
        'CORS_ORIGINS',
        'DATABASE_LISTEN_URL',
        'EVENT_RETENTION',
        'WEBHOOK_ALLOW_HOSTS',
        'WEBHOOK_RETRY_SCALE',
        'DATABASE_READ_URL',
        'PG_PREPARED_STATEMENTS',
        'REPLICA_MAX_LAG_MS',
      ].map((name) => [name, '']),
    );
    expect(loadConfig(empty)).toEqual(loadConfig({}));
  });

  it('derives PUBLIC_URL from HOST and PORT, brackets an IPv6 host, and drops trailing slashes from a given one', () => {
    expect(loadConfig({ HOST: '::1', PORT: '8080' }).publicUrl).toBe('http://[::1]:8080');
    expect(loadConfig({ PUBLIC_URL: 'https://relations.example//' }).publicUrl).toBe('https://relations.example');
  });

  it.each([
    ['DEMO', 'Off', false],
    ['DEMO', 'YES', true],
    ['GRAPHIQL', '0', false],
    ['INTROSPECTION', 'false', false],
    ['INTROSPECTION', 'on', true],
  ] as const)('reads %s=%s as %s', (name, value, expected) => {
    const config = loadConfig({ [name]: value });
    expect({ DEMO: config.demo, GRAPHIQL: config.graphiql, INTROSPECTION: config.introspection }[name]).toBe(expected);
  });

  it('reads LOG_LEVEL in any case, RATE_LIMIT=0 as no limit, and MAX_QUERY_COST', () => {
    expect(loadConfig({ LOG_LEVEL: 'DEBUG' }).logLevel).toBe('debug');
    expect(loadConfig({ RATE_LIMIT: '0' }).rateLimit).toBeUndefined();
    expect(loadConfig({ RATE_LIMIT: '50' }).rateLimit).toBe(50);
    expect(loadConfig({ MAX_QUERY_COST: '1000' }).maxQueryCost).toBe(1000);
  });

  it.each([
    [{ PORT: '65536' }, 'PORT must be an integer from 0 to 65535, got "65536"'],
    [{ PORT: '-1' }, 'PORT must be an integer from 0 to 65535, got "-1"'],
    [{ BODY_LIMIT: '1023' }, 'BODY_LIMIT must be an integer from 1024 to 104857600, got "1023"'],
    [{ RATE_LIMIT: '2.5' }, 'RATE_LIMIT must be an integer from 0 to 1000000, got "2.5"'],
    [{ MAX_QUERY_COST: '0' }, 'MAX_QUERY_COST must be an integer from 1 to 1000000000, got "0"'],
    [{ DEMO: 'maybe' }, 'DEMO must be true or false, got "maybe"'],
    [{ DATABASE_URL: 'mysql://db' }, 'DATABASE_URL must start with postgres:// or postgresql://'],
    [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL must be one of trace, debug, info, warn, error, silent'],
  ])('stops the start on %j: %s', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new ConfigError(message));
  });

  it('names every bad variable in one error', () => {
    expect(() => loadConfig({ PORT: 'x', GRAPHIQL: 'maybe' })).toThrow(
      new ConfigError('PORT must be an integer from 0 to 65535, got "x"; GRAPHIQL must be true or false, got "maybe"'),
    );
  });
});
