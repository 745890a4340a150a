// Relations on every entity, so a query walks the graph: an entity's relations, their other ends, their
// relations, and so on. Each field only translates its arguments; services/traversal.ts batches the parents.
import { builder } from '../builder.js';
import type { Ctx } from '../../context.js';
import type { EntityType } from '../../domain/entities.js';
import type { ContentView } from '../../domain/content-view.js';
import type { Space, User } from '../../generated/prisma/client.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, pageArgs, type Order } from '../../services/paging.js';
import type { RelationRow } from '../../services/relations.js';
import {
  countEntityRelations,
  loadEntityRelations,
  loadRelationNames,
  prepareEntityRelations,
  type EntityRelationsQuery,
  type RelationNameCount,
} from '../../services/traversal.js';
import { ContentRef } from './content.js';
import { EntityTypeEnum } from './entity-ref.js';
import type { Connection } from './connection.js';
import { RelationConnection, RelationOrder } from './relation.js';
import { showsVersion } from '../selection.js';
import { SpaceRef } from './space.js';
import { UserRef } from './user.js';

const RelationDirection = builder.enumType('RelationDirection', {
  values: {
    FROM: { value: 'from', description: 'Relations whose source is the entity' },
    TO: { value: 'to', description: 'Relations whose target is the entity' },
  } as const,
});

const RelationNameCountRef = builder.objectRef<RelationNameCount>('RelationNameCount').implement({
  description: 'How many relations of one name the caller may view, in one direction, with other ends of one type',
  fields: (t) => ({
    name: t.exposeString('name'),
    direction: t.field({ type: RelationDirection, resolve: (r) => r.direction }),
    otherType: t.field({ type: EntityTypeEnum, resolve: (r) => r.otherType }),
    count: t.exposeInt('count'),
  }),
});

interface PageArgs {
  first?: number | null;
  after?: string | null;
  orderBy?: Order | null;
}

async function nestedConnection(ctx: Ctx, query: EntityRelationsQuery, args: PageArgs, parentId: number): Promise<Connection<RelationRow>> {
  const prepared = prepareEntityRelations(query);
  const page = pageArgs({ size: args.first, cursor: args.after });
  const { rows, hasMore } = await loadEntityRelations(ctx, prepared, { limit: page.limit, after: page.after, order: args.orderBy ?? 'asc' }, parentId);
  return { rows, hasMore, after: page.after, count: () => countEntityRelations(ctx, prepared, parentId) };
}

/** relationsFrom, relationsTo and relationNames on one entity type; `idOf` names the parent to the service. */
function relationFields<T>(ref: ObjectParam, anchorType: EntityType, idOf: (parent: T) => number): void {
  const paging = (t: FieldBuilder) => ({
    first: t.arg.int({ description: `Page size: default ${DEFAULT_PAGE_SIZE}, at most ${MAX_PAGE_SIZE}` }),
    after: t.arg.string({ description: 'The endCursor of the previous page' }),
    orderBy: t.arg({ type: RelationOrder, description: 'CREATED_ASC (default) or CREATED_DESC' }),
  });
  builder.objectFields(ref, (t) => ({
    relationsFrom: t.field({
      type: RelationConnection,
      description: 'Relations from this entity: of one name or every name, to targets of one type or every type',
      args: {
        name: t.arg.string({ description: 'Omitted: every name' }),
        targetType: t.arg({ type: EntityTypeEnum, description: 'Omitted: every type' }),
        targetStatus: t.arg.string({ description: 'Content targets: current (default), trashed, any, historical…' }),
        targetVersion: t.arg.int({ description: 'Content targets pinned to this version (with targetStatus historical)' }),
        ...paging(t),
      },
      resolve: (parent, a, ctx, info) =>
        nestedConnection(
          ctx,
          {
            direction: 'from',
            anchorType,
            name: a.name,
            otherType: a.targetType,
            otherStatus: a.targetStatus,
            otherVersion: a.targetVersion,
            showsVersion: showsVersion(info),
          },
          a,
          idOf(parent as T),
        ),
    }),
    relationsTo: t.field({
      type: RelationConnection,
      description: 'Relations to this entity: of one name or every name, from sources of one type or every type',
      args: {
        name: t.arg.string({ description: 'Omitted: every name' }),
        sourceType: t.arg({ type: EntityTypeEnum, description: 'Omitted: every type' }),
        sourceStatus: t.arg.string({ description: 'Content sources: current (default), trashed, any, historical…' }),
        sourceVersion: t.arg.int({ description: 'Content sources pinned to this version (with sourceStatus historical)' }),
        ...paging(t),
      },
      resolve: (parent, a, ctx, info) =>
        nestedConnection(
          ctx,
          {
            direction: 'to',
            anchorType,
            name: a.name,
            otherType: a.sourceType,
            otherStatus: a.sourceStatus,
            otherVersion: a.sourceVersion,
            showsVersion: showsVersion(info),
          },
          a,
          idOf(parent as T),
        ),
    }),
    relationNames: t.field({
      type: [RelationNameCountRef],
      description: 'The names of the relations the caller may view from and to this entity, with their counts (both directions when omitted)',
      args: { direction: t.arg({ type: RelationDirection }) },
      resolve: (parent, a, ctx) => loadRelationNames(ctx, anchorType, a.direction ?? null, idOf(parent as T)),
    }),
  }));
}

type ObjectParam = Parameters<typeof builder.objectFields>[0];
type FieldBuilder = Parameters<Parameters<typeof builder.objectFields>[1]>[0];

relationFields<User>(UserRef, 'USER', (user) => user.id);
relationFields<Space>(SpaceRef, 'SPACE', (space) => space.id);
relationFields<ContentView>(ContentRef, 'CONTENT', (view) => view.content.id);
