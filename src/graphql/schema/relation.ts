import { builder } from '../builder.js';
import { NotFoundError } from '../../domain/errors.js';
import { friendlyDate } from '../../domain/dates.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, pageArgs } from '../../services/paging.js';
import { connectionType, type Connection } from './connection.js';
import {
  countRelations,
  createRelation,
  deleteRelation,
  findRelationById,
  getRelation,
  listRelations,
  type ListRelationsInput,
  type RelationRow,
} from '../../services/relations.js';
import { EntityRefInput, EntityTypeEnum, loadEnd, RelationEntity } from './entity-ref.js';
import { showsVersion, showsVersionAuthor } from '../selection.js';
import { resultOf } from './errors.js';
import { UserRef } from './user.js';

export const RelationRef = builder.objectRef<RelationRow>('Relation');

export const RelationOrder = builder.enumType('RelationOrder', {
  description: 'The order of a relation list; keyset-paged either way',
  values: {
    CREATED_ASC: { value: 'asc', description: "Oldest first (the default, and Confluence's order)" },
    CREATED_DESC: { value: 'desc', description: 'Latest first' },
  } as const,
});

const RelationData = builder.objectRef<RelationRow>('RelationData').implement({
  fields: (t) => ({
    createdBy: t.field({
      type: UserRef,
      nullable: true,
      resolve: (r, _, ctx) => (r.createdById === null ? null : ctx.loaders.users.get(r.createdById)),
    }),
    createdDate: t.expose('createdAt', { type: 'DateTime' }),
    friendlyCreatedDate: t.string({ description: 'Relative to now, e.g. "2 minutes ago"', resolve: (r) => friendlyDate(r.createdAt) }),
    comment: t.exposeString('comment', { nullable: true }),
  }),
});

builder.node(RelationRef, {
  description: 'A named, one-way relation from a source entity to a target entity',
  id: { resolve: (r) => r.id },
  loadOne: (id, ctx) => findRelationById({ ctx, id: Number(id) }),
  fields: (t) => ({
    name: t.exposeString('name'),
    sourceType: t.field({ type: EntityTypeEnum, resolve: (r) => r.sourceType }),
    targetType: t.field({ type: EntityTypeEnum, resolve: (r) => r.targetType }),
    source: t.field({ type: RelationEntity, resolve: (r, _, ctx) => loadEnd(ctx, r.sourceType, r.sourceId, r.sourceVersion) }),
    target: t.field({ type: RelationEntity, resolve: (r, _, ctx) => loadEnd(ctx, r.targetType, r.targetId, r.targetVersion) }),
    relationData: t.field({ type: RelationData, resolve: (r) => r }),
  }),
});

export const RelationConnection = connectionType<RelationRow, RelationRow>(
  'Relation',
  'relation',
  RelationRef,
  (r) => r,
  'One page of relations in creation order, with only what the caller may view',
  'relations',
);

/** The service's list input, with the GraphQL paging arguments in place of its own. */
type ListArgs = Omit<ListRelationsInput, 'after' | 'offset' | 'limit'> & { first?: number | null; after?: string | null };

async function relationConnection({ first, after, order, ...input }: ListArgs): Promise<Connection<RelationRow>> {
  const page = pageArgs({ size: first, cursor: after });
  const { rows, hasMore } = await listRelations({ ...input, order, limit: page.limit, after: page.after });
  return { rows, hasMore, after: page.after, count: () => countRelations(input) };
}

const RelationInput = builder.inputType('RelationInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    source: t.field({ type: EntityRefInput, required: true }),
    target: t.field({ type: EntityRefInput, required: true }),
    comment: t.string(),
  }),
});

builder.queryFields((t) => ({
  relation: t.field({
    type: RelationRef,
    nullable: true,
    description: 'The relation between two entities; null when there is none the caller may view',
    args: {
      name: t.arg.string({ required: true }),
      source: t.arg({ type: EntityRefInput, required: true }),
      target: t.arg({ type: EntityRefInput, required: true }),
    },
    resolve: (_, args, ctx) =>
      getRelation({ ctx, ...args }).catch((error: unknown) => {
        if (error instanceof NotFoundError) return null;
        throw error;
      }),
  }),
  relationsFrom: t.field({
    type: RelationConnection,
    description: 'Relations of a name from a source entity to targets of one type',
    args: {
      name: t.arg.string({ required: true }),
      source: t.arg({ type: EntityRefInput, required: true }),
      targetType: t.arg({ type: EntityTypeEnum, required: true }),
      targetStatus: t.arg.string({ description: 'Content targets: current (default), trashed, any, historical…' }),
      targetVersion: t.arg.int({ description: 'Content targets pinned to this version (with targetStatus historical)' }),
      first: t.arg.int({ description: `Page size: default ${DEFAULT_PAGE_SIZE}, at most ${MAX_PAGE_SIZE}` }),
      after: t.arg.string({ description: 'The endCursor of the previous page' }),
      orderBy: t.arg({ type: RelationOrder, description: 'CREATED_ASC (default) or CREATED_DESC' }),
    },
    resolve: (_, a, ctx, info) =>
      relationConnection({
        ctx,
        showsVersion: showsVersion(info),
        showsVersionAuthor: showsVersionAuthor(info),
        name: a.name,
        direction: 'from',
        order: a.orderBy ?? 'asc',
        anchor: a.source,
        otherType: a.targetType,
        otherStatus: a.targetStatus,
        otherVersion: a.targetVersion,
        first: a.first,
        after: a.after,
      }),
  }),
  relationsTo: t.field({
    type: RelationConnection,
    description: 'Relations of a name to a target entity from sources of one type',
    args: {
      name: t.arg.string({ required: true }),
      target: t.arg({ type: EntityRefInput, required: true }),
      sourceType: t.arg({ type: EntityTypeEnum, required: true }),
      sourceStatus: t.arg.string({ description: 'Content sources: current (default), trashed, any, historical…' }),
      sourceVersion: t.arg.int({ description: 'Content sources pinned to this version (with sourceStatus historical)' }),
      first: t.arg.int({ description: `Page size: default ${DEFAULT_PAGE_SIZE}, at most ${MAX_PAGE_SIZE}` }),
      after: t.arg.string({ description: 'The endCursor of the previous page' }),
      orderBy: t.arg({ type: RelationOrder, description: 'CREATED_ASC (default) or CREATED_DESC' }),
    },
    resolve: (_, a, ctx, info) =>
      relationConnection({
        ctx,
        showsVersion: showsVersion(info),
        showsVersionAuthor: showsVersionAuthor(info),
        name: a.name,
        direction: 'to',
        order: a.orderBy ?? 'asc',
        anchor: a.target,
        otherType: a.sourceType,
        otherStatus: a.sourceStatus,
        otherVersion: a.sourceVersion,
        first: a.first,
        after: a.after,
      }),
  }),
}));

const CreateRelationSuccess = builder.objectRef<{ relation: RelationRow; created: boolean }>('CreateRelationSuccess').implement({
  fields: (t) => ({
    relation: t.field({ type: RelationRef, resolve: (r) => r.relation }),
    created: t.exposeBoolean('created', { description: 'False when the relation already existed (it is returned unchanged)' }),
  }),
});

const DeleteRelationSuccess = builder.objectRef<{ deleted: boolean }>('DeleteRelationSuccess').implement({
  fields: (t) => ({ deleted: t.exposeBoolean('deleted', { description: 'False when there was nothing to delete' }) }),
});

builder.mutationFields((t) => ({
  createRelation: t.field({
    type: CreateRelationSuccess,
    description: 'Creates the relation, or returns the existing one unchanged',
    errors: resultOf('CreateRelation'),
    args: { input: t.arg({ type: RelationInput, required: true }) },
    resolve: (_, { input }, ctx) => createRelation({ ctx, ...input }),
  }),
  deleteRelation: t.field({
    type: DeleteRelationSuccess,
    description: 'Deletes the relation if it exists; both ends must exist',
    errors: resultOf('DeleteRelation'),
    args: { input: t.arg({ type: RelationInput, required: true }) },
    resolve: (_, { input }, ctx) => deleteRelation({ ctx, name: input.name, source: input.source, target: input.target }),
  }),
}));
