// METRICS_PORT: /metrics on a listener of its own, without a token; the main port still asks for a site admin.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { freshPlace, type Place, type Serving, startServe } from '../support/processes.js';

const SLOW = { timeout: 120_000 };

describe('METRICS_PORT', SLOW, () => {
  let place: Place;
  let served: Serving | undefined;

  beforeAll(async () => {
    place = await freshPlace();
    served = await startServe({ ...place.env, DEMO: 'false', METRICS_PORT: '0', LOG_FORMAT: 'json' });
    await served.printed('/metrics (keep METRICS_PORT private)');
  }, SLOW.timeout);
  afterAll(async () => {
    await served?.stop('SIGKILL');
    await place?.cleanup();
  });

  test('serves the metrics without a token on its own port, bound to HOST, and nothing else there', async () => {
    const gateway = served!;
    const metricsUrl = /Metrics without a token: (http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(gateway.output())![1];
    expect(new URL(metricsUrl).port).not.toBe(new URL(gateway.url).port);
    await fetch(`${gateway.url}/healthz`);
    const response = await fetch(metricsUrl);
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/^http_request_duration_seconds_count\{face="gateway",route="\/healthz",status="200"\} 1$/m);
    expect((await fetch(metricsUrl.replace('/metrics', '/graphql'))).status).toBe(404);
    expect((await fetch(`${gateway.url}/metrics`)).status).toBe(401);
    expect(await gateway.stop('SIGTERM')).toBe(0);
    served = undefined;
  });
});
