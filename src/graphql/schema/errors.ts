// Errors-as-data for mutations: the domain's own error classes are the union members.
import { builder } from '../builder.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../domain/errors.js';

export const ErrorInterface = builder.interfaceRef<Error>('Error').implement({
  description: 'An expected failure of a mutation, returned as data',
  fields: (t) => ({ message: t.exposeString('message') }),
});

builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  description: 'An entity does not exist, or the caller may not view it',
  interfaces: [ErrorInterface],
});

builder.objectType(ForbiddenError, {
  name: 'ForbiddenError',
  description: 'The caller may view the entities but not do this',
  interfaces: [ErrorInterface],
});

builder.objectType(ValidationError, {
  name: 'ValidationError',
  description: 'The input is invalid; `field` names the offending input field when known',
  interfaces: [ErrorInterface],
  fields: (t) => ({ field: t.exposeString('field', { nullable: true }) }),
});

/** The errors option of a mutation whose result union is `${name}Result` and whose success type is its own field type. */
export function resultOf(name: string) {
  return {
    types: [NotFoundError, ForbiddenError, ValidationError],
    directResult: true as const,
    union: { name: `${name}Result` },
  };
}
