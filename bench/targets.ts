// What each server is asked, and how its answer is checked. Our targets here; the peers' in peer-targets.ts.
import { GRAPHQL_FROM_QUERY, GRAPHQL_NESTED_QUERY, GRAPHQL_QUERY, GRAPHQL_TO_QUERY, NESTED_PAGES } from './queries.js';
import type { Fixtures } from './fixtures.js';
import type { WritePair } from './writes.js';

export type Server = 'ours' | 'postgraphile' | 'limit';

export interface Target {
  key: string;
  label: string;
  server: Server;
  /** The request's full URL; with `vary`, its origin is what counts. */
  url: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  headers: Record<string, string>;
  body?: string;
  /** Builds each request anew (a write's next pair): path with query, and body. */
  vary?: () => { path: string; body?: string };
  /** The status of a right answer. */
  status: number;
  /** What must be the same in every server's answer to the question; throws when the answer is wrong. */
  check(json: unknown): string[];
}

export const PAGE = 25;

// Answers are checked field by field at run time.
export type Json = Record<string, any>;

export function expectPage<T>(items: unknown, what: string, size: number | null = PAGE): T[] {
  if (!Array.isArray(items)) throw new Error(`${what}: no list in the answer`);
  if (size === null ? items.length === 0 : items.length !== size) throw new Error(`${what}: ${items.length} results, expected ${size ?? 'some'}`);
  return items as T[];
}

export function graphqlData(json: unknown, what: string): Json {
  const body = json as Json;
  if (body?.errors?.length) throw new Error(`${what}: ${JSON.stringify(body.errors).slice(0, 400)}`);
  if (!body?.data) throw new Error(`${what}: no data in ${JSON.stringify(body).slice(0, 300)}`);
  return body.data;
}

/** The request a target sends next, as fetch takes it. */
export function nextRequest(target: Target): { url: string; init: RequestInit } {
  const varied = target.vary?.();
  const url = varied ? new URL(varied.path, target.url).toString() : target.url;
  return { url, init: { method: target.method, headers: target.headers, body: varied ? varied.body : target.body } };
}

/** Sends the target's request once and checks the answer; returns what must agree across servers. */
export async function verify(target: Target): Promise<string[]> {
  const { url, init } = nextRequest(target);
  const res = await fetch(url, init);
  const text = await res.text();
  if (res.status !== target.status) throw new Error(`${target.label}: HTTP ${res.status} (expected ${target.status}): ${text.slice(0, 400)}`);
  return target.check(text === '' ? null : JSON.parse(text));
}

const bearer = (token: string) => ({ 'content-type': 'application/json', authorization: `Bearer ${token}` });
/** What confluence.js sends: Basic email:token. */
export const basic = (email: string, token: string) => ({
  authorization: `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}`,
  accept: 'application/json',
});

function fromNodes(nodes: Json[], what: string): string[] {
  return nodes.map((n) => {
    if (!n.target?.space?.key || !n.relationData?.createdBy?.accountId) throw new Error(`${what}: a node lacks target.space or createdBy`);
    return String(n.target.id);
  });
}

function fromResults(results: Json[], what: string): string[] {
  return results.map((r) => {
    if (!r.target?.space?.key || !r.relationData?.createdBy?.accountId) throw new Error(`${what}: a result lacks target.space or relationData.createdBy`);
    return String(r.target.id);
  });
}

/** A content end of the nested walk, and the relation's creator, as any server's answer is read. */
interface WalkContent {
  id: unknown;
  title?: unknown;
  spaceKey?: unknown;
  creator?: Json | null;
}

/** The nested walk, read out of a server's answer into one form: favourites → likers → watches. */
export interface Walk extends WalkContent {
  likers: unknown;
  /** Each liker: its accountId, the like's creator, and its watches. */
  liker(l: Json): { accountId?: unknown; creator?: Json | null; watches: unknown };
  watch(w: Json): WalkContent;
}

/**
 * Checks the nested walk (every page full, every end with its title, space and creator) and returns it as
 * paths, `favourite`, `favourite<liker`, `favourite<liker>watched`, in the answer's order: what every server
 * must agree on.
 */
export function walkPaths(favourites: unknown, read: (f: Json) => Walk, what: string): string[] {
  const content = (c: WalkContent, level: string) => {
    if (c.id == null || !c.title || !c.spaceKey || !c.creator?.accountId) throw new Error(`${what}: a ${level} lacks its title, space or creator`);
    return String(c.id);
  };
  const paths: string[] = [];
  for (const f of expectPage<Json>(favourites, `${what} (favourites)`, NESTED_PAGES.favourites)) {
    const walk = read(f);
    const fav = content(walk, 'favourite');
    paths.push(fav);
    for (const l of expectPage<Json>(walk.likers, `${what} (likers of ${fav})`, NESTED_PAGES.likers)) {
      const liker = walk.liker(l);
      if (!liker.accountId || !liker.creator?.accountId) throw new Error(`${what}: a liker of ${fav} lacks its accountId or creator`);
      const path = `${fav}<${String(liker.accountId)}`;
      paths.push(path);
      for (const w of expectPage<Json>(liker.watches, `${what} (watches of ${String(liker.accountId)})`, NESTED_PAGES.watches)) {
        paths.push(`${path}>${content(walk.watch(w), 'watched page')}`);
      }
    }
  }
  return paths;
}

/** Our answer to the nested walk (GRAPHQL_NESTED_QUERY). */
const ourWalk = (f: Json): Walk => ({
  id: f.target?.id,
  title: f.target?.title,
  spaceKey: f.target?.space?.key,
  creator: f.relationData?.createdBy,
  likers: f.target?.relationsTo?.nodes,
  liker: (l) => ({ accountId: l.source?.accountId, creator: l.relationData?.createdBy, watches: l.source?.relationsFrom?.nodes }),
  watch: (w) => ({ id: w.target?.id, title: w.target?.title, spaceKey: w.target?.space?.key, creator: w.relationData?.createdBy }),
});

/** The nested walk from the bench user (`me`): favourites → each target's likers → each liker's watches. */
export function ourNested(base: string, token: string): Target {
  return {
    key: 'graphqlNested',
    label: 'GraphQL nested walk: favourites → likers → watches',
    server: 'ours',
    url: `${base}/graphql`,
    method: 'POST',
    headers: bearer(token),
    body: JSON.stringify({ query: GRAPHQL_NESTED_QUERY, variables: NESTED_PAGES }),
    status: 200,
    check: (json) => walkPaths(graphqlData(json, 'graphqlNested').me?.relationsFrom?.nodes, ourWalk, 'graphqlNested'),
  };
}

export function ourGraphql(base: string, token: string, { after, first = PAGE }: { after?: string; first?: number } = {}): Target {
  const what = after ? 'ours GraphQL (deep page)' : 'ours GraphQL';
  return {
    key: after ? 'graphqlDeep' : 'graphql',
    label: after ? 'GraphQL relationsFrom current, cursor after ~10,000' : 'GraphQL relationsFrom, source current',
    server: 'ours',
    url: `${base}/graphql`,
    method: 'POST',
    headers: bearer(token),
    body: JSON.stringify({ query: GRAPHQL_QUERY, variables: { first, after: after ?? null } }),
    status: 200,
    check: (json) => fromNodes(expectPage<Json>(graphqlData(json, what).relationsFrom?.nodes, what, first), what),
  };
}

export const REST_PATH = '/rest/api/relation/likes/from/user/current/to/content';

export function ourRest(base: string, email: string, token: string, { start = 0, size = PAGE }: { start?: number; size?: number } = {}): Target {
  const what = start ? `ours REST (start=${start})` : 'ours REST';
  const query = `expand=relationData,target.space&limit=${size}${start ? `&start=${start}` : ''}`;
  return {
    key: start ? 'restDeep' : 'rest',
    label: start ? `REST list from user current, start=${start}` : 'REST /rest/api list from user current',
    server: 'ours',
    url: `${base}${REST_PATH}?${query}`,
    method: 'GET',
    headers: basic(email, token),
    status: 200,
    check: (json) => fromResults(expectPage<Json>((json as Json)?.results, what, size), what),
  };
}

/** Our targets for every read shape but the two above, keyed as in the report. */
export function ourReads(base: string, email: string, token: string, f: Fixtures, first = PAGE): Record<string, Target> {
  const cloud = `${base}/wiki/rest/api`;
  const get = (key: string, label: string, url: string, headers: Record<string, string>, check: (json: Json) => string[]): Target => ({
    key,
    label,
    server: 'ours',
    url,
    method: 'GET',
    headers,
    status: 200,
    check: (json) => check(json as Json),
  });
  return {
    graphqlAccount: {
      key: 'graphqlAccount',
      label: "GraphQL relationsFrom, another user's accountId",
      server: 'ours',
      url: `${base}/graphql`,
      method: 'POST',
      headers: bearer(token),
      body: JSON.stringify({ query: GRAPHQL_FROM_QUERY, variables: { source: f.otherAccountId, first } }),
      status: 200,
      check: (json) => fromNodes(expectPage<Json>(graphqlData(json, 'graphqlAccount').relationsFrom?.nodes, 'graphqlAccount', first), 'graphqlAccount'),
    },
    restAccount: get(
      'restAccount',
      "REST list from another user's accountId",
      `${cloud}/relation/likes/from/user/${f.otherAccountId}/to/content?expand=relationData,target.space&limit=${first}`,
      basic(email, token),
      (json) => fromResults(expectPage<Json>(json.results, 'restAccount', first), 'restAccount'),
    ),
    graphqlTo: {
      key: 'graphqlTo',
      label: 'GraphQL relationsTo a content (its likers)',
      server: 'ours',
      url: `${base}/graphql`,
      method: 'POST',
      headers: bearer(token),
      body: JSON.stringify({ query: GRAPHQL_TO_QUERY, variables: { content: String(f.popularContentId), first } }),
      status: 200,
      check: (json) =>
        expectPage<Json>(graphqlData(json, 'graphqlTo').relationsTo?.nodes, 'graphqlTo', first).map((n) => {
          if (!n.source?.accountId || !n.relationData?.createdBy?.accountId) throw new Error('graphqlTo: a node lacks source or createdBy');
          return n.source.accountId;
        }),
    },
    restTo: get(
      'restTo',
      'REST list to a content, from users',
      `${cloud}/relation/likes/to/content/${f.popularContentId}/from/user?expand=relationData,source&limit=${first}`,
      basic(email, token),
      (json) =>
        expectPage<Json>(json.results, 'restTo', first).map((r) => {
          if (!r.source?.accountId || !r.relationData?.createdBy?.accountId) throw new Error('restTo: a result lacks source or relationData.createdBy');
          return r.source.accountId;
        }),
    ),
    umbracoParent: get(
      'umbracoParent',
      'Umbraco GET /relation/parent/{id}',
      `${base}/umbraco/relation/parent/${f.parentContentId}`,
      // What @umbraco/headless-client sends.
      { 'api-key': token, 'umb-project-alias': 'bench', 'api-version': '2', accept: 'application/json+hal' },
      (json) => expectPage<Json>(json._embedded?.relations, 'umbracoParent', null).map((r) => String(r.childId)),
    ),
    restOne: get(
      'restOne',
      'REST GET of one relation',
      `${cloud}/relation/likes/from/user/${f.otherAccountId}/to/content/${f.oneContentId}?expand=relationData,target.space`,
      basic(email, token),
      (json) => fromResults([json], 'restOne'),
    ),
  };
}

/** The path of a write of the writer's relation to a content. */
const writePath = (f: Fixtures, pair: WritePair) => `/wiki/rest/api/relation/${pair.name}/from/user/${f.writerAccountId}/to/content/${pair.content}`;

/** A PUT or DELETE per request, each of the pair `next` gives. */
export function ourWrite(base: string, email: string, token: string, f: Fixtures, kind: 'putExisting' | 'putNew' | 'delete', next: () => WritePair): Target {
  const labels = { putExisting: 'REST PUT of an existing relation', putNew: 'REST PUT of a new relation', delete: 'REST DELETE of an existing relation' };
  return {
    key: kind,
    label: labels[kind],
    server: 'ours',
    url: base,
    method: kind === 'delete' ? 'DELETE' : 'PUT',
    headers: basic(email, token),
    vary: () => ({ path: writePath(f, next()) }),
    status: kind === 'delete' ? 204 : 200,
    check(json) {
      if (kind === 'delete') return [];
      const r = json as Json;
      const target = /\/content\/(\d+)/.exec(String(r?._expandable?.target ?? ''))?.[1];
      if (!r?.name || !r.relationData?.createdBy?.accountId || !target) throw new Error(`${kind}: the answer lacks name, relationData.createdBy or the target`);
      return [r.name, target];
    },
  };
}
