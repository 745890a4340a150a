import { createYoga, type YogaLogger, type YogaServerInstance } from 'graphql-yoga';
import type { Config } from '../config.js';
import type { Ctx } from '../context.js';
import type { Database } from '../db/database.js';
import { describeError, isExpected, loggerFor, type Logger } from '../observability/log.js';
import { type ObservedContext, observeOperations } from '../observability/operations.js';
import { contextFor } from '../services/authentication.js';
import { confirmedCaller } from './caller.js';
import { maskError } from './errors.js';
import { graphiqlOptions, renderGraphiQL } from './graphiql.js';
import { costLimit } from './cost.js';
import { compiledExecution } from './jit.js';
import { disableIntrospection } from './introspection.js';
import { armorPlugins, csrfPrevention, LIMITS } from './limits.js';
import { supportedOperations } from './operations.js';
import { readableParams } from './params.js';
import { eventStreams } from './sse.js';
import { schema } from './schema/index.js';
import { validationCache } from './validation-cache.js';

const text = (args: unknown[]) => args.map((arg) => (typeof arg === 'string' ? arg : describeError(arg))).join(' ');

/** Yoga's logger on ours. Yoga logs every error it masks; a client's error is logged at debug, without its text. */
function yogaLogger(log: Logger): YogaLogger {
  return {
    debug: (...args) => log.debug(text(args)),
    info: (...args) => log.info(text(args)),
    warn: (...args) => log.warn(text(args)),
    error: (...args) => (args.every((arg) => typeof arg !== 'string' && isExpected(arg)) ? log.debug(`GraphQL: ${text(args)}`) : log.error(`GraphQL: ${text(args)}`)),
  };
}

export function createGraphQL(config: Config, db: Database): YogaServerInstance<ObservedContext, Ctx> {
  return createYoga<ObservedContext, Ctx>({
    schema,
    graphqlEndpoint: '/graphql',
    maskedErrors: { maskError },
    // Documents stay in yoga's parse cache; their validation results in ours (validation-cache.ts).
    parserAndValidationCache: { validationCache: false },
    plugins: [
      validationCache(),
      csrfPrevention,
      readableParams,
      ...armorPlugins(config.introspection),
      ...(config.introspection ? [] : [disableIntrospection]),
      supportedOperations,
      eventStreams(),
      // Before compiledExecution: a refused operation is neither compiled nor run.
      costLimit(config.maxQueryCost),
      compiledExecution(),
      observeOperations,
      confirmedCaller,
    ],
    batching: { limit: LIMITS.batch },
    // BODY_LIMIT is enforced once, for every face, before the route (src/http/body-limit.ts). Yoga's own limit
    // would wrap each request's body in a TransformStream and a new Request (5 % of a GraphQL request's CPU).
    maxRequestBodySize: false,
    landingPage: false,
    // The one cross-origin policy is the app's (src/http/cors.ts): yoga's would reflect any origin with credentials.
    // A factory answering false keeps yoga's 204 for a bare OPTIONS but adds none of its own CORS headers.
    cors: () => false,
    graphiql: config.graphiql ? graphiqlOptions : false,
    renderGraphiQL,
    logging: yogaLogger(loggerFor(config)),
    // Authentication failures surface through maskError as a top-level UNAUTHENTICATED (HTTP 401).
    // A known caller is taken on trust until its first read or the route's refusal check (src/graphql/caller.ts).
    context: async ({ request, observed }) => {
      const ctx = await contextFor(config, db, request.headers, { provisional: true });
      if (observed) observed.ctx = ctx;
      return ctx;
    },
  });
}
