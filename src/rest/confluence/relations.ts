// The five relation operations (docs/confluence.md).
import type { Context } from 'hono';
import { NotFoundError } from '../../domain/errors.js';
import { parseEntityType, type EntityRef } from '../../domain/entities.js';
import { createRelation, deleteRelation, getRelation, listRelations } from '../../services/relations.js';
import type { Api, ConfluenceEnv } from './env.js';
import { cursorParam, encodeCursor, pageParams, pageText } from './paging.js';
import { expandParam, integerParam, query } from './params.js';
import { relationExpand, relationsText } from './serialize-relation.js';

type C = Context<ConfluenceEnv>;
type End = 'source' | 'target';

const ONE = '/relation/:name/from/:sourceType/:sourceKey/to/:targetType/:targetKey';

/** An answer already written as JSON text, with the headers `c.json` would send. */
const jsonText = (c: C, text: string) => c.body(text, 200, { 'Content-Type': 'application/json' });

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
  const [text] = row ? await relationsText(c.var.ctx, c.var.links, [row], expand) : [];
  return text;
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
    const results = await relationsText(c.var.ctx, c.var.links, result.rows, relationExpand(expandParam(c)));
    const last = result.rows.at(-1);
    return jsonText(c, pageText(c, c.var.links, page, results, result.hasMore, last ? encodeCursor(last.id) : undefined));
  };
}

export function registerRelations(api: Api): void {
  api.get('/relation/:name/from/:sourceType/:sourceKey/to/:targetType', list('from'));
  api.get('/relation/:name/to/:targetType/:targetKey/from/:sourceType', list('to'));

  api.get(ONE, async (c) => {
    const text = await oneRelation(c, await getRelation(relationKey(c)));
    if (!text) throw absent(c);
    return jsonText(c, text);
  });

  // PUT shows relationData by default so that two PUTs can be compared.
  api.put(ONE, async (c) => {
    const { relation } = await createRelation(relationKey(c));
    const text = await oneRelation(c, relation, ['relationData']);
    if (!text) throw absent(c);
    return jsonText(c, text);
  });

  api.delete(ONE, async (c) => {
    await deleteRelation(relationKey(c));
    return c.body(null, 204);
  });
}
