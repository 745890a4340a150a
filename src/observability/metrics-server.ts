// METRICS_PORT: /metrics on a listener of its own, without a token, for a scraper on a private network.
// Bound to HOST like the main port; it answers nothing else.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { metricsFor, metricsResponse } from './metrics.js';

export function listenMetrics(config: Config, db: Database, port: number): Promise<{ server: Server; url: string }> {
  const metrics = metricsFor(config, db);
  const fetch = (request: Request) =>
    request.method === 'GET' && new URL(request.url).pathname === '/metrics' ? metricsResponse(metrics) : new Response('Not found', { status: 404 });
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port, hostname: config.host }, () => {
      server.off('error', reject);
      const { address, port: bound } = server.address() as AddressInfo;
      resolve({ server, url: `http://${address.includes(':') ? `[${address}]` : address}:${bound}/metrics` });
    }) as Server;
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`METRICS_PORT ${port} on ${config.host} is already in use`) : error),
    );
  });
}
