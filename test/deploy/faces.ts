// The happy paths of the three faces against a served gateway (a real port): what a deployment test drives
// through pgbouncer or replicas to show the gateway works there, not just starts.
import { expect } from 'vitest';
import { http } from '../reliability/support.js';
import { graphql } from '../support/processes.js';
import { CREATE_RELATION, DELETE_RELATION, RELATION, RELATIONS_FROM } from '../graphql/operations.js';

async function ok(answer: Promise<{ status: number; body: any }>) {
  const { status, body } = await answer;
  expect(status, JSON.stringify(body)).toBeLessThan(300);
  expect(body?.errors, JSON.stringify(body)).toBeUndefined();
  return body;
}

/** GraphQL with variables. */
async function gql(url: string, token: string, query: string, variables: Record<string, unknown>) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: await response.json() };
}

export interface World {
  token: string;
  accountId: string;
  pages: string[];
}

/** A user (made by `admin`) with a space of three pages. */
export async function makeWorld(url: string, admin: string, name: string): Promise<World> {
  const made = await ok(
    graphql(
      url,
      admin,
      `mutation { createUser(input: {email: "${name}@deploy.test", displayName: "${name}"}) { ... on CreateUserSuccess { token user { accountId } } } }`,
    ),
  );
  const { token, user } = made.data.createUser;
  const key = name.toUpperCase().replace(/[^A-Z0-9]/g, '');
  await ok(http(url, 'POST', '/rest/api/space', token, { key, name: `Space ${name}` }));
  const pages: string[] = [];
  for (const title of ['one', 'two', 'three']) pages.push((await ok(http(url, 'POST', '/rest/api/content', token, { type: 'page', title, space: { key } }))).id);
  return { token, accountId: user.accountId, pages };
}

/** Create, read, list and delete relations over GraphQL, Confluence REST and Umbraco; every answer checked. */
export async function driveFaces(url: string, w: World): Promise<void> {
  const [a, b, c] = w.pages;
  const me = { type: 'USER', key: 'current' };
  const page = (id: string) => ({ type: 'CONTENT', key: id });

  // GraphQL
  const created = await ok(gql(url, w.token, CREATE_RELATION, { input: { name: 'likes', source: me, target: page(a) } }));
  expect(created.data.createRelation.__typename).toBe('CreateRelationSuccess');
  const read = await ok(gql(url, w.token, RELATION, { name: 'likes', source: me, target: page(a) }));
  expect(read.data.relation.name).toBe('likes');
  const listed = await ok(gql(url, w.token, RELATIONS_FROM, { name: 'likes', source: me, targetType: 'CONTENT' }));
  expect(listed.data.relationsFrom.totalCount).toBe(1);
  const deleted = await ok(gql(url, w.token, DELETE_RELATION, { input: { name: 'likes', source: me, target: page(a) } }));
  expect(deleted.data.deleteRelation.deleted).toBe(true);
  const gone = await ok(gql(url, w.token, RELATION, { name: 'likes', source: me, target: page(a) }));
  expect(gone.data.relation).toBeNull();

  // Confluence REST
  const path = `/rest/api/relation/watch/from/user/current/to/content/${b}`;
  await ok(http(url, 'PUT', path, w.token));
  expect((await ok(http(url, 'GET', path, w.token))).name).toBe('watch');
  const list = await ok(http(url, 'GET', '/rest/api/relation/watch/from/user/current/to/content', w.token));
  expect(list.results.map((r: any) => r.target?.id ?? r.target?.content?.id ?? JSON.stringify(r))).toHaveLength(1);
  await ok(http(url, 'DELETE', path, w.token));
  expect((await http(url, 'GET', path, w.token)).status).toBe(404);

  // Umbraco
  const relation = await ok(http(url, 'POST', '/umbraco/relation', w.token, { parentId: Number(b), childId: Number(c), relationTypeAlias: 'related' }));
  const id = relation._id;
  expect(id).toBeTypeOf('number');
  expect((await ok(http(url, 'GET', `/umbraco/relation/${id}`, w.token)))._id).toBe(id);
  expect(JSON.stringify(await ok(http(url, 'GET', `/umbraco/relation/parent/${b}`, w.token)))).toContain(`"_id":${id}`);
  await ok(http(url, 'DELETE', `/umbraco/relation/${id}`, w.token));
  expect((await http(url, 'GET', `/umbraco/relation/${id}`, w.token)).status).toBe(404);
}

/** `total` GraphQL list reads, `parallel` at a time: how many failed (a non-200 answer or GraphQL errors). */
export async function hotReads(url: string, w: World, total: number, parallel = 8): Promise<number> {
  await ok(http(url, 'PUT', `/rest/api/relation/likes/from/user/current/to/content/${w.pages[0]}`, w.token));
  let failures = 0;
  let left = total;
  const worker = async () => {
    while (left-- > 0) {
      const { status, body } = await gql(url, w.token, RELATIONS_FROM, { name: 'likes', source: { type: 'USER', key: 'current' }, targetType: 'CONTENT' });
      if (status !== 200 || body.errors || body.data.relationsFrom.totalCount !== 1) failures++;
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return failures;
}
