// The Umbraco face's one error mapping: every failure becomes {"error": {"code", "message"}} (seed 003).
import type { Context } from 'hono';
import { routePath } from 'hono/route';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Config } from '../../config.js';
import { RateLimitedError, type ValidationError } from '../../domain/errors.js';
import { loggerFor } from '../../observability/log.js';
import { asDomainError } from '../../services/failures.js';

export interface ErrorDetail {
  code: string;
  message: string;
  target?: string;
}

export class UmbracoError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
  }
}

export const emptyBody = (details?: ErrorDetail[]) => new UmbracoError(400, 'BadRequest', 'Body cannot be empty.', details);

export const relationNotFound = (id: string) => new UmbracoError(404, 'NotFound', `Relation with id '${id}' could not be found.`);

export const contentNotFound = (id: string) => new UmbracoError(404, 'NotFound', `Content with id '${id}' could not be found.`);

export const relationTypeNotFound = (alias: string) =>
  new UmbracoError(404, 'NotFound', `Relation Type with alias '${alias}' could not be found.`);

export const validationFailed = (details: ErrorDetail[]) =>
  new UmbracoError(422, 'ValidationFailed', 'Validation error occured when trying to save or update the relation.', details);

export const notJson = () =>
  new UmbracoError(415, 'UnsupportedMediaType', 'The request body must be JSON: send it with Content-Type: application/json.');

export const routeNotFound = () => new UmbracoError(404, 'NotFound', 'The requested resource could not be found.');

/** A domain error as an Umbraco error; `null` for a real bug. */
function translate(error: unknown): UmbracoError | null {
  if (error instanceof UmbracoError) return error;
  const known = asDomainError(error);
  if (!known) return null;
  switch (known.code) {
    case 'UNAUTHENTICATED':
      return new UmbracoError(401, 'Unauthorized', 'Authorization has been denied for this request.');
    case 'FORBIDDEN':
      return new UmbracoError(403, 'Forbidden', 'You are not authorized to access the given resource.');
    case 'NOT_FOUND':
      return new UmbracoError(404, 'NotFound', known.message);
    case 'BAD_USER_INPUT':
      return validationFailed([{ code: 'ValidationFailed', message: known.message, target: (known as ValidationError).field }]);
    case 'CONFLICT':
      return new UmbracoError(409, 'Conflict', known.message);
    case 'RATE_LIMITED':
      return new UmbracoError(429, 'TooManyRequests', known.message);
    case 'UNAVAILABLE':
      return new UmbracoError(503, 'ServiceUnavailable', known.message);
  }
}

export function errorResponse(c: Context, error: unknown, config: Config): Response {
  const mapped = translate(error);
  if (!mapped) loggerFor(config).error(`umbraco: ${c.req.method} ${routePath(c)} failed`, error);
  const { status, code, message, details } = mapped ?? new UmbracoError(500, 'InternalServerError', 'Internal server error.');
  if (status === 401) c.header('WWW-Authenticate', 'Bearer realm="relation-gateway"');
  if (error instanceof RateLimitedError) c.header('Retry-After', String(error.retryAfterSeconds));
  if (status === 503) c.header('Retry-After', '1');
  return c.json({ error: details ? { code, message, details } : { code, message } }, status);
}
