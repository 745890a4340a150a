// JSON written as text, for answers built from many small pieces (a page of relations): no object graph built
// only to be stringified. What these write is byte for byte what JSON.stringify writes.
import type { Context } from 'hono';

// Characters JSON.stringify may escape; any surrogate takes the slow path, though only lone ones are escaped.
const ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A JSON string literal, as JSON.stringify writes it; testing for escapes is twice as fast as stringifying. */
export function str(value: string): string {
  return ESCAPED.test(value) ? JSON.stringify(value) : `"${value}"`;
}

/** An answer already written as JSON text, with the headers `c.json` would send. */
export const jsonText = (c: Context, text: string) => c.body(text, 200, { 'Content-Type': 'application/json' });
