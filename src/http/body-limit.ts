// One request-body limit (BODY_LIMIT) for every face, each refusing in its own error format.
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Config } from '../config.js';
import { graphqlErrorResponse } from '../graphql/errors.js';
import { errorResponse as confluenceError } from '../rest/confluence/errors.js';
import { UmbracoError, errorResponse as umbracoError } from '../rest/umbraco/errors.js';

/**
 * Hono's bodyLimit, minus its cost on every request. It starts by asking for `c.req.raw.body`, which makes
 * @hono/node-server build a full WHATWG Request (an AbortController, a web stream over the socket) even for a
 * GET: 6–7 % of a GraphQL request's CPU in the bench's profile, and the body then came through that stream
 * rather than the adapter's direct read. A GET or HEAD body is never read here; a body with Content-Length is
 * judged by the header, since Node's parser delivers no more than it declares; only a body without one
 * (chunked, or a Request handed to `app.fetch`) is counted as it streams, by Hono's own middleware.
 */
function limited(maxSize: number, onError: (c: Context) => Response): MiddlewareHandler {
  const streamed = bodyLimit({ maxSize, onError });
  return (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const length = c.req.header('content-length');
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) return streamed(c, next);
    return Number.parseInt(length, 10) > maxSize ? Promise.resolve(onError(c)) : next();
  };
}

export function limitBodies(app: Hono, config: Config): void {
  const message = `The request body is larger than ${config.bodyLimit} bytes`;
  const limit = (onError: (c: Context) => Response): MiddlewareHandler => limited(config.bodyLimit, onError);
  app.use(
    '/graphql',
    limit(() => graphqlErrorResponse(413, 'PAYLOAD_TOO_LARGE', message)),
  );
  app.use(
    '/rest/api/*',
    limit(() => confluenceError(413, message)),
  );
  app.use(
    '/wiki/rest/api/*',
    limit(() => confluenceError(413, message)),
  );
  app.use(
    '/umbraco/*',
    limit((c) => umbracoError(c, new UmbracoError(413, 'PayloadTooLarge', message), config)),
  );
}
