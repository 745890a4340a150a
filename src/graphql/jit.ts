// GraphQL execution through graphql-jit: each document is compiled to JavaScript once (the compiled query
// is cached per parsed document, which yoga's parse cache keeps), then runs without graphql-js's
// per-field interpretation. Measured in docs/performance.md.
import { useGraphQlJit } from '@envelop/graphql-jit';
import type { GraphQLError } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';

/** graphql-js answers a request whose variables do not coerce with HTTP 400; graphql-jit returns the same errors without a status. */
const variableErrorsAre400: Plugin = {
  onExecute: () => ({
    onExecuteDone({ result, setResult }) {
      if (!('errors' in result) || 'data' in result || !result.errors?.length) return;
      // graphql-jit's errors have read-only extensions: answer copies (made by yoga's graphql, which the masking recognises).
      const errors = (result.errors as GraphQLError[]).map(
        (e) => createGraphQLError(e.message, { nodes: e.nodes, source: e.source, positions: e.positions, extensions: { ...e.extensions, http: { status: 400 } } }),
      );
      setResult({ errors });
    },
  }),
};

export function compiledExecution(): Plugin[] {
  return [useGraphQlJit() as Plugin, variableErrorsAre400];
}
