import { builder } from '../builder.js';
import type { User } from '../../generated/prisma/client.js';
import { createWebhook, deleteWebhook, type DeliveryView, listDeliveries, listWebhooks, type WebhookView } from '../../services/webhooks.js';
import { resultOf } from './errors.js';
import { RelationEventTypeEnum } from './relation-event-type.js';
import { UserRef } from './user.js';

const DeliveryStatus = builder.enumType('WebhookDeliveryStatus', {
  values: {
    DELIVERED: { value: 'delivered', description: 'The receiver answered 2xx' },
    RETRYING: { value: 'retrying', description: 'The last attempt failed; it is tried again with backoff' },
    FAILED: { value: 'failed', description: 'Attempts failed for over 24 hours; the next events went on' },
  } as const,
});

const WebhookDeliveryRef = builder.objectRef<DeliveryView>('WebhookDelivery').implement({
  description: 'The delivery of one event to a webhook',
  fields: (t) => ({
    eventId: t.id({ resolve: (d) => String(d.eventId) }),
    status: t.field({ type: DeliveryStatus, resolve: (d) => d.status }),
    attempts: t.exposeInt('attempts'),
    lastStatus: t.exposeInt('lastStatus', { nullable: true, description: "The receiver's HTTP status at the last attempt; null without an answer" }),
    lastError: t.exposeString('lastError', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'The first attempt' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'The last attempt' }),
  }),
});

const WebhookRef = builder.objectRef<WebhookView>('Webhook').implement({
  description: 'Relation events its owner may see, POSTed to `url` signed per Standard Webhooks (docs/events.md)',
  fields: (t) => ({
    id: t.exposeInt('id'),
    name: t.exposeString('name'),
    url: t.exposeString('url'),
    events: t.field({ type: [RelationEventTypeEnum], resolve: (w) => w.events }),
    relationName: t.exposeString('relationName', { nullable: true, description: 'Only events of relations with this name, when set' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    owner: t.field({ type: UserRef, resolve: async (w, _, ctx) => (await ctx.loaders.users.load(w.ownerId)) as User }),
    failingSince: t.expose('failingSince', {
      type: 'DateTime',
      nullable: true,
      description: 'When the event at the head of its queue first failed; null while deliveries succeed',
    }),
    deliveries: t.field({
      type: [WebhookDeliveryRef],
      nullable: true,
      description: 'The most recent deliveries, newest first (up to 100 are kept); only the owner may read them (others get an error)',
      args: { first: t.arg.int({ description: 'How many, 0 to 100 (default 20)' }) },
      resolve: (w, { first }, ctx) => listDeliveries({ ctx, id: w.id, first }),
    }),
  }),
});

builder.queryField('webhooks', (t) =>
  t.field({ type: [WebhookRef], description: "The caller's webhooks (a site admin's: everyone's)", resolve: (_, __, ctx) => listWebhooks({ ctx }) }),
);

const CreateWebhookInput = builder.inputType('CreateWebhookInput', {
  fields: (t) => ({
    url: t.string({ required: true, description: 'http(s); loopback, link-local and private addresses are refused unless in WEBHOOK_ALLOW_HOSTS' }),
    name: t.string({ required: true, description: 'A label, 1-255 characters' }),
    events: t.field({ type: [RelationEventTypeEnum], required: true }),
    secret: t.string({ description: 'A Standard Webhooks secret (whsec_ + base64 of 24-64 bytes); omitted: one is generated' }),
    relationName: t.string({ description: 'Only events of relations with this name' }),
  }),
});

const CreateWebhookSuccess = builder.objectRef<{ webhook: WebhookView; secret: string }>('CreateWebhookSuccess').implement({
  fields: (t) => ({
    webhook: t.field({ type: WebhookRef, resolve: (r) => r.webhook }),
    secret: t.exposeString('secret', { description: 'The signing secret, shown only here' }),
  }),
});

const DeleteWebhookInput = builder.inputType('DeleteWebhookInput', {
  fields: (t) => ({ id: t.int({ required: true }) }),
});

const DeleteWebhookSuccess = builder.objectRef<{ webhook: WebhookView }>('DeleteWebhookSuccess').implement({
  description: 'The webhook as it was; nothing more is delivered',
  fields: (t) => ({ webhook: t.field({ type: WebhookRef, resolve: (r) => r.webhook }) }),
});

builder.mutationFields((t) => ({
  createWebhook: t.field({
    type: CreateWebhookSuccess,
    description: 'A webhook of the caller, delivering the events from now on',
    errors: resultOf('CreateWebhook'),
    args: { input: t.arg({ type: CreateWebhookInput, required: true }) },
    resolve: (_, { input }, ctx) => createWebhook({ ctx, ...input }),
  }),
  deleteWebhook: t.field({
    type: DeleteWebhookSuccess,
    description: "Deletes one of your webhooks (site admins: anyone's)",
    errors: resultOf('DeleteWebhook'),
    args: { input: t.arg({ type: DeleteWebhookInput, required: true }) },
    resolve: async (_, { input }, ctx) => ({ webhook: await deleteWebhook({ ctx, id: input.id }) }),
  }),
}));
