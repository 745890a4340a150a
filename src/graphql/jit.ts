// Queries and mutations run through graphql-jit: each operation is compiled to JavaScript once (cached per
// parsed operation, which yoga's parse cache keeps), then runs without graphql-js's per-field interpretation.
// Measured in docs/performance.md. Not @envelop/graphql-jit: its cache is keyed by document alone, so a
// document's second operation ran the first one compiled, and its compile failures answered 500.
// Subscriptions stay on yoga's executor: graphql-jit hands a subscribe resolver the request's variables
// as the field's arguments (an open graphql-jit bug, docs/graphql.md), so `count(to: 3)` arrives without `to`.
import {
  getOperationAST,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLError,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { notExecutable } from './operations.js';

type Compiled = CompiledQuery | { refused: ExecutionResult };

/** graphql-js answers a request whose variables do not coerce with HTTP 400; graphql-jit returns the same errors without a status. */
function variableErrorsAre400<T>(result: T): T | ExecutionResult {
  // Only that failure comes back synchronously without data; a promise (a running query) passes through.
  if (!result || typeof result !== 'object' || !('errors' in result) || 'data' in result) return result;
  // graphql-jit's errors have read-only extensions: answer copies (made by yoga's graphql, which the masking recognises).
  const errors = (result.errors as GraphQLError[]).map((e) =>
    createGraphQLError(e.message, { nodes: e.nodes, source: e.source, positions: e.positions, extensions: { ...e.extensions, http: { status: 400 } } }),
  );
  return { errors };
}

export function compiledExecution(): Plugin {
  // Per operation node, not per document: each operation of a document compiles on its own.
  const cache = new WeakMap<OperationDefinitionNode, Compiled>();

  function compiled(schema: GraphQLSchema, document: DocumentNode, operationName?: string | null): Compiled {
    const operation = getOperationAST(document, operationName);
    const known = operation && cache.get(operation);
    if (known) return known;
    const result = compileQuery(schema, document, operationName ?? undefined);
    // What the compiler cannot compile (it throws where graphql-js returns errors) is refused before anything runs.
    const entry = isCompiledQuery(result)
      ? result
      : { refused: { errors: (result.errors ?? []).map((e) => notExecutable(`This operation cannot be executed: ${e.message}`, e.nodes)) } };
    if (operation) cache.set(operation, entry);
    return entry;
  }

  return {
    onExecute({ args, setExecuteFn, setResultAndStopExecution }) {
      const entry = compiled(args.schema, args.document, args.operationName);
      if ('refused' in entry) return setResultAndStopExecution(entry.refused);
      setExecuteFn((a: ExecutionArgs) => variableErrorsAre400(entry.query(a.rootValue, a.contextValue, a.variableValues)));
    },
  };
}
