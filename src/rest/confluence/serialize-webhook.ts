import type { DeliveryView, WebhookView } from '../../services/webhooks.js';
import { absolute, API, type Links } from './links.js';

export function webhookJson(webhook: WebhookView, links: Links) {
  return {
    id: webhook.id,
    name: webhook.name,
    url: webhook.url,
    events: webhook.events,
    relationName: webhook.relationName,
    createdAt: webhook.createdAt.toISOString(),
    failingSince: webhook.failingSince?.toISOString() ?? null,
    _links: { self: absolute(links, `${API}/webhooks/${webhook.id}`) },
  };
}

export function deliveryJson(delivery: DeliveryView) {
  return {
    eventId: String(delivery.eventId),
    status: delivery.status,
    attempts: delivery.attempts,
    lastStatus: delivery.lastStatus,
    lastError: delivery.lastError,
    createdAt: delivery.createdAt.toISOString(),
    updatedAt: delivery.updatedAt.toISOString(),
  };
}
