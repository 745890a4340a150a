// How relations name their ends (EntityRef in) and show them (RelationEntity out).
import { builder } from '../builder.js';
import type { Ctx } from '../../context.js';
import type { Space, User } from '../../generated/prisma/client.js';
import { ENTITY_TYPES, type EntityType } from '../../domain/entities.js';
import type { ContentView } from '../../domain/content-view.js';
import { mapLoaded } from '../../loaders.js';
import { ContentRef } from './content.js';
import { SpaceRef } from './space.js';
import { UserRef } from './user.js';

export const EntityTypeEnum = builder.enumType('EntityType', { values: ENTITY_TYPES });

export const EntityRefInput = builder.inputType('EntityRef', {
  description: 'A user (key: current, accountId, userKey or username), a space (key) or content (key: its id)',
  fields: (t) => ({
    type: t.field({ type: EntityTypeEnum, required: true }),
    key: t.string({ required: true }),
    status: t.string({ description: 'Content only: current (default), draft, trashed, archived, or historical with a version' }),
    version: t.int({ description: 'Content only, with status historical: the pinned version' }),
  }),
});

export type EntityValue = User | Space | ContentView;

export const RelationEntity = builder.unionType('RelationEntity', {
  types: [UserRef, SpaceRef, ContentRef],
  resolveType: (value) => ('content' in value ? 'Content' : 'accountId' in value ? 'User' : 'Space'),
});

/** One end of a stored relation, through the request's loaders (a pinned content end shows that version); at once when they hold it. */
export function loadEnd(ctx: Ctx, type: EntityType, id: number, version: number): EntityValue | Promise<EntityValue> {
  if (type === 'USER') return mapLoaded(ctx.loaders.users.get(id), (user) => present(user, type, id));
  if (type === 'SPACE') return mapLoaded(ctx.loaders.spaces.get(id), (space) => present(space, type, id));
  const content = ctx.loaders.contents.get(id);
  const pinned = version ? ctx.loaders.contentVersions.get(`${id}:${version}`) : null;
  if (content instanceof Promise || pinned instanceof Promise) {
    return Promise.all([content, pinned]).then(([c, p]) => present(c && { content: c, pinned: p }, type, id));
  }
  return present(content && { content, pinned }, type, id);
}

function present<T>(found: T | null, type: EntityType, id: number): T {
  // The foreign keys cascade, so a stored end always exists; this guards a delete racing the read.
  if (!found) throw new Error(`The ${type.toLowerCase()} ${id} of a relation no longer exists`);
  return found;
}
