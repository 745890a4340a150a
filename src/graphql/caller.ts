// GraphQL's side of src/services/callers.ts: a caller taken on trust is confirmed before a mutation or a
// subscription runs, and before anything is answered (refusal, called by the route once yoga is done, covers
// every answer: results, validation errors, refusals before execution). A refused caller gets the same
// top-level UNAUTHENTICATED (HTTP 401) as an unknown token.
import { getOperationAST, type ExecutionArgs, type ExecutionResult, type GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Ctx } from '../context.js';
import { httpError } from '../domain/errors.js';
import { asDomainError } from '../services/failures.js';
import { confirmCaller } from '../services/callers.js';
import { graphqlErrorResponse, maskError } from './errors.js';

type Payload = { args: ExecutionArgs; setResultAndStopExecution: (result: ExecutionResult) => void };

/** A refused caller's operation does not run: its result is the refusal, which the route's `refusal` answers in full. */
async function confirmFirst({ args, setResultAndStopExecution }: Payload): Promise<void> {
  if (getOperationAST(args.document, args.operationName)?.operation === 'query') return;
  try {
    await confirmCaller(args.contextValue as Ctx);
  } catch (error) {
    setResultAndStopExecution({ errors: [maskError(error, 'Unexpected error.') as GraphQLError] });
  }
}

/** Confirms the caller before an operation that is not a query runs; a query's answer waits for `refusal`. */
export const confirmedCaller: Plugin<Ctx> = {
  onSubscribe: (payload) => ((payload.args.contextValue as Ctx).caller?.pending ? confirmFirst(payload) : undefined),
  onExecute: (payload) => ((payload.args.contextValue as Ctx).caller?.pending ? confirmFirst(payload) : undefined),
};

/** Undefined once the request's caller is confirmed; else the answer that replaces yoga's (401, or 503 when the database is out). */
export async function refusal(ctx: Ctx | undefined): Promise<Response | undefined> {
  try {
    await confirmCaller(ctx);
    return undefined;
  } catch (error) {
    const known = asDomainError(error);
    if (!known) throw error;
    const { status, headers } = httpError(known, 'Bearer');
    return graphqlErrorResponse(status, known.code, known.message, headers);
  }
}
