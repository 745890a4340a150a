// The five relation operations of seed 001.
import type { Context } from 'hono';
import { NotFoundError } from '../../domain/errors.js';
import { parseEntityType, type EntityRef } from '../../domain/entities.js';
import { createRelation, deleteRelation, getRelation, listRelations } from '../../services/relations.js';
import type { Api, ConfluenceEnv } from './env.js';
import { cursorParam, encodeCursor, pageEnvelope, pageParams } from './paging.js';
import { expandParam, integerParam, query } from './params.js';
import { relationExpand, relationsJson } from './serialize-relation.js';

type C = Context<ConfluenceEnv>;
type End = 'source' | 'target';

const ONE = '/relation/:name/from/:sourceType/:sourceKey/to/:targetType/:targetKey';

function endType(c: C, end: End) {
  return parseEntityType(c.req.param(`${end}Type`) ?? '', `${end}Type`);
}

/** One end as the request names it; status and version only matter for content (the service ignores them otherwise). */
function endRef(c: C, end: End): EntityRef {
  return {
    type: endType(c, end),
    key: c.req.param(`${end}Key`) ?? '',
    status: query(c, `${end}Status`),
    version: integerParam(c, `${end}Version`),
  };
}

function relationKey(c: C) {
  // Types first: a bad type is a 400 whatever else is wrong.
  endType(c, 'source');
  endType(c, 'target');
  return { ctx: c.var.ctx, name: c.req.param('name') ?? '', source: endRef(c, 'source'), target: endRef(c, 'target') };
}

async function oneRelation(c: C, row: Awaited<ReturnType<typeof getRelation>>, defaults: string[] = []) {
  const expand = relationExpand(expandParam(c, defaults));
  const [json] = row ? await relationsJson(c.var.ctx, c.var.links, [row], expand) : [];
  return json;
}

function absent(c: C): NotFoundError {
  const p = (name: string) => c.req.param(name);
  return new NotFoundError(
    `No '${p('name')}' relation exists from ${p('sourceType')} '${p('sourceKey')}' to ${p('targetType')} '${p('targetKey')}'`,
  );
}

function list(direction: 'from' | 'to') {
  const anchorEnd: End = direction === 'from' ? 'source' : 'target';
  const otherEnd: End = direction === 'from' ? 'target' : 'source';
  return async (c: C) => {
    const otherType = endType(c, otherEnd);
    const anchor = endRef(c, anchorEnd);
    const page = pageParams(c);
    const cursor = cursorParam(c);
    const result = await listRelations({
      ctx: c.var.ctx,
      name: c.req.param('name') ?? '',
      direction,
      anchor,
      otherType,
      otherStatus: query(c, `${otherEnd}Status`),
      otherVersion: integerParam(c, `${otherEnd}Version`),
      after: cursor,
      offset: cursor ? 0 : page.start,
      limit: page.limit,
    });
    const results = await relationsJson(c.var.ctx, c.var.links, result.rows, relationExpand(expandParam(c)));
    const last = result.rows.at(-1);
    return c.json(pageEnvelope(c, c.var.links, page, results, result.hasMore, last ? encodeCursor(last.id) : undefined));
  };
}

export function registerRelations(api: Api): void {
  api.get('/relation/:name/from/:sourceType/:sourceKey/to/:targetType', list('from'));
  api.get('/relation/:name/to/:targetType/:targetKey/from/:sourceType', list('to'));

  api.get(ONE, async (c) => {
    const json = await oneRelation(c, await getRelation(relationKey(c)));
    if (!json) throw absent(c);
    return c.json(json);
  });

  // PUT shows relationData by default so that two PUTs can be compared.
  api.put(ONE, async (c) => {
    const { relation } = await createRelation(relationKey(c));
    const json = await oneRelation(c, relation, ['relationData']);
    if (!json) throw absent(c);
    return c.json(json);
  });

  api.delete(ONE, async (c) => {
    await deleteRelation(relationKey(c));
    return c.body(null, 204);
  });
}
