// /relation routes (docs/umbraco.md). Parent = source content, child = target content, alias = relation name.
import type { Hono } from 'hono';
import type { Ctx } from '../../context.js';
import { jsonText } from '../../http/json-text.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { createRelation, deleteRelationById, findRelationById, listRelationsByName, listRelationsOfEntity, type RelationRow } from '../../services/relations.js';
import { contentNotFound, relationNotFound, validationFailed, type ErrorDetail } from './errors.js';
import type { UmbracoEnv } from './index.js';
import { readRelationInput, type RelationInput } from './schemas.js';
import { relationBody, relationListPath, relationListText } from './serialize.js';

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
    // Heartcore lists are not paged: the whole list, up to the service's bound.
    return await listRelationsByName({ ctx, name: alias, sourceType: 'CONTENT', targetType: 'CONTENT' });
  } catch (error) {
    // A name no relation may carry simply has no relations.
    if (error instanceof ValidationError) return [];
    throw error;
  }
}

async function relationsOfContent(ctx: Ctx, direction: 'from' | 'to', key: string): Promise<RelationRow[]> {
  try {
    return await listRelationsOfEntity({ ctx, direction, anchor: { type: 'CONTENT', key, status: 'any' }, otherType: 'CONTENT' });
  } catch (error) {
    if (error instanceof NotFoundError) throw contentNotFound(key);
    throw error;
  }
}

const detail = (target: string, message: string): ErrorDetail => ({ code: 'ValidationFailed', message, target });

const FIELDS: Record<string, string> = { name: 'relationTypeAlias', source: 'parentId', sourceStatus: 'parentId', target: 'childId', targetStatus: 'childId' };

/** Service refusals of a body, as Heartcore's 422 with the field named in Umbraco's words. */
function asValidationFailure(error: unknown, input: RelationInput): unknown {
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
    jsonText(c, relationListText(base, relationListPath('parent', c.req.param('id')), await relationsOfContent(c.get('ctx'), 'from', c.req.param('id')))),
  );

  app.get('/relation/child/:id', async (c) =>
    jsonText(c, relationListText(base, relationListPath('child', c.req.param('id')), await relationsOfContent(c.get('ctx'), 'to', c.req.param('id')))),
  );

  // An all-digit segment is a relation id; anything else is a relation type alias.
  app.get('/relation/:key', async (c) => {
    const key = c.req.param('key');
    if (RESERVED.has(key)) throw relationNotFound(key);
    if (isId(key)) return c.json(relationBody(base, await relationById(c.get('ctx'), key)));
    return jsonText(c, relationListText(base, relationListPath('alias', key), await relationsByAlias(c.get('ctx'), key)));
  });

  for (const path of ['/relation', '/relation/']) {
    app.post(path, async (c) => {
      const ctx = c.get('ctx');
      const input = await readRelationInput(c);
      try {
        const { relation, created } = await createRelation({
          ctx,
          name: input.relationTypeAlias,
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
    // Read and checked once: only a content relation the caller may see is Umbraco's to delete.
    const deleted = isId(segment) ? await deleteRelationById({ ctx, id: Number(segment), accept: isContentRelation }) : null;
    if (!deleted) throw relationNotFound(segment);
    return c.json(relationBody(base, deleted));
  });
}
