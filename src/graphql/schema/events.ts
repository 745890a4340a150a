// Live relation events (docs/events.md): the RelationEvent type and Subscription.relationEvents, served over SSE.
import { builder } from '../builder.js';
import { createLoaders } from '../../loaders.js';
import type { RelationEventRow } from '../../events/log.js';
import { subscribeRelationEvents } from '../../events/subscription.js';
import { findRelationById } from '../../services/relations.js';
import { findVisibleEnd } from '../../services/resolve.js';
import { lastEventIdOf, noteEventId, requestOf } from '../sse.js';
import { EntityRefInput, EntityTypeEnum, RelationEntity } from './entity-ref.js';
import { RelationEventTypeEnum } from './relation-event-type.js';
import { RelationRef } from './relation.js';
import { UserRef } from './user.js';

const RelationEventRef = builder.objectRef<RelationEventRow>('RelationEvent').implement({
  description: 'A relation created or deleted, by any face or by a cascade',
  fields: (t) => ({
    id: t.id({ description: "The event's id; a stream delivers ids in increasing order. Also the SSE message's id (Last-Event-ID)", resolve: (e) => String(e.id) }),
    type: t.field({ type: RelationEventTypeEnum, resolve: (e) => e.type }),
    name: t.exposeString('name'),
    sourceType: t.field({ type: EntityTypeEnum, resolve: (e) => e.sourceType }),
    targetType: t.field({ type: EntityTypeEnum, resolve: (e) => e.targetType }),
    source: t.field({
      type: RelationEntity,
      nullable: true,
      description: 'Null when it no longer exists or may not be viewed',
      resolve: (e, _, ctx) => findVisibleEnd(ctx, e.sourceType, e.sourceId, e.sourceVersion),
    }),
    target: t.field({
      type: RelationEntity,
      nullable: true,
      description: 'Null when it no longer exists or may not be viewed',
      resolve: (e, _, ctx) => findVisibleEnd(ctx, e.targetType, e.targetId, e.targetVersion),
    }),
    relation: t.field({
      type: RelationRef,
      nullable: true,
      description: 'The relation, for a CREATED event while it still exists and may be viewed; null otherwise',
      resolve: (e, _, ctx) => (e.type === 'CREATED' ? findRelationById({ ctx, id: e.relationId }) : null),
    }),
    relationId: t.globalID({
      description: "The relation's node id (Relation.id), also for a DELETED event: the relation a client may drop",
      resolve: (e) => ({ type: 'Relation', id: e.relationId }),
    }),
    at: t.expose('at', { type: 'DateTime' }),
    actor: t.field({
      type: UserRef,
      nullable: true,
      description: 'Who created or deleted it (for a cascade: who purged or deleted the end); null when unknown',
      resolve: (e, _, ctx) => (e.actorId === null ? null : ctx.loaders.users.load(e.actorId)),
    }),
  }),
});

builder.subscriptionField('relationEvents', (t) =>
  t.field({
    type: RelationEventRef,
    description:
      'Relations created and deleted that the caller may see (both ends viewable; private names only to their owner), ' +
      'live over Server-Sent Events; each given argument must match. Reconnecting with Last-Event-ID replays what was missed.',
    args: {
      name: t.arg.string(),
      source: t.arg({ type: EntityRefInput, description: 'An unpinned content matches every version; a pinned one only its own' }),
      target: t.arg({ type: EntityRefInput }),
      types: t.arg({ type: [RelationEventTypeEnum], description: 'Default: both' }),
    },
    subscribe: (_, args, ctx) => subscribeRelationEvents({ ctx, ...args, lastEventId: lastEventIdOf(ctx), signal: requestOf(ctx)?.signal }),
    resolve: (event, _, ctx) => {
      // Loaders cache for the life of a request, and a subscription's request lasts hours: each event gets fresh
      // ones, so it shows ends, memberships and relations as they are now, and the cache does not grow forever.
      // Events are executed one at a time, so no other event's fields are still reading the old ones.
      ctx.loaders = createLoaders(ctx.prisma, ctx.viewer);
      noteEventId(ctx, event.id);
      return event;
    },
  }),
);
