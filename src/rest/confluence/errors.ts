// The one place where errors become Confluence's JSON error body; status and headers come from src/domain/errors.ts.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { routePath } from 'hono/route';
import type { Config } from '../../config.js';
import { httpError } from '../../domain/errors.js';
import { loggerFor } from '../../observability/log.js';
import { asDomainError } from '../../services/failures.js';

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
  return new Response(JSON.stringify(errorBody(status, message)), {
    status,
    headers: { 'content-type': 'application/json; charset=UTF-8', ...headers },
  });
}

/** The sub-app's `onError`: domain errors keep their message, anything unexpected is masked as a 500. */
export function errorHandler(config: Config) {
  return (error: unknown, c: Context): Response => {
    const known = asDomainError(error);
    if (known) {
      // confluence.js sends Basic credentials, so a 401 asks for those.
      const { status, headers } = httpError(known, 'Basic');
      return errorResponse(status, known.message, headers);
    }
    if (error instanceof HTTPException && error.status < 500) return errorResponse(error.status, error.message || 'Bad request');
    // The route template, never the path: the path is the client's input.
    loggerFor(config).error(`${c.req.method} ${routePath(c)} failed`, error);
    return errorResponse(500, 'Internal server error');
  };
}
