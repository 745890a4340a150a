// INTROSPECTION=false: graphql's NoSchemaIntrospectionCustomRule refuses __schema and __type (GraphiQL then cannot load the schema).
import { createRequire } from 'node:module';
import { Kind, type ValidationContext, type ValidationRule } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';

// The copy of graphql that built the schema (its CommonJS build, see schema/print.ts): the rule checks types with instanceof.
const { NoSchemaIntrospectionCustomRule } = createRequire(import.meta.url)('graphql') as typeof import('graphql');

// The rule reports every field of an introspection type, nested ones too, each in its own words; clients get what they always
// got: one error per __schema or __type, with this message and code.
const noIntrospection: ValidationRule = (context) => {
  const reporting: ValidationContext = Object.create(context);
  reporting.reportError = (error) => {
    const node = error.nodes?.[0];
    if (node?.kind !== Kind.FIELD || !node.name.value.startsWith('__')) return;
    context.reportError(createGraphQLError('GraphQL introspection is disabled', { nodes: [node], extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }));
  };
  return NoSchemaIntrospectionCustomRule(reporting);
};

export const disableIntrospection: Plugin = {
  onValidate: ({ addValidationRule }) => addValidationRule(noIntrospection),
};
