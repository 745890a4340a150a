// /relation routes (docs/umbraco.md). Parent = source content, child = target content, alias = relation name.
import type { Context, Hono } from 'hono';
import type { Ctx } from '../../context.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import {
  createRelation,
  deleteRelationById,
  findRelationById,
  listRelationsByName,
  listRelationsOfEntity,
  MAX_PAGE,
  type RelationRow,
} from '../../services/relations.js';
import { contentNotFound, emptyBody, relationNotFound, validationFailed, type ErrorDetail } from './errors.js';
import type { UmbracoEnv } from './index.js';
import { relationBody, relationList, relationListPath } from './serialize.js';

/** Lists are not paged in Heartcore; this bounds one answer. */
const LIST_CAP = 10_000;
const RESERVED = new Set(['parent', 'child', 'type']);
const isId = (segment: string) => /^\d+$/.test(segment);
const isContentRelation = (row: RelationRow) => row.sourceType === 'CONTENT' && row.targetType === 'CONTENT';

async function relationById(ctx: Ctx, segment: string): Promise<RelationRow> {
  const row = isId(segment) ? await findRelationById({ ctx, id: Number(segment) }) : null;
  if (!row || !isContentRelation(row)) throw relationNotFound(segment);
  return row;
}

async function relationsByAlias(ctx: Ctx, alias: string): Promise<RelationRow[]> {
  try {
    return await listRelationsByName({ ctx, name: alias, sourceType: 'CONTENT', targetType: 'CONTENT', limit: LIST_CAP });
  } catch (error) {
    // A name no relation may carry simply has no relations.
    if (error instanceof ValidationError) return [];
    throw error;
  }
}

async function relationsOfContent(ctx: Ctx, direction: 'from' | 'to', key: string): Promise<RelationRow[]> {
  const rows: RelationRow[] = [];
  let after: number | null = null;
  try {
    for (;;) {
      const anchor = { type: 'CONTENT' as const, key, status: 'any' };
      const page = await listRelationsOfEntity({ ctx, direction, anchor, otherType: 'CONTENT', after, limit: MAX_PAGE });
      rows.push(...page.rows);
      if (!page.hasMore || rows.length >= LIST_CAP) return rows.slice(0, LIST_CAP);
      after = page.rows[page.rows.length - 1].id;
    }
  } catch (error) {
    if (error instanceof NotFoundError) throw contentNotFound(key);
    throw error;
  }
}

async function readObject(c: Context): Promise<Record<string, unknown>> {
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
  return value as Record<string, unknown>;
}

const detail = (target: string, message: string): ErrorDetail => ({ code: 'ValidationFailed', message, target });

/** A content id as a string (what the client sends) or a non-negative integer. */
function contentKey(body: Record<string, unknown>, field: 'parentId' | 'childId', details: ErrorDetail[]): string {
  const value = body[field];
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  details.push(detail(field, value === undefined || value === null ? `'${field}' is required.` : `'${field}' must be a content id.`));
  return '';
}

function readRelationInput(body: Record<string, unknown>) {
  const details: ErrorDetail[] = [];
  const parentId = contentKey(body, 'parentId', details);
  const childId = contentKey(body, 'childId', details);
  const alias = body.relationTypeAlias;
  if (typeof alias !== 'string' || alias === '') {
    details.push(detail('relationTypeAlias', alias === undefined || alias === null ? "'relationTypeAlias' is required." : "'relationTypeAlias' must be a non-empty string."));
  }
  const comment = body.comment;
  if (comment !== undefined && comment !== null && typeof comment !== 'string') details.push(detail('comment', "'comment' must be a string."));
  if (details.length > 0) throw validationFailed(details);
  return { parentId, childId, alias: alias as string, comment: (comment as string | null | undefined) ?? null };
}

const FIELDS: Record<string, string> = { name: 'relationTypeAlias', source: 'parentId', sourceStatus: 'parentId', target: 'childId', targetStatus: 'childId' };

/** Service refusals of a body, as Heartcore's 422 with the field named in Umbraco's words. */
function asValidationFailure(error: unknown, input: ReturnType<typeof readRelationInput>): unknown {
  if (error instanceof ValidationError) {
    const target = error.field ? (FIELDS[error.field] ?? error.field) : undefined;
    return validationFailed([{ code: 'ValidationFailed', message: error.message, ...(target ? { target } : {}) }]);
  }
  // The service names the missing end; a not-found of neither end (the caller's own account gone) stays a 404.
  if (error instanceof NotFoundError && (error.field === 'source' || error.field === 'target')) {
    const [field, key] = error.field === 'source' ? ['parentId', input.parentId] : ['childId', input.childId];
    return validationFailed([detail(field, `Content with id '${key}' could not be found.`)]);
  }
  return error;
}

export function registerRelations(app: Hono<UmbracoEnv>, base: string): void {
  app.get('/relation/parent/:id', async (c) =>
    c.json(relationList(base, relationListPath('parent', c.req.param('id')), await relationsOfContent(c.get('ctx'), 'from', c.req.param('id')))),
  );

  app.get('/relation/child/:id', async (c) =>
    c.json(relationList(base, relationListPath('child', c.req.param('id')), await relationsOfContent(c.get('ctx'), 'to', c.req.param('id')))),
  );

  // An all-digit segment is a relation id; anything else is a relation type alias.
  app.get('/relation/:key', async (c) => {
    const key = c.req.param('key');
    if (RESERVED.has(key)) throw relationNotFound(key);
    if (isId(key)) return c.json(relationBody(base, await relationById(c.get('ctx'), key)));
    return c.json(relationList(base, relationListPath('alias', key), await relationsByAlias(c.get('ctx'), key)));
  });

  for (const path of ['/relation', '/relation/']) {
    app.post(path, async (c) => {
      const ctx = c.get('ctx');
      const input = readRelationInput(await readObject(c));
      try {
        const { relation, created } = await createRelation({
          ctx,
          name: input.alias,
          source: { type: 'CONTENT', key: input.parentId },
          target: { type: 'CONTENT', key: input.childId },
          comment: input.comment,
        });
        return c.json(relationBody(base, relation), created ? 201 : 200);
      } catch (error) {
        throw asValidationFailure(error, input);
      }
    });
  }

  app.delete('/relation/:id', async (c) => {
    const ctx = c.get('ctx');
    const segment = c.req.param('id');
    const row = await relationById(ctx, segment);
    const deleted = await deleteRelationById({ ctx, id: row.id });
    if (!deleted) throw relationNotFound(segment);
    return c.json(relationBody(base, deleted));
  });
}
