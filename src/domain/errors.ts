// Domain errors are values with a code. The table below says once what HTTP makes of each code (status and
// headers); each face renders it in its own body format (src/graphql/errors.ts, src/rest/*/errors.ts).
export type ErrorCode = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'BAD_USER_INPUT' | 'CONFLICT' | 'RATE_LIMITED' | 'UNAVAILABLE';

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(message = 'Authentication required: send an API token') {
    super('UNAUTHENTICATED', message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'You are not allowed to do this') {
    super('FORBIDDEN', message);
  }
}

export class NotFoundError extends DomainError {
  constructor(
    message: string,
    /** What was not found, when it is one part of the request: `source`, `target` or an input field. */
    readonly field?: string,
  ) {
    super('NOT_FOUND', message);
  }
}

export class ValidationError extends DomainError {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super('BAD_USER_INPUT', message);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string) {
    super('CONFLICT', message);
  }
}

export class RateLimitedError extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super('RATE_LIMITED', `Too many requests: retry after ${retryAfterSeconds} s`);
  }
}

export class UnavailableError extends DomainError {
  constructor(message = 'The database is unavailable; try again shortly') {
    super('UNAVAILABLE', message);
  }
}

/** How a face asks for credentials: Confluence clients send Basic, GraphQL and Umbraco clients a bearer key. */
export type AuthScheme = 'Basic' | 'Bearer';

interface HttpRule {
  status: number;
  /**
   * The error concerns the whole request (its credentials, its rate, the database), so GraphQL answers it
   * with this status too; other errors concern one field, and GraphQL answers them in a 200.
   */
  wholeRequest?: true;
  headers?: (error: DomainError, scheme: AuthScheme) => Record<string, string>;
}

const HTTP_ERRORS: Record<ErrorCode, HttpRule> = {
  UNAUTHENTICATED: { status: 401, wholeRequest: true, headers: (_, scheme) => ({ 'WWW-Authenticate': `${scheme} realm="relation-gateway"` }) },
  FORBIDDEN: { status: 403 },
  NOT_FOUND: { status: 404 },
  BAD_USER_INPUT: { status: 400 },
  CONFLICT: { status: 409 },
  // When the token's bucket refills.
  RATE_LIMITED: {
    status: 429,
    wholeRequest: true,
    headers: (error): Record<string, string> => (error instanceof RateLimitedError ? { 'Retry-After': String(error.retryAfterSeconds) } : {}),
  },
  // A retry soon may find the database back.
  UNAVAILABLE: { status: 503, wholeRequest: true, headers: () => ({ 'Retry-After': '1' }) },
};

export interface HttpError {
  status: number;
  headers: Record<string, string>;
  wholeRequest: boolean;
}

/** What HTTP says for a domain error: its row of the table, with the headers filled in for this error. */
export function httpError(error: DomainError, scheme: AuthScheme): HttpError {
  const rule = HTTP_ERRORS[error.code];
  return { status: rule.status, headers: rule.headers?.(error, scheme) ?? {}, wholeRequest: rule.wholeRequest ?? false };
}

/** The status of an error code, for a face that has only the code (a GraphQL error); undefined for codes not in the table. */
export function statusOfCode(code: string): number | undefined {
  return Object.hasOwn(HTTP_ERRORS, code) ? HTTP_ERRORS[code as ErrorCode].status : undefined;
}
