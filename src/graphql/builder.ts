import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import { GraphQLDateTimeISO } from 'graphql-scalars';
import type { Ctx } from '../context.js';

export const builder = new SchemaBuilder<{
  Context: Ctx;
  Scalars: { DateTime: { Input: Date; Output: Date } };
  DefaultFieldNullability: false;
  DefaultEdgesNullability: { list: false; items: false };
  DefaultNodeNullability: false;
}>({
  defaultFieldNullability: false,
  plugins: [ErrorsPlugin, RelayPlugin],
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    nodesQueryOptions: false,
    nodesOnConnection: true,
    edgesFieldOptions: { nullable: { list: false, items: false } },
    nodeFieldOptions: { nullable: false },
  },
  errors: { defaultTypes: [] },
});

// On the wire as today: toISOString() of a Date (graphql-scalars' DateTime would hand the Date itself to the JSON writer).
builder.addScalarType('DateTime', GraphQLDateTimeISO, { description: 'An ISO-8601 date and time in UTC' });

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});
