// One request-body limit (BODY_LIMIT) for every face, each refusing in its own error format.
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Config } from '../config.js';
import { graphqlErrorResponse } from '../graphql/errors.js';
import { errorResponse as confluenceError } from '../rest/confluence/errors.js';
import { UmbracoError, errorResponse as umbracoError } from '../rest/umbraco/errors.js';

export function limitBodies(app: Hono, config: Config): void {
  const message = `The request body is larger than ${config.bodyLimit} bytes`;
  const limit = (onError: (c: Context) => Response): MiddlewareHandler => bodyLimit({ maxSize: config.bodyLimit, onError });
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
