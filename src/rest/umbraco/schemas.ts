// The body of POST /relation (docs/umbraco.md), declared once: every problem with it is one entry of the
// 422's details, in the seed's words, with the field as its target.
import type { Context } from 'hono';
import * as z from 'zod';
import { emptyBody, validationFailed } from './errors.js';

const missing = (value: unknown) => value === undefined || value === null;

/** A content id as a string (what the client sends) or a non-negative integer. */
const contentId = (field: string) =>
  z
    .unknown()
    .optional()
    .transform((value, ctx) => {
      if (typeof value === 'string' && value !== '') return value;
      if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
      ctx.addIssue({ code: 'custom', message: missing(value) ? `'${field}' is required.` : `'${field}' must be a content id.` });
      return z.NEVER;
    });

const RelationCreate = z.object({
  parentId: contentId('parentId'),
  childId: contentId('childId'),
  relationTypeAlias: z
    .unknown()
    .optional()
    .transform((value, ctx) => {
      if (typeof value === 'string' && value !== '') return value;
      ctx.addIssue({ code: 'custom', message: missing(value) ? "'relationTypeAlias' is required." : "'relationTypeAlias' must be a non-empty string." });
      return z.NEVER;
    }),
  // Umbraco stores no comment as null.
  comment: z.preprocess((value) => value ?? null, z.string({ error: "'comment' must be a string." }).nullable()),
});

export type RelationInput = z.output<typeof RelationCreate>;

async function readObject(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') throw emptyBody();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw emptyBody([{ code: 'BadRequest', message: 'The body is not valid JSON.' }]);
  }
  if (value === null) throw emptyBody();
  if (typeof value !== 'object' || Array.isArray(value)) throw emptyBody([{ code: 'BadRequest', message: 'The body must be a JSON object.' }]);
  return value;
}

/** The relation a POST body describes; a 400 when there is no JSON object, a 422 naming every bad field. */
export async function readRelationInput(c: Context): Promise<RelationInput> {
  const result = RelationCreate.safeParse(await readObject(c));
  if (result.success) return result.data;
  throw validationFailed(result.error.issues.map((issue) => ({ code: 'ValidationFailed', message: issue.message, target: issue.path.join('.') })));
}
