// Process entry: config → listen → database (migrated) → first-start bootstrap → serve; graceful stop on signals.
// On the embedded database the migrations and the first-start bootstrap may run in a child process (first-start.ts).
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Hono } from 'hono';
import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { adminBanner, bootstrap } from './bootstrap.js';
import type { Config } from './config.js';
import { openDatabase, type Database } from './db/database.js';
import { eventsOf } from './events/hub.js';
import { keepEventRetention } from './events/retention.js';
import { startWebhookWorker } from './events/webhook-worker.js';
import { openEmbedded } from './first-start.js';
import { createLogger, type Logger } from './observability/log.js';
import { listenMetrics } from './observability/metrics-server.js';
import type { Tracing } from './observability/tracing.js';

/** How long in-flight requests may take to finish after a stop signal. */
export const SHUTDOWN_GRACE_MS = 10_000;

export interface RunningServer {
  /** The address actually bound (PORT=0 picks a free port). */
  url: string;
  config: Config;
  db: Database;
  server: Server;
  /** Stops accepting, lets in-flight requests finish (bounded), closes the database. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Stop and exit 0 on SIGTERM/SIGINT (the CLI's `serve`); off for embedding. */
  handleSignals?: boolean;
  out?: (line: string) => void;
}

export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const out = options.out ?? ((line: string) => process.stdout.write(line + '\n'));
  const log = createLogger({ level: config.logLevel, format: config.logFormat, write: (line) => out(line.replace(/\n$/, '')) });

  // Installed before anything starts: a signal during migrations or bootstrap waits for them, then stops.
  let signalled: NodeJS.Signals | undefined;
  let running: RunningServer | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      log.warn(`${signal} again: exiting now`);
      process.exit(1);
    }
    signalled = signal;
    if (running) exitAfterStop(running, signal, log);
    else log.info(`${signal}: stopping as soon as the start has finished`);
  };
  if (options.handleSignals) {
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  }

  // The port first: a clash fails here, before the database is touched or a first-start admin token exists.
  const app = deferred<Hono['fetch']>();
  const { server, config: runtime } = await listen(config, app.promise);
  const { address, port } = server.address() as AddressInfo;
  const url = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;

  let db: Database | undefined;
  let metrics: { server: Server; url: string } | undefined;
  let tracing: Tracing | undefined;
  try {
    // Embedded: a first start (or pending migrations) is done by a short-lived child process, see first-start.ts.
    const opened = config.databaseUrl ? { db: await openMigrated(config, log) } : await openEmbedded(config, log);
    db = opened.db;
    const { admin, demo } = opened.firstStart ?? (await bootstrap(config, db, (step) => log.info(step)));
    // Printed whatever LOG_LEVEL says and not through the logger, which would redact the token: it is the only chance to see it.
    if (admin) out(adminBanner(admin));
    if (demo && !demo.skipped) {
      log.info(`Loaded demo data: ${demo.users} users, ${demo.spaces} spaces, ${demo.content} pages and posts, ${demo.relations} relations.`);
    }
    // Loaded only when configured: without an endpoint the OpenTelemetry SDK is never imported.
    if (config.otlpEndpoint) {
      const { otlpProcessor, startTracing } = await import('./observability/tracing.js');
      tracing = startTracing(db, otlpProcessor(config.otlpEndpoint));
    }
    keepEventRetention(db, config.eventRetentionMs, log);
    if (config.metricsPort !== undefined) metrics = await listenMetrics(runtime, db, config.metricsPort);
    app.resolve(createApp({ config: runtime, db, tracing }).fetch);
    // Stopped when the database closes (a hook of db.close), after in-flight requests have finished.
    startWebhookWorker({ db, config: runtime, log });
  } catch (error) {
    app.reject(error);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    metrics?.server.close();
    await db?.close().catch(() => {});
    await tracing?.shutdown().catch(() => {});
    throw error;
  }

  const stopServer = stopper(server, db, log);
  const metricsServer = metrics?.server;
  const flush = tracing?.shutdown;
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      metricsServer?.close();
      await stopServer();
      await flush?.().catch((error: unknown) => log.warn('Could not send the last traces', error));
    })());
  running = { url, config: runtime, db, server, stop };
  const where = db.kind === 'pglite' ? `embedded PGlite in ${config.dataDir}` : `PostgreSQL at ${postgresPlace(config.databaseUrl!)}`;
  log.info(`relation-gateway listening on ${url} (database: ${where})`);
  if (config.graphiql) log.info(`GraphiQL: ${runtime.publicUrl}/graphql`);
  if (config.otlpEndpoint) log.info(`Traces: OTLP/HTTP to ${new URL(config.otlpEndpoint).origin}`);
  if (metrics) log.info(`Metrics without a token: ${metrics.url} (keep METRICS_PORT private)`);
  if (signalled) exitAfterStop(running, signalled, log);
  return running;
}

function exitAfterStop(running: RunningServer, signal: NodeJS.Signals, log: Logger): void {
  log.info(`${signal}: finishing in-flight requests, then closing the database`);
  running.stop().then(
    () => {
      log.info('Stopped cleanly');
      process.exit(0);
    },
    (error: unknown) => {
      log.error('Error while stopping', error);
      process.exit(1);
    },
  );
}

/** Stops accepting, closes connections as they become idle (all of them after the grace period), then the database. */
function stopper(server: Server, db: Database, log: Logger): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () =>
    (stopping ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Event streams (SSE subscriptions) never finish by themselves: ended now, they complete and their clients
      // reconnect elsewhere with Last-Event-ID, instead of holding the stop for the whole grace period.
      await eventsOf(db, log).close();
      // Keep-alive connections sit idle between requests; close each as soon as it has nothing in flight.
      const idle = setInterval(() => server.closeIdleConnections(), 50);
      server.closeIdleConnections();
      const deadline = setTimeout(() => {
        log.warn(`Requests still running after ${SHUTDOWN_GRACE_MS / 1000} s: closing their connections`);
        server.closeAllConnections();
      }, SHUTDOWN_GRACE_MS);
      try {
        await closed;
      } finally {
        clearInterval(idle);
        clearTimeout(deadline);
        await db.close();
      }
    })());
}

/** host:port/database, without credentials, for the start-up line. */
function postgresPlace(url: string): string {
  const { hostname, port, pathname } = new URL(url);
  return `${hostname || 'localhost'}:${port || 5432}${pathname}`;
}

/** Connects to PostgreSQL and applies pending migrations, with a line before and after. */
async function openMigrated(config: Config, log: Logger): Promise<Database> {
  const started = performance.now();
  log.info(`Connecting to PostgreSQL at ${postgresPlace(config.databaseUrl!)} and applying pending migrations`);
  const db = await openDatabase({
    databaseUrl: config.databaseUrl,
    listenUrl: config.databaseListenUrl,
    preparedStatements: config.preparedStatements,
    notifyWrites: config.eventNotify,
    readUrls: config.databaseReadUrls,
    maxLagMs: config.replicaMaxLagMs,
    warn: (message) => log.warn(message),
  });
  log.info(`Database ready in ${Math.round(performance.now() - started)} ms`);
  return db;
}

function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; reject(error: unknown): void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  promise.catch(() => {}); // a failed start is reported by startServer; requests waiting on it just end
  return { promise, resolve, reject };
}

/**
 * Binds the port before the database is opened; requests that arrive while the start finishes wait for
 * the app. With PORT=0 and no PUBLIC_URL the public URL gets the port actually bound.
 */
function listen(config: Config, app: Promise<Hono['fetch']>): Promise<{ server: Server; config: Config }> {
  const runtime: Config = { ...config };
  let handler: Hono['fetch'] | undefined;
  app.then(
    (fetch) => (handler = fetch),
    () => {},
  );
  const fetch: Hono['fetch'] = (request, env, ctx) => (handler ? handler(request, env, ctx) : app.then((ready) => ready(request, env, ctx)));
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port: config.port, hostname: config.host }, (info) => {
      if (config.port === 0) runtime.publicUrl = runtime.publicUrl.replace(/:0$/, `:${info.port}`);
      server.off('error', onError);
      resolve({ server, config: runtime });
    }) as Server;
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') reject(new Error(`Port ${config.port} on ${config.host} is already in use; set PORT to another port`));
      else if (error.code === 'EACCES') reject(new Error(`Not allowed to listen on ${config.host}:${config.port}; choose a PORT above 1023`));
      else reject(error);
    };
    server.once('error', onError);
  });
}
