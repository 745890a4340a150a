import { createRequire } from 'node:module';
import { schema } from './index.js';

// Pothos loads graphql's CommonJS build; under Vite (the tests) a plain import would get the ESM build, a second copy that rejects this schema.
const { lexicographicSortSchema, printSchema } = createRequire(import.meta.url)('graphql') as typeof import('graphql');

/** The SDL of schema.graphql: sorted, so it changes only when the schema does. */
export function printedSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
