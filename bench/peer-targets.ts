// The peers' side of each question: PostGraphile 5 (GraphQL over the peer schema) and the limit (bench/peers/limit.ts).
import type { Fixtures } from './fixtures.js';
import {
  NESTED_PAGES,
  POSTGRAPHILE_FROM_QUERY,
  POSTGRAPHILE_NESTED_QUERY,
  POSTGRAPHILE_ONE_QUERY,
  POSTGRAPHILE_PARENT_QUERY,
  POSTGRAPHILE_PUT,
  POSTGRAPHILE_QUERY,
  POSTGRAPHILE_REMOVE,
  POSTGRAPHILE_TO_QUERY,
} from './queries.js';
import { expectPage, graphqlData, PAGE, walkPaths, type Json, type Target, type Walk } from './targets.js';
import type { WritePair } from './writes.js';

/** Names the questions the peers answer, each with a key suffix (`postgraphileTo`, `limitTo` …). */
export type Question = 'fromCurrent' | 'fromAccount' | 'toContent' | 'umbracoParent' | 'one' | 'nested' | 'putExisting' | 'putNew' | 'delete';

const SUFFIX: Record<Question, string> = {
  fromCurrent: '',
  fromAccount: 'Account',
  toContent: 'To',
  umbracoParent: 'Parent',
  one: 'One',
  nested: 'Nested',
  putExisting: 'PutExisting',
  putNew: 'PutNew',
  delete: 'Delete',
};

const targetIds = (nodes: Json[]) => nodes.map((n) => String(n.target.rowId));

/** PostGraphile's answer to the nested walk (POSTGRAPHILE_NESTED_QUERY). */
const graphileWalk = (f: Json): Walk => ({
  id: f.target?.rowId,
  title: f.target?.title,
  spaceKey: f.target?.space?.key,
  creator: f.createdBy,
  likers: f.target?.likes?.nodes,
  liker: (l) => ({ accountId: l.source?.accountId, creator: l.createdBy, watches: l.source?.watches?.nodes }),
  watch: (w) => ({ id: w.target?.rowId, title: w.target?.title, spaceKey: w.target?.space?.key, creator: w.createdBy }),
});

/** The limit's answer to the nested walk (GET /nested). */
const limitWalk = (f: Json): Walk => ({
  id: f.target?.id,
  title: f.target?.title,
  spaceKey: f.target?.space?.key,
  creator: f.createdBy,
  likers: f.likes,
  liker: (l) => ({ accountId: l.source?.accountId, creator: l.createdBy, watches: l.watches }),
  watch: (w) => ({ id: w.target?.id, title: w.target?.title, spaceKey: w.target?.space?.key, creator: w.createdBy }),
});

interface PeerRequest {
  /** Everything but the viewer. */
  variables: Record<string, unknown>;
  check(data: Json): string[];
}

function graphileRead(question: Question, f: Fixtures): { query: string } & PeerRequest {
  switch (question) {
    case 'fromCurrent':
      return { query: POSTGRAPHILE_QUERY, variables: { first: PAGE }, check: (d) => targetIds(expectPage(d.allRelations?.nodes, 'PostGraphile')) };
    case 'fromAccount':
      return {
        query: POSTGRAPHILE_FROM_QUERY,
        variables: { account: f.otherAccountId, first: PAGE },
        check: (d) => targetIds(expectPage(d.allRelations?.nodes, 'PostGraphile')),
      };
    case 'toContent':
      return {
        query: POSTGRAPHILE_TO_QUERY,
        variables: { content: f.popularContentId, first: PAGE },
        check: (d) => expectPage<Json>(d.allRelations?.nodes, 'PostGraphile').map((n) => n.source.accountId),
      };
    case 'umbracoParent':
      return {
        query: POSTGRAPHILE_PARENT_QUERY,
        variables: { content: f.parentContentId, first: 10_000 },
        check: (d) => expectPage<Json>(d.allRelations?.nodes, 'PostGraphile', null).map((n) => String(n.targetContentId)),
      };
    case 'one':
      return {
        query: POSTGRAPHILE_ONE_QUERY,
        variables: { account: f.otherAccountId, content: f.oneContentId, first: 1 },
        check: (d) => targetIds(expectPage(d.allRelations?.nodes, 'PostGraphile', 1)),
      };
    case 'nested':
      return {
        query: POSTGRAPHILE_NESTED_QUERY,
        variables: { ...NESTED_PAGES },
        check: (d) => walkPaths(d.allRelations?.nodes, graphileWalk, 'PostGraphile nested'),
      };
    default:
      throw new Error(`${question} is not a read`);
  }
}

const LABELS: Record<Question, string> = {
  fromCurrent: "the user's own likes",
  fromAccount: 'likes by accountId',
  toContent: 'likers of a content',
  umbracoParent: 'relations from a content',
  one: 'one relation',
  nested: 'nested walk: favourites → likers → watches',
  putExisting: 'PUT of an existing relation',
  putNew: 'PUT of a new relation',
  delete: 'DELETE of an existing relation',
};

export function postgraphileTarget(base: string, viewer: number, question: Question, f: Fixtures, next?: () => WritePair): Target {
  const common = { key: `postgraphile${SUFFIX[question]}`, label: `PostGraphile 5, ${LABELS[question]}`, server: 'postgraphile' as const };
  const url = `${base}/graphql`;
  const headers = { 'content-type': 'application/json' };
  if (next) {
    const put = question !== 'delete';
    return {
      ...common,
      url,
      method: 'POST',
      headers,
      vary: () => {
        const pair = next();
        const variables = { viewer, name: pair.name, account: f.writerAccountId, content: pair.content };
        return { path: '/graphql', body: JSON.stringify({ query: put ? POSTGRAPHILE_PUT : POSTGRAPHILE_REMOVE, variables }) };
      },
      status: 200,
      check(json) {
        const data = graphqlData(json, common.label);
        if (!put) {
          if (data.removeRelation?.result !== true) throw new Error(`${common.label}: nothing was deleted`);
          return [];
        }
        const r = data.putRelation?.result;
        if (!r?.name || !r.createdBy?.accountId) throw new Error(`${common.label}: no relation in the answer`);
        return [r.name, String(r.target.rowId)];
      },
    };
  }
  const read = graphileRead(question, f);
  return {
    ...common,
    url,
    method: 'POST',
    headers,
    body: JSON.stringify({ query: read.query, variables: { viewer, ...read.variables } }),
    status: 200,
    check: (json) => read.check(graphqlData(json, common.label)),
  };
}

export function limitTarget(base: string, viewer: number, question: Question, f: Fixtures, next?: () => WritePair): Target {
  const common = { key: `limit${SUFFIX[question]}`, label: `the limit, ${LABELS[question]}`, server: 'limit' as const, headers: {} };
  const results = (json: unknown, size: number | null = PAGE) => expectPage<Json>((json as Json)?.results, common.label, size);
  if (next) {
    const put = question !== 'delete';
    return {
      ...common,
      url: base,
      method: put ? 'PUT' : 'DELETE',
      vary: () => {
        const { name, content } = next();
        return { path: `/relation?viewer=${viewer}&name=${encodeURIComponent(name)}&account=${f.writerAccountId}&content=${content}` };
      },
      status: put ? 200 : 204,
      check: (json) => (put ? [(json as Json).name, String((json as Json).target_id)] : []),
    };
  }
  const get = (path: string, check: (json: unknown) => string[]): Target => ({ ...common, url: `${base}${path}`, method: 'GET', status: 200, check });
  switch (question) {
    case 'fromCurrent':
      return get(`/?user=${viewer}&first=${PAGE}`, (json) => results(json).map((r) => String(r.target.id)));
    case 'fromAccount':
      return get(`/from?viewer=${viewer}&account=${f.otherAccountId}&first=${PAGE}`, (json) => results(json).map((r) => String(r.target.id)));
    case 'toContent':
      return get(`/to?viewer=${viewer}&content=${f.popularContentId}&first=${PAGE}`, (json) => results(json).map((r) => r.source.accountId));
    case 'umbracoParent':
      return get(`/parent?viewer=${viewer}&content=${f.parentContentId}`, (json) => results(json, null).map((r) => String(r.target_id)));
    case 'one':
      return get(`/one?viewer=${viewer}&name=likes&account=${f.otherAccountId}&content=${f.oneContentId}`, (json) => [String((json as Json).target.id)]);
    case 'nested': {
      const { favourites, likers, watches } = NESTED_PAGES;
      return get(`/nested?viewer=${viewer}&favourites=${favourites}&likers=${likers}&watches=${watches}`, (json) =>
        walkPaths((json as Json)?.results, limitWalk, 'the limit, nested'),
      );
    }
    default:
      throw new Error(`${question} needs its write pairs`);
  }
}
