// Relation types, derived from the names of the relations that join two content items.
import type { Hono } from 'hono';
import type { Ctx } from '../../context.js';
import { ValidationError } from '../../domain/errors.js';
import { listRelationNames, type RelationNameSummary } from '../../services/relations.js';
import { relationTypeNotFound } from './errors.js';
import type { UmbracoEnv } from './index.js';
import { relationTypeBody, relationTypeList } from './serialize.js';

async function contentRelationNames(ctx: Ctx, name?: string): Promise<RelationNameSummary[]> {
  try {
    return await listRelationNames({ ctx, sourceType: 'CONTENT', targetType: 'CONTENT', name });
  } catch (error) {
    // A name no relation may carry (too long, control characters) names no type.
    if (error instanceof ValidationError) return [];
    throw error;
  }
}

export function registerRelationTypes(app: Hono<UmbracoEnv>, base: string): void {
  for (const path of ['/relation/type', '/relation/type/']) {
    app.get(path, async (c) => c.json(relationTypeList(base, await contentRelationNames(c.get('ctx')))));
  }

  app.get('/relation/type/:alias', async (c) => {
    const alias = c.req.param('alias');
    const [summary] = await contentRelationNames(c.get('ctx'), alias);
    if (!summary) throw relationTypeNotFound(alias);
    return c.json(relationTypeBody(base, summary));
  });
}
