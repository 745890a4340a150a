// Webhooks (docs/events.md, "Webhooks"): create, list, get, delete, and the recent deliveries. The delivery itself is
// src/events/webhook-worker.ts, which reads the same rows.
import type { Ctx } from '../context.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../domain/errors.js';
import {
  MAX_WEBHOOKS_PER_OWNER,
  validateEventTypes,
  validateRelationNameFilter,
  validateWebhookName,
  validateWebhookUrl,
  type WebhookEventType,
  webhookSecret,
} from '../domain/webhooks.js';
import { Prisma, type Webhook, type WebhookDelivery } from '../generated/prisma/client.js';
import { assertTargetAllowed } from './webhook-targets.js';

/** A webhook as its owner (or a site admin) sees it: never the secret. */
export interface WebhookView {
  id: number;
  ownerId: number;
  name: string;
  url: string;
  events: WebhookEventType[];
  relationName: string | null;
  createdAt: Date;
  /** When the event at the head of its queue first failed; null while deliveries succeed. */
  failingSince: Date | null;
}

export interface DeliveryView {
  eventId: number;
  status: 'delivered' | 'retrying' | 'failed';
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export const DELIVERIES_KEPT = 100;
const DEFAULT_DELIVERIES = 20;

const viewOf = (row: Webhook): WebhookView => ({
  id: row.id,
  ownerId: row.ownerId,
  name: row.name,
  url: row.url,
  events: row.events as WebhookEventType[],
  relationName: row.relationName,
  createdAt: row.createdAt,
  failingSince: row.failingSince,
});

export interface CreateWebhookInput {
  url?: unknown;
  name?: unknown;
  events?: unknown;
  secret?: unknown;
  relationName?: unknown;
}

/** Creates a webhook of the caller that delivers the events from now on; the secret is returned here only. */
export async function createWebhook({ ctx, ...input }: { ctx: Ctx } & CreateWebhookInput): Promise<{ webhook: WebhookView; secret: string }> {
  const name = validateWebhookName(input.name);
  const url = validateWebhookUrl(input.url);
  const events = validateEventTypes(input.events);
  const relationName = validateRelationNameFilter(input.relationName);
  const secret = webhookSecret(input.secret);
  const owned = await ctx.prisma.webhook.count({ where: { ownerId: ctx.viewer.id } });
  if (owned >= MAX_WEBHOOKS_PER_OWNER) throw new ValidationError(`A user may have at most ${MAX_WEBHOOKS_PER_OWNER} webhooks; delete one first`, 'url');
  await assertTargetAllowed(url, ctx.config.webhookAllowHosts);
  // The cursor starts at the event log's horizon (every event at or below it has committed): a new webhook gets
  // what commits from now on, including a write in flight now whose id is below the newest visible one.
  const [row] = await ctx.prisma.$queryRaw<{ id: number }[]>(Prisma.sql`
    INSERT INTO webhooks (owner_id, name, url, secret, events, relation_name, cursor)
    VALUES (${ctx.viewer.id}, ${name}, ${url.href}, ${secret}, ${events}::text[], ${relationName},
      relation_events_horizon())
    RETURNING id`);
  const webhook = await ctx.prisma.webhook.findUniqueOrThrow({ where: { id: row.id } });
  return { webhook: viewOf(webhook), secret };
}

/** The caller's webhooks; a site admin's list holds everyone's. */
export async function listWebhooks({ ctx }: { ctx: Ctx }): Promise<WebhookView[]> {
  const rows = await ctx.prisma.webhook.findMany({ where: ctx.viewer.siteAdmin ? {} : { ownerId: ctx.viewer.id }, orderBy: { id: 'asc' } });
  return rows.map(viewOf);
}

/** A webhook of the caller (any, for a site admin); anyone else's, or none, is not found. */
export async function getWebhook({ ctx, id }: { ctx: Ctx; id: unknown }): Promise<WebhookView> {
  const key = typeof id === 'string' && /^\d{1,9}$/.test(id) ? Number(id) : id;
  const row =
    typeof key === 'number' && Number.isSafeInteger(key) && key > 0 && key <= 2_147_483_647 ? await ctx.prisma.webhook.findUnique({ where: { id: key } }) : null;
  if (!row || (row.ownerId !== ctx.viewer.id && !ctx.viewer.siteAdmin)) throw new NotFoundError(`No webhook with id '${String(id)}'`, 'id');
  return viewOf(row);
}

/** Deletes a webhook of the caller (any, for a site admin); its queue and deliveries go with it. */
export async function deleteWebhook({ ctx, id }: { ctx: Ctx; id: unknown }): Promise<WebhookView> {
  const webhook = await getWebhook({ ctx, id });
  await ctx.prisma.webhook.deleteMany({ where: { id: webhook.id } });
  return webhook;
}

/** The most recent deliveries (newest first) of a webhook; only its owner may read them. */
export async function listDeliveries({ ctx, id, first }: { ctx: Ctx; id: unknown; first?: number | null }): Promise<DeliveryView[]> {
  const webhook = await getWebhook({ ctx, id });
  if (webhook.ownerId !== ctx.viewer.id) throw new ForbiddenError("Only a webhook's owner may read its deliveries");
  const take = first ?? DEFAULT_DELIVERIES;
  if (!Number.isInteger(take) || take < 0 || take > DELIVERIES_KEPT) throw new ValidationError(`first must be between 0 and ${DELIVERIES_KEPT}`, 'first');
  const rows = await ctx.prisma.webhookDelivery.findMany({ where: { webhookId: webhook.id }, orderBy: { eventId: 'desc' }, take });
  return rows.map(deliveryOf);
}

const deliveryOf = (row: WebhookDelivery): DeliveryView => ({
  eventId: Number(row.eventId),
  status: row.status as DeliveryView['status'],
  attempts: row.attempts,
  lastStatus: row.lastStatus,
  lastError: row.lastError,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});
