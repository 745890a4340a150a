// GET /metrics on the main port: a site admin's token, like any other caller's, is checked by the one
// authentication every face uses; anyone else gets a 401 or 403 and no figure.
import type { Hono } from 'hono';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { ForbiddenError, RateLimitedError } from '../domain/errors.js';
import { contextFor } from '../services/authentication.js';
import { asDomainError } from '../services/failures.js';
import { metricsFor, metricsResponse } from './metrics.js';

const STATUS = { UNAUTHENTICATED: 401, FORBIDDEN: 403, RATE_LIMITED: 429, UNAVAILABLE: 503 } as const;

export function registerMetrics(app: Hono, config: Config, db: Database): void {
  const metrics = metricsFor(config, db);
  app.get('/metrics', async (c) => {
    try {
      const { viewer } = await contextFor(config, db, c.req.raw.headers);
      if (!viewer.siteAdmin) throw new ForbiddenError('Only a site admin may read the metrics');
    } catch (error) {
      const known = asDomainError(error);
      const status = known && known.code in STATUS ? STATUS[known.code as keyof typeof STATUS] : undefined;
      if (!known || !status) throw error;
      const headers: Record<string, string> = {};
      if (status === 401) headers['WWW-Authenticate'] = 'Bearer realm="relation-gateway"';
      if (known instanceof RateLimitedError) headers['Retry-After'] = String(known.retryAfterSeconds);
      return c.json({ error: known.message }, status, headers);
    }
    return metricsResponse(metrics);
  });
}
