// Documents the schema cannot execute are refused before execution, like any invalid document (docs/graphql.md, Errors).
import type { ASTNode, GraphQLError, ValidationRule } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';

/**
 * A refusal in the shape of a validation error, answered 400 whatever the Accept header: yoga answers
 * ordinary validation errors 200 under `application/json` and SSE (`spec`), but nothing here ever ran.
 */
export function notExecutable(message: string, nodes?: readonly ASTNode[] | ASTNode): GraphQLError {
  return createGraphQLError(message, { nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400, spec: false } } });
}

/** The spec's Operation Type Existence rule (graphql-js 17's KnownOperationTypesRule), which graphql-js 16 lacks. */
const knownOperationTypes: ValidationRule = (context) => ({
  OperationDefinition(node) {
    if (!context.getSchema().getRootType(node.operation)) {
      context.reportError(notExecutable(`The ${node.operation} operation is not supported by the schema.`, node));
    }
  },
});

export const supportedOperations: Plugin = {
  onValidate: ({ addValidationRule }) => addValidationRule(knownOperationTypes),
};
