// The five relation operations (docs/confluence.md).
import type { Context } from 'hono';
import { NotFoundError } from '../../domain/errors.js';
import { jsonText } from '../../http/json-text.js';
import type { EntityRef } from '../../domain/entities.js';
import { endCursor } from '../../services/paging.js';
import { createRelation, deleteRelation, getRelation, listRelations } from '../../services/relations.js';
import type { Api, ConfluenceEnv } from './env.js';
import { keysetParams, pageParams, pageText } from './paging.js';
import { parseRequest } from './params.js';
import { relationDeleteRequest, relationRequest, relationsFromRequest, relationsToRequest } from './schemas.js';
import { relationExpand, relationsText } from './serialize-relation.js';

type C = Context<ConfluenceEnv>;
type End = 'source' | 'target';

const ONE = '/relation/:relationName/from/:sourceType/:sourceKey/to/:targetType/:targetKey';

/** The relation a request names; status and version only matter for content (the service ignores them otherwise). */
async function relationKey(c: C, request: typeof relationRequest | typeof relationDeleteRequest = relationRequest) {
  const { params, query } = await parseRequest(c, request);
  const end = (e: End): EntityRef => ({ type: params[`${e}Type`], key: params[`${e}Key`], status: query[`${e}Status`], version: query[`${e}Version`] });
  const expand = 'expand' in query ? query.expand : [];
  return { key: { ctx: c.var.ctx, name: params.relationName, source: end('source'), target: end('target') }, expand };
}

async function oneRelation(c: C, row: Awaited<ReturnType<typeof getRelation>>, expand: string[]) {
  const [text] = row ? await relationsText(c.var.ctx, c.var.links, [row], relationExpand(new Set(expand))) : [];
  return text;
}

function absent(c: C): NotFoundError {
  const p = (name: string) => c.req.param(name);
  return new NotFoundError(`No '${p('relationName')}' relation exists from ${p('sourceType')} '${p('sourceKey')}' to ${p('targetType')} '${p('targetKey')}'`);
}

function list(direction: 'from' | 'to') {
  const anchorEnd: End = direction === 'from' ? 'source' : 'target';
  const otherEnd: End = direction === 'from' ? 'target' : 'source';
  return async (c: C) => {
    const { params, query } = await parseRequest(c, direction === 'from' ? relationsFromRequest : relationsToRequest);
    const anchor: EntityRef = {
      type: params[`${anchorEnd}Type`],
      key: 'sourceKey' in params ? params.sourceKey : params.targetKey,
      status: query[`${anchorEnd}Status`],
      version: query[`${anchorEnd}Version`],
    };
    const page = pageParams(c);
    const { after, offset, limit } = keysetParams(c, page);
    const expand = relationExpand(new Set(query.expand));
    const otherType = params[`${otherEnd}Type`];
    const result = await listRelations({
      ctx: c.var.ctx,
      name: params.relationName,
      direction,
      anchor,
      otherType,
      otherStatus: query[`${otherEnd}Status`],
      otherVersion: query[`${otherEnd}Version`],
      after,
      offset,
      limit,
      // A content end shows its version only when expanded (serialize-relation.ts).
      showsVersion: (expand[otherEnd] && otherType === 'CONTENT') || (expand[anchorEnd] && anchor.type === 'CONTENT'),
    });
    const results = await relationsText(c.var.ctx, c.var.links, result.rows, expand);
    const next = result.hasMore ? endCursor(result) : null;
    return jsonText(c, pageText(c, c.var.links, page, results, result.hasMore, next ?? undefined));
  };
}

/**
 * Before the auth middleware: a PUT or DELETE of one relation writes only through writeAs, which confirms the
 * caller first, so a known caller's check may ride on the ends' lookup as on a read's page (callers.ts).
 */
export function relationWritesAsCaller(api: Api): void {
  api.use(ONE, async (c, next) => {
    if (c.req.method === 'PUT' || c.req.method === 'DELETE') c.set('writesAsCaller', true);
    await next();
  });
}

export function registerRelations(api: Api): void {
  api.get('/relation/:relationName/from/:sourceType/:sourceKey/to/:targetType', list('from'));
  api.get('/relation/:relationName/to/:targetType/:targetKey/from/:sourceType', list('to'));

  api.get(ONE, async (c) => {
    const { key, expand } = await relationKey(c);
    const text = await oneRelation(c, await getRelation(key), expand);
    if (!text) throw absent(c);
    return jsonText(c, text);
  });

  // PUT shows relationData by default so that two PUTs can be compared.
  api.put(ONE, async (c) => {
    const { key, expand } = await relationKey(c);
    const { relation } = await createRelation(key);
    const text = await oneRelation(c, relation, ['relationData', ...expand]);
    if (!text) throw absent(c);
    return jsonText(c, text);
  });

  api.delete(ONE, async (c) => {
    await deleteRelation((await relationKey(c, relationDeleteRequest)).key);
    return c.body(null, 204);
  });
}
