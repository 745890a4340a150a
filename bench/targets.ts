// What each server is asked, and how its answer is checked: 25 relations with target content, space and creator.

export interface Target {
  key: string;
  label: string;
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /** The target content ids of the page, in order; throws when the answer is wrong. */
  check(json: unknown): string[];
}

export const PAGE = 25;

export const GRAPHQL_QUERY = `query Likes($first: Int!, $after: String) {
  relationsFrom(name: "likes", source: { type: USER, key: "current" }, targetType: CONTENT, first: $first, after: $after) {
    nodes {
      id
      target { ... on Content { id type status title version { number } space { id key name } } }
      relationData { createdDate createdBy { accountId username displayName email } }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const POSTGRAPHILE_QUERY = `query Likes($viewer: Int!, $first: Int!) {
  allRelations(condition: { sourceUserId: $viewer, name: "likes", visibleTo: $viewer }, orderBy: PRIMARY_KEY_ASC, first: $first) {
    nodes {
      rowId
      createdAt
      target: contentByTargetContentId { rowId type status title version space: spaceBySpaceId { rowId key name } }
      createdBy: userByCreatedById { accountId username displayName email }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

// Answers are checked field by field at run time.
type Json = Record<string, any>;

function expectPage<T>(items: unknown, what: string, size = PAGE): T[] {
  if (!Array.isArray(items)) throw new Error(`${what}: no list in the answer`);
  if (items.length !== size) throw new Error(`${what}: ${items.length} results, expected ${size}`);
  return items as T[];
}

function graphqlData(json: unknown, what: string): Json {
  const body = json as Json;
  if (body?.errors?.length) throw new Error(`${what}: ${JSON.stringify(body.errors).slice(0, 400)}`);
  if (!body?.data) throw new Error(`${what}: no data in ${JSON.stringify(body).slice(0, 300)}`);
  return body.data;
}

export function ourGraphql(base: string, token: string, { after, first = PAGE }: { after?: string; first?: number } = {}): Target {
  const what = after ? 'ours GraphQL (deep page)' : 'ours GraphQL';
  return {
    key: after ? 'graphqlDeep' : 'graphql',
    label: after ? '(a) ours, GraphQL, cursor after ~10,000' : '(a) ours, GraphQL relationsFrom',
    url: `${base}/graphql`,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: GRAPHQL_QUERY, variables: { first, after: after ?? null } }),
    check(json) {
      const nodes = expectPage<Json>(graphqlData(json, what).relationsFrom?.nodes, what, first);
      return nodes.map((n) => {
        if (!n.target?.space?.key || !n.relationData?.createdBy?.accountId) throw new Error(`${what}: a node lacks target.space or createdBy`);
        return String(n.target.id);
      });
    },
  };
}

export const REST_PATH = '/rest/api/relation/likes/from/user/current/to/content';

export function ourRest(base: string, email: string, token: string, { start = 0, size = PAGE }: { start?: number; size?: number } = {}): Target {
  const what = start ? `ours REST (start=${start})` : 'ours REST';
  const query = `expand=relationData,target.space&limit=${size}${start ? `&start=${start}` : ''}`;
  return {
    key: start ? 'restDeep' : 'rest',
    label: start ? `(b) ours, REST, start=${start}` : '(b) ours, Confluence REST',
    url: `${base}${REST_PATH}?${query}`,
    method: 'GET',
    headers: { authorization: `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}`, accept: 'application/json' },
    check(json) {
      const results = expectPage<Json>((json as Json)?.results, what, size);
      return results.map((r) => {
        if (!r.target?.space?.key || !r.relationData?.createdBy?.accountId) throw new Error(`${what}: a result lacks target.space or relationData.createdBy`);
        return String(r.target.id);
      });
    },
  };
}

export function postgraphile(base: string, viewer: number): Target {
  return {
    key: 'postgraphile',
    label: '(c) PostGraphile 5',
    url: `${base}/graphql`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: POSTGRAPHILE_QUERY, variables: { viewer, first: PAGE } }),
    check(json) {
      const nodes = expectPage<Json>(graphqlData(json, 'PostGraphile').allRelations?.nodes, 'PostGraphile');
      return nodes.map((n) => String(n.target.rowId));
    },
  };
}

export function limit(base: string, viewer: number): Target {
  return {
    key: 'limit',
    label: '(d) the limit: 1 SQL + node:http + pg',
    url: `${base}/?user=${viewer}&first=${PAGE}`,
    method: 'GET',
    headers: {},
    check(json) {
      return expectPage<Json>((json as Json)?.results, 'limit').map((r) => String(r.target.id));
    },
  };
}

/** Sends the target's request once and checks the answer; returns the page's target content ids. */
export async function verify(target: Target): Promise<string[]> {
  const res = await fetch(target.url, { method: target.method, headers: target.headers, body: target.body });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${target.label}: HTTP ${res.status}: ${text.slice(0, 400)}`);
  return target.check(JSON.parse(text));
}
