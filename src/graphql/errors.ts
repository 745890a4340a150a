// The one place where errors become GraphQL errors: domain errors keep their code and message (and,
// for those about the whole request, the HTTP status and headers of src/domain/errors.ts); the rest is masked.
import { createGraphQLError, maskError as yogaMaskError } from 'graphql-yoga';
import type { GraphQLError } from 'graphql';
import { PothosValidationError } from '@pothos/core';
import { httpError, ValidationError } from '../domain/errors.js';
import { asDomainError } from '../services/failures.js';

// By name, not instanceof: tests load graphql twice (ESM and CommonJS builds).
const isGraphQLError = (error: unknown): error is GraphQLError => error instanceof Error && error.name === 'GraphQLError';

export function maskError(error: unknown, message: string, isDev?: boolean): Error {
  const located = isGraphQLError(error) ? error : undefined;
  const original = located ? located.originalError : error;
  // Pothos rejects malformed global ids before any resolver runs.
  const known = original instanceof PothosValidationError ? new ValidationError(original.message, 'id') : asDomainError(original);
  if (!known) return yogaMaskError(error, message, isDev);
  const field = known instanceof ValidationError ? known.field : undefined;
  const { status, headers, wholeRequest } = httpError(known, 'Bearer');
  const http = wholeRequest ? { status, headers } : undefined;
  return createGraphQLError(known.message, {
    nodes: located?.nodes,
    source: located?.source,
    positions: located?.positions,
    path: located?.path,
    extensions: { code: known.code, ...(field ? { field } : {}), ...(http ? { http } : {}) },
  });
}

/** A whole GraphQL response carrying one error, for refusals made before GraphQL runs (e.g. body too large). */
export function graphqlErrorResponse(status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}
