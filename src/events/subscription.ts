// A subscription to relation events: its arguments checked and resolved once, when it starts, into the hub's
// filter; Last-Event-ID read as the hub's replay cursor. What the subscriber may see is the hub's rule (hub.ts).
import type { Ctx } from '../context.js';
import { ValidationError } from '../domain/errors.js';
import type { EntityRef } from '../domain/entities.js';
import { validateRelationName } from '../domain/relation-rules.js';
import { prefetchEntities } from '../services/prefetch.js';
import { pinnedVersion, resolveEntity } from '../services/resolve.js';
import { loggerFor } from '../observability/log.js';
import { eventsOf } from './hub.js';
import { EVENT_TYPES, type RelationEventRow, type RelationEventType } from './log.js';

export interface RelationEventsInput {
  name?: string | null;
  source?: EntityRef | null;
  target?: EntityRef | null;
  types?: readonly RelationEventType[] | null;
  /** Last-Event-ID as the client sent it: replay every event after it. */
  lastEventId?: string | null;
}

/** An end an event must have: type and id, and the version when the reference pins one (an unpinned one matches every version). */
type EndFilter = { type: string; id: number; version: number } | null;

const matches = (end: EndFilter, type: string, id: number, version: number) =>
  !end || (end.type === type && end.id === id && (end.version === 0 || end.version === version));

async function endFilter(ctx: Ctx, ref: EntityRef | null | undefined, field: 'source' | 'target'): Promise<EndFilter> {
  if (!ref) return null;
  const entity = await resolveEntity(ctx, ref, field);
  return { type: entity.type, id: entity.id, version: pinnedVersion(entity) };
}

/** Event ids are what the stream's `id:` lines carried: decimal integers. Anything else is the client's mistake. */
export function parseLastEventId(value: string | null | undefined): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (!/^\d{1,16}$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new ValidationError(`Invalid Last-Event-ID '${value.slice(0, 40)}': expected the id of an event this stream sent (a decimal integer)`, 'lastEventId');
  }
  return Number(value);
}

/** The filter a subscription's arguments make: every given argument must match. */
export async function relationEventFilter({ ctx, name, source, target, types }: { ctx: Ctx } & RelationEventsInput): Promise<(event: RelationEventRow) => boolean> {
  const wanted = name === undefined || name === null ? null : validateRelationName(name);
  if (types && types.length === 0) throw new ValidationError(`types must name at least one of ${EVENT_TYPES.join(', ')} (or be left out for all)`, 'types');
  const kinds = types ? new Set(types) : null;
  await prefetchEntities(
    ctx,
    [source, target].filter((ref): ref is EntityRef => !!ref),
  );
  // In order, so the error names the first end that cannot be found, as relation lookups do.
  const from = await endFilter(ctx, source, 'source');
  const to = await endFilter(ctx, target, 'target');
  return (e) =>
    (wanted === null || e.name === wanted) &&
    (kinds === null || kinds.has(e.type)) &&
    matches(from, e.sourceType, e.sourceId, e.sourceVersion) &&
    matches(to, e.targetType, e.targetId, e.targetVersion);
}

/**
 * The viewer's relation events matching the arguments: replayed after Last-Event-ID when given, then live, until
 * the client leaves (`signal`, or `return()`), the token is revoked or the server stops.
 */
export async function subscribeRelationEvents({
  ctx,
  lastEventId,
  signal,
  ...input
}: { ctx: Ctx; signal?: AbortSignal } & RelationEventsInput): Promise<AsyncIterableIterator<RelationEventRow>> {
  const after = parseLastEventId(lastEventId);
  const accept = await relationEventFilter({ ctx, ...input });
  return eventsOf(ctx.db, loggerFor(ctx.config)).stream(ctx.viewer, { after, accept, signal });
}
