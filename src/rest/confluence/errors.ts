// The one place where errors become Confluence's JSON error body and HTTP status.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { routePath } from 'hono/route';
import type { Config } from '../../config.js';
import { RateLimitedError, type DomainError, type ErrorCode } from '../../domain/errors.js';
import { loggerFor } from '../../observability/log.js';
import { asDomainError } from '../../services/failures.js';

const STATUS: Record<ErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  BAD_USER_INPUT: 400,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
};

export const REALM = 'Basic realm="relation-gateway"';

export interface ErrorBody {
  statusCode: number;
  data: { authorized: boolean; valid: boolean; errors: { message: { translation: string; args: unknown[] } }[]; successful: false };
  message: string;
}

export function errorBody(status: number, message: string): ErrorBody {
  return {
    statusCode: status,
    data: {
      authorized: ![401, 403, 404].includes(status),
      valid: ![400, 413].includes(status),
      errors: [{ message: { translation: message, args: [] } }],
      successful: false,
    },
    message,
  };
}

export function errorResponse(status: number, message: string, headers: Record<string, string> = {}): Response {
  if (status === 401) headers = { ...headers, 'WWW-Authenticate': REALM };
  return new Response(JSON.stringify(errorBody(status, message)), {
    status,
    headers: { 'content-type': 'application/json; charset=UTF-8', ...headers },
  });
}

// 429 says when the token's bucket refills; 503 invites a retry soon (the database may be back).
function retryAfter(known: DomainError): Record<string, string> {
  if (known instanceof RateLimitedError) return { 'Retry-After': String(known.retryAfterSeconds) };
  return known.code === 'UNAVAILABLE' ? { 'Retry-After': '1' } : {};
}

/** The sub-app's `onError`: domain errors keep their message, anything unexpected is masked as a 500. */
export function errorHandler(config: Config) {
  return (error: unknown, c: Context): Response => {
    const known = asDomainError(error);
    if (known) return errorResponse(STATUS[known.code], known.message, retryAfter(known));
    if (error instanceof HTTPException && error.status < 500) return errorResponse(error.status, error.message || 'Bad request');
    // The route template, never the path: the path is the client's input.
    loggerFor(config).error(`${c.req.method} ${routePath(c)} failed`, error);
    return errorResponse(500, 'Internal server error');
  };
}
