// Generated form-like writes on both REST faces: form and text bodies, in every spelling a browser may use, with
// junk X-Atlassian-Token values. The Confluence face answers 403 and the Umbraco face 415, in their own formats,
// and nothing changes.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORM_TYPES, RUNS, hostileJson, hostileString } from './arbitraries.js';
import { describeRequest, expectStillServing, fuzzWorld, sendHostile, type FuzzWorld } from './harness.js';

let w: FuzzWorld;

beforeAll(async () => {
  w = await fuzzWorld();
});

afterAll(async () => {
  console.info(`hostile forms: ${w?.stats.requests} requests, statuses ${JSON.stringify(w?.stats.statuses)}`);
  await w?.close();
});

const timeout = Math.max(120_000, RUNS * 600);

/** Every write each face serves, with real keys, so a write that got through would change something. */
function writes(): { method: string; path: string }[] {
  const [page, other] = w.keys.content;
  const confluence = [
    { method: 'POST', path: '/content' },
    { method: 'PUT', path: `/content/${page}` },
    { method: 'DELETE', path: `/content/${other}` },
    { method: 'POST', path: '/space' },
    { method: 'POST', path: '/space/_private' },
    { method: 'DELETE', path: '/space/FUZZ' },
    { method: 'PUT', path: `/relation/forged/from/content/${page}/to/content/${other}` },
    { method: 'DELETE', path: `/relation/related/from/content/${page}/to/content/${other}` },
    { method: 'POST', path: `/user/watch/content/${page}` },
    { method: 'DELETE', path: `/user/watch/space/FUZZ` },
    { method: 'PATCH', path: `/content/${page}` },
  ];
  return [
    ...confluence.flatMap((r) => [
      { ...r, path: `/rest/api${r.path}` },
      { ...r, path: `/wiki/rest/api${r.path}` },
    ]),
    { method: 'POST', path: '/umbraco/relation' },
    { method: 'DELETE', path: `/umbraco/relation/${w.keys.relationIds[1]}` },
    { method: 'PUT', path: `/umbraco/relation/${w.keys.relationIds[1]}` },
  ];
}

const formBody: fc.Arbitrary<string> = fc.oneof(
  fc.dictionary(hostileString, hostileString, { maxKeys: 4 }).map((fields) => new URLSearchParams(fields).toString()),
  hostileJson.map((value) => JSON.stringify(value) ?? ''),
  fc.constant(
    JSON.stringify({ type: 'page', title: 'forged', space: { key: 'FUZZ' }, key: 'FORGED', name: 'Forged', parentId: '1', childId: '2', relationTypeAlias: 'forged' }),
  ),
  hostileString,
  fc.constant(''),
);

const junkToken = fc.option(fc.constantFrom('', 'yes', 'check', 'no-check-please', 'no check', 'nocheck2', 'true'), { nil: undefined });

async function snapshot() {
  const { relation, content, space } = w.db.prisma;
  return {
    relations: await relation.count(),
    content: await content.count(),
    versions: await content.aggregate({ _sum: { version: true } }),
    spaces: await space.count(),
  };
}

describe('form-like writes on the REST faces', () => {
  it(
    `are refused in each face's format and change nothing (${RUNS} cases)`,
    async () => {
      const before = await snapshot();
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...writes()),
          fc.constantFrom(...FORM_TYPES),
          formBody,
          junkToken,
          fc.constantFrom(...w.tokens),
          async (route, type, body, xsrf, token) => {
            const headers: Record<string, string> = { 'content-type': type, origin: 'https://attacker.example' };
            if (token) headers.authorization = `Bearer ${token}`;
            if (xsrf !== undefined) headers['x-atlassian-token'] = xsrf;
            const label = describeRequest(route.method, route.path, headers, body);
            const response = await sendHostile(w, route.path, { method: route.method, headers, body }, label);
            const umbraco = route.path.startsWith('/umbraco');
            expect(response!.status, label).toBe(umbraco ? 415 : 403);
            if (!umbraco) expect((await response!.json()).message, label).toBe('XSRF check failed');
          },
        ),
        { numRuns: RUNS },
      );
      expect(await snapshot()).toEqual(before);
      await expectStillServing(w);
    },
    timeout,
  );
});
