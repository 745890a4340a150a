import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE, EXAMPLE_QUERY } from '../../src/graphql/graphiql.js';
import { seedDemo } from '../../src/seed/demo.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { ROOT } from '../support/processes.js';
import { ok } from './operations.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  await seedDemo(t.db, t.config);
}, 60_000);

afterAll(() => t?.close());

describe('GraphiQL', () => {
  it('opens without credentials with the example operation and a header template', async () => {
    const response = await t.request('/graphql', { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('YogaGraphiQL');
    expect(html).toContain('relationsFrom');
    expect(html).toContain('Bearer \\u003ctoken>');
  });

  it('loads nothing from another host: no script, style or icon is fetched from a URL', async () => {
    const html = await (await t.request('/graphql', { headers: { accept: 'text/html' } })).text();
    expect(html).not.toMatch(/<script[^>]*\ssrc=/i);
    expect(html).not.toMatch(/<link[^>]*\shref="(?!data:)/i);
    expect(html).toMatch(/<link rel="icon" href="data:/);
  });

  it("opens with the README's example query", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(blocks).toContain(EXAMPLE_QUERY);
    expect(EXAMPLE.endsWith(EXAMPLE_QUERY)).toBe(true);
  });

  it('runs the example operation on the demo data as the first admin', async () => {
    const data = await ok(t, t.admin.token, EXAMPLE);
    expect(data.relationsFrom.totalCount).toBeGreaterThan(0);
    for (const node of data.relationsFrom.nodes) {
      expect(node.name).toBe('favourite');
      expect(node.target).toMatchObject({ id: expect.any(String), title: expect.any(String), space: { key: expect.any(String) } });
      expect(node.relationData.friendlyCreatedDate).toBe('just now');
    }
  });
});
