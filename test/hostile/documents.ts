// GraphQL documents of every operation type (anonymous, named, several in one document) with the answer
// GraphQL owes each, whichever operationName comes with it.
import fc from 'fast-check';

export const OPERATION_TYPES = ['query', 'mutation', 'subscription'] as const;
type OperationType = (typeof OPERATION_TYPES)[number];

/** Keywords and Object.prototype names are valid operation names too. */
export const NAMES = ['A', 'B', 'Op', 'query', 'subscription', 'constructor', '__proto__'];

interface Operation {
  type: OperationType;
  name?: string;
  /** `{ ... }`: an anonymous query without the keyword. */
  shorthand: boolean;
}

export interface OperationsDocument {
  query: string;
  operations: Operation[];
}

const ROOT = { query: 'Query', mutation: 'Mutation', subscription: 'Subscription' } as const;

// Each operation selects only `__typename` under an alias of its own, so the answer names the operation that ran.
const key = (i: number) => `op${i}`;

function text({ type, name, shorthand }: Operation, i: number): string {
  const selection = `{ ${key(i)}: __typename }`;
  return shorthand ? selection : `${type}${name ? ` ${name}` : ''} ${selection}`;
}

const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({ type: fc.constantFrom(...OPERATION_TYPES), name: fc.option(fc.constantFrom(...NAMES), { nil: undefined }), shorthand: fc.constant(false) }),
  fc.constant<Operation>({ type: 'query', shorthand: true }),
);

const executable = fc.record({ type: fc.constantFrom<OperationType>('query', 'mutation'), name: fc.constantFrom(...NAMES), shorthand: fc.constant(false) });

export const operationsDocument: fc.Arbitrary<OperationsDocument> = fc
  .oneof(
    fc.array(operation, { minLength: 1, maxLength: 4 }),
    // Most random mixes are invalid; these documents are valid, so operationName decides what runs.
    fc.uniqueArray(executable, { minLength: 2, maxLength: 4, selector: (o) => o.name }),
  )
  .map((operations) => ({ operations, query: operations.map(text).join('\n') }));

/** The operationNames worth sending with a document: none, each of its names, and one it lacks. */
export const operationNamesFor = (doc: OperationsDocument): (string | undefined)[] => [
  undefined,
  ...new Set(doc.operations.flatMap((o) => (o.name ? [o.name] : []))),
  'Missing',
];

/**
 * The data GraphQL answers, or undefined when it must answer errors alone: a subscription selecting only
 * `__typename` is invalid whether or not the schema has a Subscription type; an anonymous operation must be
 * alone; names must be unique; operationName must pick exactly one operation; a GET never runs a mutation.
 */
export function expectedData(doc: OperationsDocument, operationName: string | undefined, method: 'GET' | 'POST'): Record<string, string> | undefined {
  const { operations } = doc;
  const names = operations.flatMap((o) => (o.name ? [o.name] : []));
  if (operations.some((o) => o.type === 'subscription')) return undefined;
  if (operations.length > 1 && names.length < operations.length) return undefined;
  if (new Set(names).size < names.length) return undefined;
  const chosen = operationName === undefined ? (operations.length === 1 ? 0 : -1) : operations.findIndex((o) => o.name === operationName);
  if (chosen < 0 || (method === 'GET' && operations[chosen].type === 'mutation')) return undefined;
  return { [key(chosen)]: ROOT[operations[chosen].type] };
}

/** A valid document's operation keyword replaced: every operation type over every root field the fuzz knows. */
export function retyped(document: string, type: OperationType | ''): string {
  return document.replace(/^\s*(query|mutation|subscription)\b/, type);
}
