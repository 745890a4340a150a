// The one table of domain errors, as each face renders it: the same status and headers everywhere,
// each body in its face's format (Umbraco's 422 for invalid input is its seed's own status).
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RateLimitedError,
  UnauthenticatedError,
  UnavailableError,
  ValidationError,
  type DomainError,
  type ErrorCode,
} from '../../src/domain/errors.js';
import { maskError } from '../../src/graphql/errors.js';
import { errorHandler } from '../../src/rest/confluence/errors.js';
import { errorResponse as umbracoErrorResponse } from '../../src/rest/umbraco/errors.js';

const config = loadConfig({ LOG_LEVEL: 'silent' });

// A Record, so an ErrorCode without a row here fails to compile.
const ERRORS: Record<ErrorCode, DomainError> = {
  UNAUTHENTICATED: new UnauthenticatedError(),
  FORBIDDEN: new ForbiddenError('Not yours'),
  NOT_FOUND: new NotFoundError('No such thing', 'source'),
  BAD_USER_INPUT: new ValidationError('Bad value', 'name'),
  CONFLICT: new ConflictError('Changed meanwhile'),
  RATE_LIMITED: new RateLimitedError(7),
  UNAVAILABLE: new UnavailableError(),
};

const BASIC = { 'www-authenticate': 'Basic realm="relation-gateway"' };
const BEARER = { 'www-authenticate': 'Bearer realm="relation-gateway"' };
const RETRY_7 = { 'retry-after': '7' };
const RETRY_1 = { 'retry-after': '1' };

// code, status, headers on Confluence, headers on Umbraco and GraphQL, Umbraco's status and code word, GraphQL's HTTP status (none: 200)
const ROWS: [ErrorCode, number, Record<string, string>, Record<string, string>, number, string, number | undefined][] = [
  ['UNAUTHENTICATED', 401, BASIC, BEARER, 401, 'Unauthorized', 401],
  ['FORBIDDEN', 403, {}, {}, 403, 'Forbidden', undefined],
  ['NOT_FOUND', 404, {}, {}, 404, 'NotFound', undefined],
  ['BAD_USER_INPUT', 400, {}, {}, 422, 'ValidationFailed', undefined],
  ['CONFLICT', 409, {}, {}, 409, 'Conflict', undefined],
  ['RATE_LIMITED', 429, RETRY_7, RETRY_7, 429, 'TooManyRequests', 429],
  ['UNAVAILABLE', 503, RETRY_1, RETRY_1, 503, 'ServiceUnavailable', 503],
];

/** A one-route app that throws `error` and answers it with the face's error handler. */
function throwing(error: Error, onError: (error: Error, c: any) => Response): Promise<Response> {
  const app = new Hono();
  app.onError(onError);
  app.get('/', () => {
    throw error;
  });
  return Promise.resolve(app.request('/'));
}

const SENT = ['www-authenticate', 'retry-after'];
const sentHeaders = (response: Response) => Object.fromEntries(SENT.flatMap((name) => (response.headers.has(name) ? [[name, response.headers.get(name)]] : [])));

describe('the domain error table, as every face renders it', () => {
  it('covers every code with one row', () => {
    expect(ROWS.map(([code]) => code).sort()).toEqual(Object.keys(ERRORS).sort());
  });

  it.each(ROWS)('%s is %i on Confluence, with its headers and the Confluence body', async (code, status, headers) => {
    const response = await throwing(ERRORS[code], errorHandler(config));
    expect(response.status).toBe(status);
    expect(sentHeaders(response)).toEqual(headers);
    const body = await response.json();
    expect(body).toMatchObject({ statusCode: status, message: ERRORS[code].message, data: { successful: false } });
  });

  it.each(ROWS)('%s on Umbraco: same headers, its status and code word', async (code, _status, _basic, headers, umbracoStatus, word) => {
    const response = await throwing(ERRORS[code], (error, c) => umbracoErrorResponse(c, error, config));
    expect(response.status).toBe(umbracoStatus);
    expect(sentHeaders(response)).toEqual(headers);
    expect((await response.json()).error.code).toBe(word);
  });

  it.each(ROWS)('%s in GraphQL: the code, and the HTTP status only for whole-request errors', (code, _status, _basic, headers, _u, _w, graphqlStatus) => {
    const masked = maskError(ERRORS[code], 'Unexpected error.') as Error & { extensions: Record<string, any> };
    expect(masked.extensions.code).toBe(code);
    if (graphqlStatus === undefined) expect(masked.extensions.http).toBeUndefined();
    else {
      expect(masked.extensions.http.status).toBe(graphqlStatus);
      const lower = Object.fromEntries(Object.entries(masked.extensions.http.headers).map(([k, v]) => [k.toLowerCase(), v]));
      expect(lower).toEqual(headers);
    }
  });
});
