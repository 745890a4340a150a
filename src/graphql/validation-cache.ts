// Validation results kept per parsed document (yoga's parse cache keeps the documents), as yoga's own cache
// does, but without its key of every rule's name: yoga joins the names of the thirty-odd rules on every
// request to tell rule sets apart, 2 % of a small query's CPU here. This app's rules are fixed when it is
// made (graphql's, the armor's, the introspection switch), so one result per schema and document holds.
import type { DocumentNode, GraphQLError, GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export function validationCache(): Plugin {
  const results = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, readonly GraphQLError[]>>();
  return {
    onValidate({ params: { schema, documentAST }, setResult }) {
      let bySchema = results.get(schema);
      if (!bySchema) results.set(schema, (bySchema = new WeakMap()));
      const known = bySchema.get(documentAST);
      if (known) {
        setResult(known);
        return;
      }
      return ({ result }) => {
        if (result != null) bySchema.set(documentAST, result as readonly GraphQLError[]);
      };
    },
  };
}
