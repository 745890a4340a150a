import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { GraphQLError } from 'graphql';
import type { Config } from '../config.js';
import type { Ctx } from '../context.js';
import type { Database } from '../db/database.js';
import { contextFor } from '../services/authentication.js';
import { asDomainError } from '../services/failures.js';
import { schema } from './schema/index.js';

const EXAMPLE = `# Paste the admin token printed at first start into the Headers tab:
# { "Authorization": "Bearer rg_..." }
query Example {
  me { displayName accountId }
}
`;

export function createGraphQL(config: Config, db: Database): YogaServerInstance<Record<string, never>, Ctx> {
  return createYoga<Record<string, never>, Ctx>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: config.graphiql ? { defaultQuery: EXAMPLE, title: 'relation-gateway' } : false,
    logging: config.logLevel === 'silent' ? false : config.logLevel === 'debug' ? 'debug' : 'warn',
    context: async ({ request }) => {
      try {
        return await contextFor(config, db, request.headers);
      } catch (error) {
        const known = asDomainError(error);
        if (!known) throw error;
        const status = known.code === 'UNAUTHENTICATED' ? 401 : known.code === 'UNAVAILABLE' ? 503 : 400;
        throw new GraphQLError(known.message, {
          extensions: {
            code: known.code,
            http: { status, headers: status === 401 ? { 'WWW-Authenticate': 'Bearer realm="relation-gateway"' } : {} },
          },
        });
      }
    },
  });
}
