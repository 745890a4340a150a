// The cost limit (docs/guarantees-limits.md): how many rows an operation's lists may return, counted from the
// document and its variables before anything runs. A list is any field with a `first` argument, decided from
// the schema, so every connection added later is counted without being named here.
import {
  getOperationAST,
  Kind,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLArgument,
  type GraphQLFieldMap,
  type GraphQLNamedType,
  type GraphQLSchema,
  type GraphQLType,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../services/paging.js';

type Variables = Record<string, unknown>;

// Types are told apart by shape, not with graphql's isObjectType & co (instanceof): tests load graphql twice
// (ESM and CommonJS builds), and the schema may come from either.
// Object and interface types have fields to select (and interfaces); input types have fields but none to select.
const fieldsOf = (type: GraphQLNamedType): GraphQLFieldMap<unknown, unknown> | undefined => ('getInterfaces' in type ? type.getFields() : undefined);

function namedType(type: GraphQLType): GraphQLNamedType {
  let named = type;
  while ('ofType' in named) named = named.ofType;
  return named;
}

/**
 * The page size a list field will serve, as src/services/paging.ts reads `first`: absent or null is the default
 * and above the cap is the cap. What the field will refuse (negative, fractional, not a number) counts 0 here:
 * the field's own validation answers it with BAD_USER_INPUT, and nothing under it runs.
 */
function pageSize(value: unknown): number {
  if (value === undefined || value === null) return DEFAULT_PAGE_SIZE;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) return 0;
  return Math.min(value, MAX_PAGE_SIZE);
}

/** A literal's value, enough for an Int argument; anything else is a value the field refuses (validation does first). */
function literal(node: ValueNode, variables: (name: string) => unknown): unknown {
  switch (node.kind) {
    case Kind.INT:
      return Number.parseInt(node.value, 10);
    case Kind.FLOAT:
      return Number.parseFloat(node.value);
    case Kind.NULL:
      return null;
    case Kind.VARIABLE:
      return variables(node.name.value);
    default:
      return Number.NaN;
  }
}

/**
 * An operation's cost as a function of how its variables are read: the document is walked once per operation.
 * `memo` holds each fragment's cost for one evaluation, so a fragment spread 2^n times over is costed once.
 */
type CostOf = (variable: (name: string) => unknown, memo: Map<CostOf, number>) => number;

const ZERO: CostOf = () => 0;

function sum(terms: CostOf[]): CostOf {
  if (terms.length === 0) return ZERO;
  if (terms.length === 1) return terms[0];
  return (variable, memo) => {
    let cost = 0;
    for (const term of terms) cost += term(variable, memo);
    return cost;
  };
}

/** The operation's cost, compiled from the document: what depends on the variables is left to read them. */
function compileCost(schema: GraphQLSchema, document: DocumentNode, root: GraphQLNamedType, set: SelectionSetNode): CostOf {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }

  // Cost is linear in the page sizes above a selection, so a fragment is costed once, for a path of 1, and
  // scaled where it is spread: fragments spreading fragments twice over cost linear time, not exponential.
  // A fragment spread inside itself (validation refuses that before execution) counts 0 on the repeat.
  const fragmentCosts = new Map<string, CostOf>();
  const fragmentCost = (name: string): CostOf => {
    const known = fragmentCosts.get(name);
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    const type = fragment && schema.getType(fragment.typeCondition.name.value);
    if (!fragment || !type) return ZERO;
    fragmentCosts.set(name, ZERO);
    const inner = selectionCost(type, fragment.selectionSet);
    const cost: CostOf = (variable, memo) => {
      let known = memo.get(cost);
      if (known === undefined) memo.set(cost, (known = inner(variable, memo)));
      return known;
    };
    fragmentCosts.set(name, cost);
    return cost;
  };

  const sizeArgument = (node: FieldNode, first: GraphQLArgument): CostOf => {
    const given = node.arguments?.find((argument) => argument.name.value === 'first');
    // An argument left out, or given as a variable that is neither sent nor defaulted, takes the field's default.
    if (!given) return () => pageSize(first.defaultValue);
    return (variable) => {
      const value = literal(given.value, variable);
      return pageSize(value === undefined ? first.defaultValue : value);
    };
  };

  function selectionCost(type: GraphQLNamedType, selections: SelectionSetNode): CostOf {
    const terms: CostOf[] = [];
    for (const selection of selections.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) continue;
        const field = fieldsOf(type)?.[selection.name.value];
        if (!field) continue;
        const inner = selection.selectionSet ? selectionCost(namedType(field.type), selection.selectionSet) : ZERO;
        const first = field.args.find((argument) => argument.name === 'first');
        if (!first) {
          if (inner !== ZERO) terms.push(inner);
          continue;
        }
        const size = sizeArgument(selection, first);
        terms.push((variable, memo) => size(variable, memo) * (1 + inner(variable, memo)));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        if (on) terms.push(selectionCost(on, selection.selectionSet));
      } else {
        terms.push(fragmentCost(selection.name.value));
      }
    }
    return sum(terms);
  }

  return selectionCost(root, set);
}

// Compiled per schema and operation node; yoga's parse cache keeps the documents, so a repeated query finds its own.
const compiled = new WeakMap<GraphQLSchema, WeakMap<OperationDefinitionNode, CostOf>>();

/**
 * The cost of an operation: the sum, over every list field, of the product of the page sizes on its path,
 * itself included. So `relationsFrom(first: 25) { … relationsTo(first: 10) { … } }` costs 25 + 25 × 10.
 * Fragments count where they are spread; introspection fields cost nothing. Variables are the request's own,
 * with the operation's defaults for those it leaves out.
 */
export function queryCost(schema: GraphQLSchema, document: DocumentNode, variables: Variables = {}, operationName?: string | null): number {
  const operation = getOperationAST(document, operationName);
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return 0;
  let bySchema = compiled.get(schema);
  if (!bySchema) compiled.set(schema, (bySchema = new WeakMap()));
  let cost = bySchema.get(operation);
  if (!cost) bySchema.set(operation, (cost = compileCost(schema, document, root, operation.selectionSet)));

  const defaults = operation.variableDefinitions;
  const variable = (name: string): unknown => {
    if (Object.hasOwn(variables, name)) return variables[name];
    const fallback = defaults?.find((v) => v.variable.name.value === name)?.defaultValue;
    // A variable neither given nor defaulted leaves its argument absent.
    return fallback ? literal(fallback, () => undefined) : undefined;
  };
  return cost(variable, new Map());
}

/** The refusal: a request error (400) before any resolver, carrying the computed cost and the budget. */
function tooCostly(cost: number, maxCost: number) {
  return createGraphQLError(
    `Query cost ${cost} exceeds the limit of ${maxCost} (each list counts its page size times those of the lists around it): ask for smaller pages (first) or nest fewer lists`,
    { extensions: { code: 'QUERY_TOO_COSTLY', cost, maxCost, http: { status: 400 } } },
  );
}

/**
 * Refuses an operation costing more than `maxCost`. Its onExecute must come before compiledExecution's
 * (src/graphql/jit.ts), which replaces the execute function: stopping here means nothing compiles or runs.
 */
export function costLimit(maxCost: number): Plugin {
  const refuse = ({ args, setResultAndStopExecution }: { args: ExecutionArgs; setResultAndStopExecution(result: ExecutionResult): void }) => {
    const cost = queryCost(args.schema, args.document, (args.variableValues ?? {}) as Variables, args.operationName);
    if (cost > maxCost) setResultAndStopExecution({ errors: [tooCostly(cost, maxCost)] });
  };
  // A subscription's selection runs once per event: the same budget per event.
  return { onExecute: refuse, onSubscribe: refuse };
}
