// Reading GraphQL parameters from a request: anything unreadable is the client's error (400/415), never a 500.
import { createGraphQLError, type Plugin } from 'graphql-yoga';

const isGraphQLError = (error: unknown) => error instanceof Error && error.name === 'GraphQLError';

export const readableParams: Plugin = {
  onRequestParse({ request, requestParser, setRequestParser }) {
    if (request.method !== 'GET' && request.method !== 'POST') {
      throw createGraphQLError(`GraphQL is served over GET and POST, not ${request.method}`, {
        extensions: { code: 'METHOD_NOT_ALLOWED', http: { status: 405, headers: { Allow: 'GET, POST' } } },
      });
    }
    if (!requestParser) {
      // Yoga would answer an empty 415; say why, in the GraphQL format.
      throw createGraphQLError(`Unsupported Content-Type '${request.headers.get('content-type') ?? ''}': send application/json`, {
        extensions: { code: 'BAD_REQUEST', http: { status: 415 } },
      });
    }
    // Yoga's parsers JSON.parse `variables` and `extensions` unguarded; a malformed value is bad input.
    setRequestParser(async (req) => {
      try {
        return await requestParser(req);
      } catch (error) {
        if (isGraphQLError(error)) throw error;
        throw createGraphQLError(`The GraphQL parameters could not be read: ${(error as Error).message}`, {
          extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
        });
      }
    });
  },
};
