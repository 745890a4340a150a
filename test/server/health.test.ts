// Liveness and readiness, as a load balancer sees them.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

describe('health', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close().catch(() => {}));

  test('/healthz answers 200 without a token', async () => {
    const response = await t.request('/healthz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  test('/readyz answers 200 while the database answers', async () => {
    const response = await t.request('/readyz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready', database: t.db.kind });
  });

  test('/readyz answers 503 once the database is closed, while /healthz stays 200', async () => {
    await t.db.close();
    const ready = await t.request('/readyz');
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'unavailable', database: t.db.kind });
    expect((await t.request('/healthz')).status).toBe(200);
  });
});
