// Tells the request line (and the metrics) which GraphQL operations a request ran, in the order they started
// (the items of a batch run side by side, so not necessarily in the batch's order).
import { getOperationAST, type ExecutionArgs } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Ctx } from '../context.js';
import type { Observed } from './requests.js';

export interface ObservedContext {
  observed?: Observed;
}

function observe({ args }: { args: ExecutionArgs }): void {
  const context = args.contextValue as Ctx & ObservedContext;
  const observed = context.observed;
  if (!observed) return;
  observed.ctx = context;
  // The name as the document spells it (a GraphQL name), never the client's operationName parameter as sent.
  const operation = getOperationAST(args.document, args.operationName);
  const name = operation ? (operation.name?.value ?? 'anonymous') : 'unknown';
  (observed.operations ??= []).push(name);
}

export const observeOperations: Plugin<Ctx & ObservedContext> = { onExecute: observe, onSubscribe: observe };
