// /webhooks (docs/events.md, "Webhooks"): list, create (201, the secret shown once), get, delete, recent deliveries.
import { createWebhook, deleteWebhook, getWebhook, listDeliveries, listWebhooks } from '../../services/webhooks.js';
import type { Api } from './env.js';
import { parseRequest } from './params.js';
import { webhookCreateRequest, webhookDeliveriesRequest, webhookRequest } from './schemas.js';
import { deliveryJson, webhookJson } from './serialize-webhook.js';

export function registerWebhooks(api: Api): void {
  api.get('/webhooks', async (c) => {
    const results = (await listWebhooks({ ctx: c.var.ctx })).map((webhook) => webhookJson(webhook, c.var.links));
    return c.json({ results, size: results.length });
  });

  api.post('/webhooks', async (c) => {
    const { body } = await parseRequest(c, webhookCreateRequest);
    const { webhook, secret } = await createWebhook({ ctx: c.var.ctx, ...body });
    return c.json({ ...webhookJson(webhook, c.var.links), secret }, 201);
  });

  api.get('/webhooks/:id', async (c) => {
    const { params } = await parseRequest(c, webhookRequest);
    return c.json(webhookJson(await getWebhook({ ctx: c.var.ctx, id: params.id }), c.var.links));
  });

  api.delete('/webhooks/:id', async (c) => {
    const { params } = await parseRequest(c, webhookRequest);
    await deleteWebhook({ ctx: c.var.ctx, id: params.id });
    return c.body(null, 204);
  });

  api.get('/webhooks/:id/deliveries', async (c) => {
    const { params, query } = await parseRequest(c, webhookDeliveriesRequest);
    const results = (await listDeliveries({ ctx: c.var.ctx, id: params.id, first: query.limit })).map(deliveryJson);
    return c.json({ results, size: results.length });
  });
}
