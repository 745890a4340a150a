// Query parameters and bodies as Confluence clients send them; anything malformed is a 400.
import type { Context } from 'hono';
import { ValidationError } from '../../domain/errors.js';

const INT32 = 2_147_483_647;

/** One query parameter; empty means absent. */
export function query(c: Context, name: string): string | undefined {
  const value = c.req.query(name);
  return value === undefined || value === '' ? undefined : value;
}

/** A non-negative integer parameter; `cap` silently lowers larger values (Confluence's fixed limits). */
export function integerParam(c: Context, name: string, options: { cap?: number; min?: number } = {}): number | undefined {
  const raw = query(c, name);
  if (raw === undefined) return undefined;
  if (/^-\d+$/.test(raw)) throw new ValidationError(`${name} must not be negative, got '${raw}'`, name);
  if (!/^\+?\d+$/.test(raw)) throw new ValidationError(`${name} must be an integer, got '${raw}'`, name);
  const value = Number(raw);
  if (options.cap !== undefined) return Math.min(value, options.cap);
  if (value > INT32) throw new ValidationError(`${name} must be at most ${INT32}, got '${raw}'`, name);
  if (options.min !== undefined && value < options.min) throw new ValidationError(`${name} must be at least ${options.min}, got '${raw}'`, name);
  return value;
}

/** `expand` as a set: comma lists, repeated parameters, or both. */
export function expandParam(c: Context, defaults: string[] = []): Set<string> {
  const values = c.req.queries('expand') ?? [];
  const parts = values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  return new Set([...defaults, ...parts]);
}

export function booleanParam(c: Context, name: string): boolean | undefined {
  const raw = query(c, name)?.toLowerCase();
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
  const url = new URL(c.req.url);
  if (hasNul(decoded(url.pathname)) || hasNul([...url.searchParams.entries()])) {
    throw new ValidationError('The request must not contain NUL characters', 'url');
  }
}

/** The JSON object in a request body; a missing body reads as `{}`. */
export async function readJson(c: Context): Promise<Record<string, unknown>> {
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

/** A nested value of a body, e.g. `field(body, 'space', 'key')`. */
export function field(body: unknown, ...path: string[]): unknown {
  let value = body;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

export function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ValidationError(`${name} must be a string`, name);
  return value;
}
