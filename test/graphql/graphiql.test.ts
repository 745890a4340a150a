import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE } from '../../src/graphql/yoga.js';
import { seedDemo } from '../../src/seed/demo.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { ok } from './operations.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  await seedDemo(t.db, t.config);
}, 60_000);

afterAll(() => t?.close());

describe('GraphiQL', () => {
  it('opens without credentials with the example operation', async () => {
    const response = await t.request('/graphql', { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('GraphiQL');
    expect(html).toContain('relationsFrom');
  });

  it('runs the example operation on the demo data as the first admin', async () => {
    const data = await ok(t, t.admin.token, EXAMPLE);
    expect(data.me.accountId).toBe(t.admin.user.accountId);
    expect(data.relationsFrom.totalCount).toBeGreaterThan(0);
    for (const node of data.relationsFrom.nodes) {
      expect(node.target).toMatchObject({ id: expect.any(String), title: expect.any(String), space: { key: expect.any(String) } });
      expect(node.relationData.friendlyCreatedDate).toBe('just now');
    }
  });
});
