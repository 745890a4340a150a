// The Umbraco face's one error rendering: every failure becomes {"error": {"code", "message"}} (docs/umbraco.md),
// with the status and headers of src/domain/errors.ts.
import type { Context } from 'hono';
import { routePath } from 'hono/route';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Config } from '../../config.js';
import { httpError, type ValidationError, type ErrorCode } from '../../domain/errors.js';
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
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const emptyBody = (details?: ErrorDetail[]) => new UmbracoError(400, 'BadRequest', 'Body cannot be empty.', details);

export const relationNotFound = (id: string) => new UmbracoError(404, 'NotFound', `Relation with id '${id}' could not be found.`);

export const contentNotFound = (id: string) => new UmbracoError(404, 'NotFound', `Content with id '${id}' could not be found.`);

export const relationTypeNotFound = (alias: string) => new UmbracoError(404, 'NotFound', `Relation Type with alias '${alias}' could not be found.`);

export const validationFailed = (details: ErrorDetail[]) =>
  new UmbracoError(422, 'ValidationFailed', 'Validation error occured when trying to save or update the relation.', details);

export const notJson = () => new UmbracoError(415, 'UnsupportedMediaType', 'The request body must be JSON: send it with Content-Type: application/json.');

export const routeNotFound = () => new UmbracoError(404, 'NotFound', 'The requested resource could not be found.');

const CODES: Record<ErrorCode, string> = {
  UNAUTHENTICATED: 'Unauthorized',
  FORBIDDEN: 'Forbidden',
  NOT_FOUND: 'NotFound',
  BAD_USER_INPUT: 'ValidationFailed',
  CONFLICT: 'Conflict',
  RATE_LIMITED: 'TooManyRequests',
  UNAVAILABLE: 'ServiceUnavailable',
};

// Heartcore's own words for these, whatever the service said.
const MESSAGES: Partial<Record<ErrorCode, string>> = {
  UNAUTHENTICATED: 'Authorization has been denied for this request.',
  FORBIDDEN: 'You are not authorized to access the given resource.',
};

/** A domain error as an Umbraco error; `null` for a real bug. */
function translate(error: unknown): UmbracoError | null {
  if (error instanceof UmbracoError) return error;
  const known = asDomainError(error);
  if (!known) return null;
  // Heartcore answers invalid input with 422 ValidationFailed and the field as its target, not a 400.
  if (known.code === 'BAD_USER_INPUT') {
    return validationFailed([{ code: 'ValidationFailed', message: known.message, target: (known as ValidationError).field }]);
  }
  const { status, headers } = httpError(known, 'Bearer');
  return new UmbracoError(status as ContentfulStatusCode, CODES[known.code], MESSAGES[known.code] ?? known.message, undefined, headers);
}

export function errorResponse(c: Context, error: unknown, config: Config): Response {
  const mapped = translate(error);
  if (!mapped) loggerFor(config).error(`umbraco: ${c.req.method} ${routePath(c)} failed`, error);
  const { status, code, message, details, headers } = mapped ?? new UmbracoError(500, 'InternalServerError', 'Internal server error.');
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
  return c.json({ error: details ? { code, message, details } : { code, message } }, status);
}
