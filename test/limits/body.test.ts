import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { expectConfluenceError, expectGraphQLErrors, expectUmbracoError } from '../hostile/faces.js';

const LIMIT = 2048;
let t: TestApp;
let server: ServerType;
let base: string;

beforeAll(async () => {
  t = await createTestApp({ bodyLimit: LIMIT });
  server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await t?.close();
});

/** A JSON body of exactly `size` bytes: `shape` places the padding string. */
const padded = (size: number, shape: (padding: string) => object) => {
  const bare = JSON.stringify(shape('')).length;
  return JSON.stringify(shape('x'.repeat(size - bare)));
};
const graphqlBody = (size: number) => padded(size, (padding) => ({ query: '{ me { displayName } }', variables: { padding } }));

/** The same bytes as a stream, so fetch sends them chunked, without Content-Length. */
const chunked = (init: RequestInit): RequestInit => {
  const bytes = new TextEncoder().encode(init.body as string);
  const body = new ReadableStream({
    start(controller) {
      for (let at = 0; at < bytes.length; at += 500) controller.enqueue(bytes.subarray(at, at + 500));
      controller.close();
    },
  });
  return { ...init, body, duplex: 'half' } as RequestInit;
};

// Through the app's fetch handler the body arrives as a stream without Content-Length; over HTTP it has one,
// unless it is sent chunked. The middleware judges the first and the last by counting, the second by the header.
const transports = {
  'a streamed body': (path: string, init: RequestInit) => t.request(path, init),
  'a body with Content-Length over HTTP': (path: string, init: RequestInit) => fetch(base + path, init),
  'a chunked body over HTTP': (path: string, init: RequestInit) => fetch(base + path, chunked(init)),
};

describe.each(Object.entries(transports))('a request body above BODY_LIMIT, sent as %s', (_, send) => {
  const init = (method: string, body: string): RequestInit => ({
    method,
    body,
    headers: { authorization: `Bearer ${t.admin.token}`, 'content-type': 'application/json' },
  });

  it('is a 413 in the GraphQL format', async () => {
    const response = await send('/graphql', init('POST', graphqlBody(LIMIT + 1)));
    expect(response.status).toBe(413);
    expectGraphQLErrors(await response.json(), 'PAYLOAD_TOO_LARGE');
  });

  it.each(['/rest/api/space', '/wiki/rest/api/content'])('is a 413 in the Confluence format on %s', async (path) => {
    const response = await send(
      path,
      init(
        'POST',
        padded(LIMIT + 1, (padding) => ({ key: 'BIG', name: 'Big', padding })),
      ),
    );
    expect(response.status).toBe(413);
    const body = await response.json();
    expectConfluenceError(body, 413);
    expect(body.data).toMatchObject({ authorized: true, valid: false });
  });

  it('is a 413 in the Umbraco format', async () => {
    const response = await send(
      '/umbraco/relation',
      init(
        'POST',
        padded(LIMIT + 1, (padding) => ({ relationTypeAlias: 'x', parentId: 1, childId: 2, padding })),
      ),
    );
    expect(response.status).toBe(413);
    const body = await response.json();
    expectUmbracoError(body);
    expect(body.error.code).toBe('PayloadTooLarge');
  });

  it('lets a body just within the limit through to its normal answer', async () => {
    const graphql = await send('/graphql', init('POST', graphqlBody(LIMIT)));
    expect(graphql.status).toBe(200);
    expect((await graphql.json()).data.me.displayName).toBe('Admin');
    const confluence = await send(
      '/rest/api/space',
      init(
        'POST',
        padded(LIMIT, (padding) => ({ name: 'Within', padding })),
      ),
    );
    expect(confluence.status).toBeLessThan(500);
    expect(confluence.status).not.toBe(413);
  });
});
