// Query parameters and bodies as Confluence clients send them; anything malformed is a 400.
import type { Context } from 'hono';
import type * as z from 'zod';
import { ValidationError } from '../../domain/errors.js';

const INT32 = 2_147_483_647;

/** One query parameter; empty means absent. */
export function query(c: Context, name: string): string | undefined {
  const value = c.req.query(name);
  return value === undefined || value === '' ? undefined : value;
}

/** A non-negative integer; `cap` silently lowers larger values (Confluence's fixed limits). */
export function readInteger(name: string, raw: string | undefined, options: { cap?: number } = {}): number | undefined {
  if (raw === undefined) return undefined;
  if (/^-\d+$/.test(raw)) throw new ValidationError(`${name} must not be negative, got '${raw}'`, name);
  if (!/^\+?\d+$/.test(raw)) throw new ValidationError(`${name} must be an integer, got '${raw}'`, name);
  const value = Number(raw);
  if (options.cap !== undefined) return Math.min(value, options.cap);
  if (value > INT32) throw new ValidationError(`${name} must be at most ${INT32}, got '${raw}'`, name);
  return value;
}

/** A non-negative integer query parameter (see `readInteger`). */
export function integerParam(c: Context, name: string, options: { cap?: number } = {}): number | undefined {
  return readInteger(name, query(c, name), options);
}

export function readBoolean(name: string, text: string | undefined): boolean | undefined {
  const raw = text?.toLowerCase();
  if (raw === undefined) return undefined;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new ValidationError(`${name} must be true or false, got '${raw}'`, name);
}

// PostgreSQL text cannot hold NUL, so a NUL anywhere in a request is refused up front as bad input.
// Iterative: a body nested 100,000 levels deep must not overflow the stack.
function hasNul(root: unknown): boolean {
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return true;
    } else if (Array.isArray(value)) {
      for (const item of value) pending.push(item);
    } else if (typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value)) pending.push(k, v);
    }
  }
  return false;
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Refuses a path or query parameter that carries a NUL character. */
export function assertNoNul(c: Context): void {
  // Decoding makes a NUL only of `%00` (or of one already there): without either there is none, and no URL to parse.
  const raw = c.req.url;
  if (!raw.includes('%00') && !raw.includes('\0')) return;
  const url = new URL(raw);
  if (hasNul(decoded(url.pathname)) || hasNul([...url.searchParams.entries()])) {
    throw new ValidationError('The request must not contain NUL characters', 'url');
  }
}

/** The JSON object in a request body; a missing body reads as `{}`. */
async function readJson(c: Context): Promise<Record<string, unknown>> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ValidationError('The request body is not valid JSON', 'body');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ValidationError('The request body must be a JSON object', 'body');
  if (hasNul(body)) throw new ValidationError('The request body must not contain NUL characters', 'body');
  return body as Record<string, unknown>;
}

/** What an operation takes, as declared in schemas.ts; the OpenAPI document is generated from the same schemas. */
export interface RequestSchema {
  params?: z.ZodType;
  query?: z.ZodObject;
  body?: z.ZodType;
}

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface ParsedRequest<R extends RequestSchema> {
  params: Parsed<R['params']>;
  query: Parsed<R['query']>;
  body: Parsed<R['body']>;
}

/** The first problem, in declared order, as the 400 this face answers. */
function check<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const [issue] = result.error.issues;
  throw new ValidationError(issue.message, issue.path.join('.'));
}

/**
 * A request checked against its declaration: path parameters first (a bad entity type is a 400 whatever
 * else is wrong), then the query, then the body. Each query parameter is given as all its values, so a
 * list (`expand`) sees every one and a single value takes the first, as Hono's `query()` does.
 */
export async function parseRequest<R extends RequestSchema>(c: Context, request: R): Promise<ParsedRequest<R>> {
  const params = request.params && check(request.params, c.req.param());
  const query = request.query && check(request.query, Object.fromEntries(Object.keys(request.query.shape).map((name) => [name, c.req.queries(name)])));
  const body = request.body && check(request.body, await readJson(c));
  return { params, query, body } as ParsedRequest<R>;
}
