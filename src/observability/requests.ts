// One line per request (docs/operating.md-style contract in DESIGN, "Operating it"): the request id, the face and
// route template, the GraphQL operation names, status, duration and the caller's accountId; never the path,
// query string, headers or body, which are the client's input.
import { randomUUID } from 'node:crypto';
import type { Context, MiddlewareHandler, Next } from 'hono';
import { routePath } from 'hono/route';
import type { Config } from '../config.js';
import type { Ctx } from '../context.js';
import { type LogFields, loggerFor } from './log.js';
import type { RequestSummary, Tracing } from './tracing.js';

/** What the faces tell about a request while it runs. */
export interface Observed {
  /** GraphQL operation names, in order (a batch has several). */
  operations?: string[];
  /** The GraphQL context; the REST faces keep theirs in Hono's `ctx` variable. */
  ctx?: Ctx;
}

export type Face = 'graphql' | 'confluence' | 'umbraco' | 'gateway';

// Bounded and plain, so a client's id can be logged and echoed as is; anything else is replaced by ours.
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const MAX_NAME = 100;
const MAX_NAMES = 10;

// Keyed by Hono's context: middleware (the body limit) may replace the Request on the way to the route.
const observations = new WeakMap<Context, Observed>();

/** The record of a request in flight, for the GraphQL route to hand to yoga. */
export function observedOf(c: Context): Observed | undefined {
  return observations.get(c);
}

export function requestIdOf(header: string | undefined): string {
  return header !== undefined && REQUEST_ID.test(header) ? header : randomUUID();
}

export function faceOf(path: string): Face {
  if (path === '/graphql') return 'graphql';
  if (path.startsWith('/rest/api/') || path.startsWith('/wiki/rest/api/') || path === '/rest/api' || path === '/wiki/rest/api') return 'confluence';
  if (path === '/umbraco' || path.startsWith('/umbraco/')) return 'umbraco';
  return 'gateway';
}

/** Operation names as one bounded field: GraphQL names are [_A-Za-z0-9] by grammar, long ones are cut. */
export function operationField(names: string[] | undefined): string | undefined {
  if (!names?.length) return undefined;
  const shown = names.slice(0, MAX_NAMES).map((name) => name.slice(0, MAX_NAME));
  return names.length > MAX_NAMES ? `${shown.join(',')},…(${names.length - MAX_NAMES} more)` : shown.join(',');
}

function echo(c: Context, id: string): void {
  try {
    c.res.headers.set('X-Request-Id', id);
  } catch {
    // A response whose headers are immutable (one passed through from fetch) is copied once.
    c.res = new Response(c.res.body, c.res);
    c.res.headers.set('X-Request-Id', id);
  }
}

/** The same bytes, calling `done` once when they end, fail, or the client goes away. */
function whenDone(body: ReadableStream<Uint8Array>, done: () => void): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let called = false;
  const finish = () => {
    if (!called) (called = true), done();
  };
  return new ReadableStream({
    async pull(controller) {
      try {
        const { done: ended, value } = await reader.read();
        if (ended) {
          finish();
          controller.close();
        } else controller.enqueue(value);
      } catch (error) {
        finish();
        controller.error(error);
      }
    },
    async cancel(reason) {
      finish();
      await reader.cancel(reason);
    },
  });
}

export interface RequestHooks {
  /** Called once the response is known; for metrics. */
  done?(face: Face, route: string, status: number, seconds: number, observed: Observed): void;
  /** Set when tracing is on: each request runs inside its span. */
  tracing?: Tracing;
}

export function observeRequests(config: Config, hooks: RequestHooks = {}): MiddlewareHandler {
  const observe = async (c: Context, next: Next): Promise<RequestSummary> => {
    const started = performance.now();
    const id = requestIdOf(c.req.header('x-request-id'));
    const observed: Observed = {};
    observations.set(c, observed);
    await next();
    echo(c, id);
    const seconds = (performance.now() - started) / 1000;
    const { status } = c.res;
    // After next(), the route of the handler that answered (or of the middleware that refused the request).
    const route = routePath(c) || '*';
    const face = faceOf(c.req.path);
    const operation = operationField(observed.operations);
    hooks.done?.(face, route, status, seconds, observed);
    const summary = { id, method: c.req.method, route, face, status, operation };
    const level = status >= 500 ? 'error' : 'info';
    const log = loggerFor(config);
    if (!log.enabled(level)) return summary;
    const message = `${c.req.method} ${route} ${status}`;
    const line = (ms: number) => {
      const fields: LogFields = { reqId: id, method: c.req.method, route, face, operation, status, ms: Math.round(ms * 10) / 10 };
      const ctx = observed.ctx ?? (c.var as { ctx?: Ctx }).ctx;
      if (!ctx) return log.entry(level, message, fields);
      // The viewer's user was primed by authentication: this resolves from the loader's cache, without a statement.
      // (A subscription's loaders are replaced per event: then it may cost one statement, once per stream.)
      ctx.loaders.users.load(ctx.viewer.id).then(
        (user) => log.entry(level, message, { ...fields, accountId: user?.accountId }),
        () => log.entry(level, message, fields),
      );
    };
    // An event stream (a subscription) is logged when it ends, with how long it was open.
    if (c.res.body && c.res.headers.get('content-type')?.startsWith('text/event-stream')) {
      c.res = new Response(
        whenDone(c.res.body, () => line(performance.now() - started)),
        c.res,
      );
    } else line(seconds * 1000);
    return summary;
  };
  const { tracing } = hooks;
  return tracing
    ? (c, next) => tracing.request(() => observe(c, next))
    : async (c, next) => {
        await observe(c, next);
      };
}
