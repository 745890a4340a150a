// Tells the request line (and the metrics) which GraphQL operations a request ran.
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Ctx } from '../context.js';
import type { Observed } from './requests.js';

export interface ObservedContext {
  observed?: Observed;
}

export const observeOperations: Plugin<Ctx & ObservedContext> = {
  onExecute({ args }) {
    const observed = args.contextValue.observed;
    if (!observed) return;
    observed.ctx = args.contextValue;
    // The name as the document spells it (a GraphQL name), never the client's operationName parameter as sent.
    const operation = getOperationAST(args.document, args.operationName);
    const name = operation ? (operation.name?.value ?? 'anonymous') : 'unknown';
    (observed.operations ??= []).push(name);
  },
};
