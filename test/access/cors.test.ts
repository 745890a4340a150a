// Cross-origin access as a browser meets it: preflights and answers on every face under each CORS_ORIGINS setting.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, type CorsConfig } from '../../src/config.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { freshPlace, runCli, startServe, TOKEN, type Place, type Serving } from '../support/processes.js';

const LISTED = 'https://app.example';
const ALSO_LISTED = 'http://localhost:5173';
const STRANGER = 'https://evil.example';

const cors = (value?: string): CorsConfig => loadConfig(value === undefined ? {} : { CORS_ORIGINS: value }).cors;

interface FaceCase {
  face: string;
  /** What a frontend preflights: a write on the face. */
  preflight: { path: string; method: string; headers: string };
  methods: string;
  /** Request headers the face's own clients send, all of which must be allowed. */
  clientHeaders: string[];
  /** An authenticated read that answers 200. */
  read: (t: TestApp, headers: Record<string, string>) => Promise<Response>;
  /** Today's answer to an OPTIONS that is not a preflight. */
  bareOptions: number;
}

const FACES: FaceCase[] = [
  {
    face: 'GraphQL',
    preflight: { path: '/graphql', method: 'POST', headers: 'authorization,content-type' },
    methods: 'GET, POST',
    // last-event-id: what an EventSource sends when it reconnects to a subscription.
    clientHeaders: ['authorization', 'content-type', 'graphql-require-preflight', 'x-graphql-yoga-csrf', 'apollo-require-preflight', 'last-event-id'],
    read: (t, headers) => t.request('/graphql', { method: 'POST', headers, json: { query: '{ me { displayName } }' } }),
    bareOptions: 204,
  },
  {
    face: 'Confluence Cloud',
    preflight: { path: '/wiki/rest/api/relation/likes/from/user/current/to/content/1', method: 'PUT', headers: 'authorization,x-atlassian-token' },
    methods: 'GET, POST, PUT, DELETE',
    clientHeaders: ['authorization', 'content-type', 'x-atlassian-token'],
    read: (t, headers) => t.request('/wiki/rest/api/user/current', { headers }),
    bareOptions: 401,
  },
  {
    face: 'Confluence Server',
    preflight: { path: '/rest/api/relation/likes/from/user/current/to/content/1', method: 'DELETE', headers: 'authorization' },
    methods: 'GET, POST, PUT, DELETE',
    clientHeaders: ['authorization', 'content-type', 'x-atlassian-token'],
    read: (t, headers) => t.request('/rest/api/user/current', { headers }),
    bareOptions: 401,
  },
  {
    face: 'Umbraco',
    preflight: { path: '/umbraco/relation', method: 'POST', headers: 'api-key,content-type,umb-project-alias,api-version' },
    methods: 'GET, POST, DELETE',
    clientHeaders: ['api-key', 'authorization', 'content-type', 'umb-project-alias', 'api-version'],
    read: (t, headers) => t.request('/umbraco/relation/type', { headers }),
    bareOptions: 401,
  },
];

function preflight(t: TestApp, face: FaceCase, origin: string): Promise<Response> {
  return t.request(face.preflight.path, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': face.preflight.method, 'access-control-request-headers': face.preflight.headers },
  });
}

const basic = (t: TestApp) => `Basic ${Buffer.from(`${t.admin.user.email}:${t.admin.token}`).toString('base64')}`;

function grant(response: Response) {
  const list = (name: string) =>
    response.headers
      .get(name)
      ?.split(',')
      .map((v) => v.trim().toLowerCase()) ?? [];
  return {
    origin: response.headers.get('access-control-allow-origin'),
    credentials: response.headers.get('access-control-allow-credentials'),
    vary: list('vary'),
    methods: response.headers.get('access-control-allow-methods'),
    headers: list('access-control-allow-headers'),
    maxAge: response.headers.get('access-control-max-age'),
    exposed: list('access-control-expose-headers'),
  };
}

describe('CORS_ORIGINS is read once at start', () => {
  it.each([
    ['unset', undefined, { origins: [], anyOrigin: true }],
    ['empty', '', { origins: [], anyOrigin: true }],
    ['*', '*', { origins: [], anyOrigin: true }],
    ['none', 'none', { origins: [], anyOrigin: false }],
    ['a list', `${LISTED}, ${ALSO_LISTED}`, { origins: [LISTED, ALSO_LISTED], anyOrigin: false }],
    ['a list and *', `${LISTED},*`, { origins: [LISTED], anyOrigin: true }],
    ['an app scheme', 'capacitor://localhost', { origins: ['capacitor://localhost'], anyOrigin: false }],
    ['an IPv6 origin with a port', 'http://[::1]:8080', { origins: ['http://[::1]:8080'], anyOrigin: false }],
  ])('%s: %j', (_, value, expected) => {
    expect(cors(value)).toEqual(expected);
  });

  it.each([
    ['a trailing slash', 'https://app.example/', 'did you mean "https://app.example"?'],
    ['a path', 'https://app.example/app', 'did you mean "https://app.example"?'],
    ['capitals', 'https://App.Example', 'did you mean "https://app.example"?'],
    ['a default port', 'https://app.example:443', 'did you mean "https://app.example"?'],
    ['no scheme', 'app.example', 'it is not a URL'],
    ['a wildcard subdomain', 'https://*.example.com', 'patterns are not supported'],
    ['the null origin', 'null', 'it is not a URL'],
    ['none inside a list', `none,${LISTED}`, 'it is not a URL'],
    ['an empty entry', `${LISTED},,${ALSO_LISTED}`, 'it is not a URL'],
    ['an app scheme with a path', 'capacitor://localhost/index.html', 'it is not scheme://host[:port]'],
  ])('%s stops the start with a message naming the entry', (_, value, reason) => {
    const entry = value.split(',').find((e) => e !== LISTED && e !== ALSO_LISTED) ?? '';
    expect(() => cors(value)).toThrow(ConfigError);
    expect(() => cors(value)).toThrow(`CORS_ORIGINS entry "${entry}" is not an exact origin`);
    expect(() => cors(value)).toThrow(reason);
  });
});

describe('CORS_ORIGINS listing origins', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ cors: cors(`${LISTED},${ALSO_LISTED}`) });
  });
  afterAll(() => t?.close());

  describe.each(FACES)('on the $face face', (face) => {
    it("approves a listed origin's preflight with credentials, the face's methods and headers, before authentication", async () => {
      for (const origin of [LISTED, ALSO_LISTED]) {
        const response = await preflight(t, face, origin);
        expect(response.status).toBe(204);
        const g = grant(response);
        expect(g).toMatchObject({ origin, credentials: 'true', methods: face.methods, maxAge: '7200' });
        expect(g.headers).toEqual(expect.arrayContaining(face.clientHeaders));
        expect(g.vary).toContain('origin');
      }
    });

    it("gives an unlisted origin's preflight no allow-origin and no credentials, and no 401", async () => {
      const response = await preflight(t, face, STRANGER);
      expect(response.status).toBe(204);
      expect(grant(response)).toMatchObject({ origin: null, credentials: null, methods: null });
      expect(grant(response).vary).toContain('origin');
    });

    it('lets a listed origin read an answer with credentials, exposing what a frontend needs', async () => {
      const response = await face.read(t, { origin: LISTED, authorization: basic(t) });
      expect(response.status).toBe(200);
      const g = grant(response);
      expect(g).toMatchObject({ origin: LISTED, credentials: 'true' });
      expect(g.vary).toContain('origin');
      expect(g.exposed).toEqual(expect.arrayContaining(['retry-after', 'www-authenticate', 'x-request-id']));
    });

    it('lets a listed origin read a 401, with WWW-Authenticate exposed', async () => {
      const response = await face.read(t, { origin: LISTED });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBeTruthy();
      expect(grant(response)).toMatchObject({ origin: LISTED, credentials: 'true' });
      expect(grant(response).exposed).toContain('www-authenticate');
    });

    it('gives an unlisted origin no allow-origin on an authenticated answer', async () => {
      const response = await face.read(t, { origin: STRANGER, authorization: basic(t) });
      expect(response.status).toBe(200);
      expect(grant(response)).toMatchObject({ origin: null, credentials: null });
      expect(grant(response).vary).toContain('origin');
    });

    it('answers a request without Origin with no grant, but Vary: Origin for caches', async () => {
      const response = await face.read(t, { authorization: basic(t) });
      expect(response.status).toBe(200);
      expect(grant(response)).toMatchObject({ origin: null, credentials: null });
      expect(grant(response).vary).toContain('origin');
    });

    it('takes an OPTIONS without Origin for no preflight: the face answers it as before', async () => {
      const response = await t.request(face.preflight.path, { method: 'OPTIONS', headers: { 'access-control-request-method': face.preflight.method } });
      expect(response.status).toBe(face.bareOptions);
      expect(grant(response)).toMatchObject({ origin: null, methods: null });
    });
  });

  it('answers a preflight before the body limit', async () => {
    const response = await t.request('/rest/api/content', {
      method: 'OPTIONS',
      headers: { origin: LISTED, 'access-control-request-method': 'POST' },
      body: 'x'.repeat(t.config.bodyLimit + 1),
    });
    expect(response.status).toBe(204);
    expect(grant(response).origin).toBe(LISTED);
  });

  it.each([
    ['a 404 of the Confluence face', '/wiki/rest/api/nothing-here', 404],
    ['a 404 of the Umbraco face', '/umbraco/relation/999999', 404],
    ['a 404 outside the faces', '/nothing-here', 404],
    ['GET /healthz', '/healthz', 200],
  ])('lets a listed origin read %s', async (_, path, status) => {
    const response = await t.request(path, { headers: { origin: LISTED, authorization: basic(t) } });
    expect(response.status).toBe(status);
    expect(grant(response)).toMatchObject({ origin: LISTED, credentials: 'true' });
  });

  it('lets a listed origin read a 413 of the body limit', async () => {
    const response = await t.request('/graphql', {
      method: 'POST',
      headers: { origin: LISTED, 'content-type': 'application/json' },
      body: 'x'.repeat(t.config.bodyLimit + 1),
    });
    expect(response.status).toBe(413);
    expect(grant(response)).toMatchObject({ origin: LISTED, credentials: 'true' });
  });

  it('lets a listed origin read a 429 with Retry-After exposed', async () => {
    const limited = await createTestApp({ cors: t.config.cors, rateLimit: 1 });
    try {
      const responses = await Promise.all(
        Array.from({ length: 5 }, () => limited.request('/rest/api/user/current', { headers: { origin: LISTED }, token: limited.admin.token })),
      );
      const refused = responses.find((r) => r.status === 429);
      expect(refused, 'one of five requests at 1/s is refused').toBeDefined();
      expect(refused!.headers.get('retry-after')).toBeTruthy();
      expect(grant(refused!)).toMatchObject({ origin: LISTED, credentials: 'true' });
      expect(grant(refused!).exposed).toContain('retry-after');
    } finally {
      await limited.close();
    }
  });

  it('lets a listed origin read a 503 of /readyz', async () => {
    const down = await createTestApp({ cors: t.config.cors });
    await down.db.close();
    try {
      const response = await down.request('/readyz', { headers: { origin: LISTED } });
      expect(response.status).toBe(503);
      expect(grant(response)).toMatchObject({ origin: LISTED, credentials: 'true' });
    } finally {
      await down.close().catch(() => {});
    }
  });

  it("lets a listed origin's EventSource subscribe, and reconnect with Last-Event-ID", async () => {
    const asked = await t.request('/graphql', {
      method: 'OPTIONS',
      headers: { origin: LISTED, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization,graphql-require-preflight,last-event-id' },
    });
    expect(grant(asked)).toMatchObject({ origin: LISTED, credentials: 'true' });
    expect(grant(asked).headers).toEqual(expect.arrayContaining(['authorization', 'graphql-require-preflight', 'last-event-id']));
    const query = encodeURIComponent('subscription { relationEvents { id } }');
    const response = await t.request(`/graphql?query=${query}`, {
      headers: { origin: LISTED, authorization: `Bearer ${t.admin.token}`, accept: 'text/event-stream', 'graphql-require-preflight': '1', 'last-event-id': '0' },
    });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(grant(response)).toMatchObject({ origin: LISTED, credentials: 'true' });
    await response.body?.cancel();
  });
});

describe('CORS_ORIGINS unset (the default): any origin, never with credentials', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ cors: cors(undefined) });
  });
  afterAll(() => t?.close());

  it("answers the issue's preflight from any origin with * and no credentials", async () => {
    const response = await t.request('/graphql', {
      method: 'OPTIONS',
      headers: { origin: STRANGER, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(response.status).toBe(204);
    expect(grant(response)).toMatchObject({ origin: '*', credentials: null, methods: 'GET, POST' });
    expect(grant(response).headers).toEqual(expect.arrayContaining(['authorization', 'content-type']));
  });

  describe.each(FACES)('on the $face face', (face) => {
    it('approves a preflight from any origin without credentials, the same for every origin', async () => {
      const response = await preflight(t, face, STRANGER);
      expect(response.status).toBe(204);
      const g = grant(response);
      expect(g).toMatchObject({ origin: '*', credentials: null, methods: face.methods, maxAge: '7200' });
      expect(g.headers).toEqual(expect.arrayContaining(face.clientHeaders));
      expect(g.vary).not.toContain('origin');
    });

    it('lets any origin read a token-bearing answer and its 401, never with credentials', async () => {
      const served = await face.read(t, { origin: STRANGER, authorization: `Bearer ${t.admin.token}` });
      expect(served.status).toBe(200);
      expect(grant(served)).toMatchObject({ origin: '*', credentials: null });
      const refused = await face.read(t, { origin: STRANGER });
      expect(refused.status).toBe(401);
      expect(grant(refused)).toMatchObject({ origin: '*', credentials: null });
      expect(grant(refused).exposed).toContain('www-authenticate');
    });
  });
});

describe('CORS_ORIGINS listing origins and *', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ cors: cors(`${LISTED},*`) });
  });
  afterAll(() => t?.close());

  it.each(FACES)('on the $face face: credentials for the listed origin, * without them for any other', async (face) => {
    const listed = grant(await preflight(t, face, LISTED));
    expect(listed).toMatchObject({ origin: LISTED, credentials: 'true', methods: face.methods });
    expect(listed.vary).toContain('origin');
    const other = grant(await preflight(t, face, STRANGER));
    expect(other).toMatchObject({ origin: '*', credentials: null, methods: face.methods });
    expect(other.vary).toContain('origin');
    expect(grant(await face.read(t, { origin: LISTED, authorization: basic(t) }))).toMatchObject({ origin: LISTED, credentials: 'true' });
    expect(grant(await face.read(t, { origin: STRANGER, authorization: basic(t) }))).toMatchObject({ origin: '*', credentials: null });
  });
});

describe('CORS_ORIGINS=none: no cross-origin access at all', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ cors: cors('none') });
  });
  afterAll(() => t?.close());

  it.each(FACES)('on the $face face: a preflight is answered (no 401) but approves nothing; answers carry no CORS headers', async (face) => {
    const pre = await preflight(t, face, LISTED);
    expect(pre.status).toBe(204);
    expect(grant(pre)).toMatchObject({ origin: null, credentials: null, methods: null, maxAge: null });
    const response = await face.read(t, { origin: LISTED, authorization: basic(t) });
    expect(response.status).toBe(200);
    expect(grant(response)).toMatchObject({ origin: null, credentials: null, exposed: [] });
  });
});

describe('an unlisted origin can never read a credentialed answer', () => {
  const settings = [undefined, 'none', `${LISTED},${ALSO_LISTED}`, `${LISTED},*`, '*'];
  let apps: TestApp[];
  beforeAll(async () => {
    apps = [];
    for (const value of settings) apps.push(await createTestApp({ cors: cors(value) }));
  });
  afterAll(async () => {
    for (const app of apps ?? []) await app.close();
  });

  it.each(settings.map((value, i) => [value ?? '(unset)', i] as const))('with CORS_ORIGINS=%s', async (_, i) => {
    const t = apps[i];
    for (const face of FACES) {
      for (const origin of [STRANGER, 'null', `${LISTED}.evil.example`, LISTED.replace('https', 'http')]) {
        for (const response of [await preflight(t, face, origin), await face.read(t, { origin, authorization: basic(t) })]) {
          const g = grant(response);
          const where = `${face.face} ${origin} → ${JSON.stringify(g)}`;
          expect(g.origin, where).not.toBe(origin);
          if (g.credentials !== null) expect(t.config.cors.origins, where).toContain(g.origin);
        }
      }
    }
  });
});

describe('a served gateway', () => {
  let place: Place;
  let served: Serving;
  beforeAll(async () => {
    place = await freshPlace();
    served = await startServe({ ...place.env, DEMO: 'false' });
  }, 60_000);
  afterAll(async () => {
    await served?.stop();
    await place?.cleanup();
  });

  it("answers the issue's preflight with * and no credentials by default, and lets a frontend read with its token", async () => {
    const pre = await fetch(`${served.url}/graphql`, {
      method: 'OPTIONS',
      headers: { origin: STRANGER, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(pre.status).toBe(204);
    expect(grant(pre)).toMatchObject({ origin: '*', credentials: null, methods: 'GET, POST' });
    const token = served.output().match(TOKEN)![0];
    const read = await fetch(`${served.url}/graphql`, {
      method: 'POST',
      headers: { origin: STRANGER, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ me { email } }' }),
    });
    expect(read.status).toBe(200);
    expect(grant(read)).toMatchObject({ origin: '*', credentials: null });
  });

  it('refuses to start on a malformed CORS_ORIGINS, naming the entry', async () => {
    const result = await runCli(['serve'], { ...place.env, CORS_ORIGINS: `${LISTED},https://app.example/` });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('CORS_ORIGINS entry "https://app.example/" is not an exact origin');
  });
});
