// Hundreds of concurrent writes of every kind on one database (PGlite: one connection, one transaction at a
// time): every request answers, none with a 5xx, and the database ends consistent.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestApp, type Account, type TestApp } from '../support/app.js';
import { LONG, prng, SEED, violations } from './support.js';

const WRITES = LONG ? 1500 : 300;
const SPACES = ['MIXA', 'MIXB', 'MIXC', 'MIXD'];
/** Deleted while the storm runs; the others survive. */
const DOOMED = ['MIXC', 'MIXD'];

let t: TestApp;
let editor: Account;
const pages: Record<string, string[]> = {};

beforeAll(async () => {
  t = await createTestApp();
  editor = await t.account('Editor');
  for (const key of SPACES) {
    await t.request('/rest/api/space', { method: 'POST', token: t.admin.token, json: { key, name: key } });
    await t.graphql(
      `mutation($i: AddSpaceMemberInput!) { addSpaceMember(input: $i) { __typename } }`,
      { i: { spaceKey: key, user: editor.user.accountId, level: 'EDIT' } },
      t.admin.token,
    );
    pages[key] = [];
    for (let i = 0; i < 5; i++) {
      const page = await t.request('/rest/api/content', { method: 'POST', token: t.admin.token, json: { space: { key }, title: `${key} ${i}`, type: 'page' } });
      pages[key].push(((await page.json()) as { id: string }).id);
    }
  }
});
afterAll(() => t?.close());

interface Outcome {
  what: string;
  status: number;
  /** GraphQL: the result's __typename or the first error's code. */
  result?: string;
}

const GRAPHQL_RESULT = (field: string, input: string) => `mutation($input: ${input}!) { ${field}(input: $input) { __typename ... on Error { message } } }`;

describe(`${WRITES} concurrent mixed writes`, () => {
  test('all answer without a 5xx, and no relation, content or version is left inconsistent', { timeout: 180_000 }, async () => {
    const random = prng(SEED);
    const all = Object.values(pages).flat();
    const anyPage = () => random.pick(all);
    const token = () => (random.next() < 0.5 ? t.admin.token : editor.token);

    const rest = async (what: string, method: string, path: string, json?: unknown, as = token()): Promise<Outcome> => {
      const response = await t.request(path, { method, token: as, json });
      await response.arrayBuffer();
      return { what, status: response.status };
    };
    const graphql = async (what: string, query: string, variables: Record<string, unknown>): Promise<Outcome> => {
      const { status, body } = await t.graphql(query, variables, token());
      const data = body.data ? (Object.values(body.data)[0] as { __typename: string } | null) : null;
      return { what, status, result: data?.__typename ?? body.errors?.[0]?.extensions?.code ?? 'NO RESULT' };
    };

    const makers: (() => Promise<Outcome>)[] = [
      () => rest('PUT relation', 'PUT', `/rest/api/relation/mixed/from/content/${anyPage()}/to/content/${anyPage()}`),
      () => rest('DELETE relation', 'DELETE', `/rest/api/relation/mixed/from/content/${anyPage()}/to/content/${anyPage()}`),
      () => rest('POST umbraco relation', 'POST', '/umbraco/relation', { parentId: anyPage(), childId: anyPage(), relationTypeAlias: 'mixed' }),
      () =>
        graphql('createRelation', GRAPHQL_RESULT('createRelation', 'RelationInput'), {
          input: { name: 'mixed', source: { type: 'USER', key: 'current' }, target: { type: 'CONTENT', key: anyPage() } },
        }),
      () => graphql('updateContent', GRAPHQL_RESULT('updateContent', 'UpdateContentInput'), { input: { id: anyPage(), title: `Title ${random.int(1e9)}` } }),
      async () => {
        // Confluence's optimistic lock: read the version, send the next one; a concurrent edit makes it a 409.
        const id = anyPage();
        const read = await t.request(`/rest/api/content/${id}?status=any`, { token: t.admin.token });
        if (read.status !== 200) return { what: 'GET content', status: read.status };
        const { version } = (await read.json()) as { version: { number: number } };
        return rest('PUT content', 'PUT', `/rest/api/content/${id}`, { title: `Edited ${random.int(1e9)}`, type: 'page', version: { number: version.number + 1 } });
      },
      () => rest('trash content', 'DELETE', `/rest/api/content/${anyPage()}`),
      () => rest('purge content', 'DELETE', `/rest/api/content/${anyPage()}?status=trashed`, undefined, t.admin.token),
      () => rest('POST content', 'POST', '/rest/api/content', { space: { key: random.pick(SPACES) }, title: `New ${random.int(1e9)}`, type: 'page' }),
      () =>
        graphql('addSpaceMember', GRAPHQL_RESULT('addSpaceMember', 'AddSpaceMemberInput'), {
          input: { spaceKey: random.pick(SPACES), user: editor.user.accountId, level: 'EDIT' },
        }),
    ];
    const writes = Array.from({ length: WRITES }, () => random.pick(makers));
    // Each doomed space is deleted twice, somewhere in the middle of the storm.
    for (const key of [...DOOMED, ...DOOMED]) {
      writes.splice(WRITES / 4 + random.int(WRITES / 2), 0, () => rest('DELETE space', 'DELETE', `/rest/api/space/${key}`, undefined, t.admin.token));
    }

    const outcomes = await Promise.all(writes.map((write) => write()));

    expect(outcomes).toHaveLength(writes.length);
    const failures = outcomes.filter((o) => o.status >= 500 || (o.result && !/^[A-Z][A-Za-z]+(Success|Error)$|^CONFLICT$/.test(o.result)));
    expect(failures, `seed ${SEED}`).toEqual([]);
    // Two deletes of one space that overlap may both succeed; one after the other, the second is a 404.
    const spaceDeletes = outcomes.filter((o) => o.what === 'DELETE space').map((o) => o.status);
    expect(spaceDeletes.filter((s) => s === 202).length).toBeGreaterThanOrEqual(DOOMED.length);
    expect(spaceDeletes.every((s) => s === 202 || s === 404)).toBe(true);

    expect(await violations(t.db.prisma)).toEqual({});
    const left = await t.db.prisma.space.findMany({ where: { key: { in: SPACES } }, select: { key: true }, orderBy: { key: 'asc' } });
    expect(left.map((s) => s.key)).toEqual(SPACES.filter((k) => !DOOMED.includes(k)));
    const doomedContent = pages.MIXC.concat(pages.MIXD).map(Number);
    const orphans = await t.db.prisma.relation.count({ where: { OR: [{ sourceContentId: { in: doomedContent } }, { targetContentId: { in: doomedContent } }] } });
    expect(orphans).toBe(0);
  });
});
