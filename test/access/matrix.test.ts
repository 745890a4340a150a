// The access matrix: every operation of the three faces × every role, each cell checked against the contract
// (DESIGN.md "Access" and "Settled details"). PRIV is a private space of the space admin, where the editor
// has EDIT and the viewer VIEW; PUB is a public space with the same members. `a → b` are pages in PRIV related
// by `links`; `p` is a page in PUB. The stranger is authenticated but no member: PRIV does not exist for them
// (404, lists leave it out: HIDDEN), PUB gives them VIEW. Anonymous callers always get 401.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { issueToken } from '../../src/services/tokens.js';
import { addSpaceMember } from '../../src/services/spaces.js';
import { createWorld, graphqlOutcome, HIDDEN, restOutcome, ROLES, type Outcome, type Role, type World } from './world.js';

const H = HIDDEN;
type Cells = [siteAdmin: Outcome, spaceAdmin: Outcome, editor: Outcome, viewer: Outcome, stranger: Outcome, anonymous: Outcome];

// prettier-ignore
const SPEC: [operation: string, cells: Cells][] = [
  //                                                                 site   space  editor viewer strngr anon
  //                                                                 admin  admin
  ['GraphQL query me',                                              [200,   200,   200,   200,   200,   401]],
  ['GraphQL query user (another user)',                             [200,   200,   200,   200,   200,   401]],
  ['GraphQL query space PRIV',                                      [200,   200,   200,   200,   404,   401]],
  ['GraphQL query space PUB',                                       [200,   200,   200,   200,   200,   401]],
  ['GraphQL query content a',                                       [200,   200,   200,   200,   404,   401]],
  ['GraphQL query relation a → b',                                  [200,   200,   200,   200,   404,   401]],
  ['GraphQL query relationsFrom a',                                 [200,   200,   200,   200,   404,   401]],
  ['GraphQL query relationsTo b',                                   [200,   200,   200,   200,   404,   401]],
  ['GraphQL query relationsFrom space admin (user) to content',     [200,   200,   200,   200,   H,     401]],
  ['GraphQL query node (relation a → b)',                           [200,   200,   200,   200,   404,   401]],
  ['GraphQL query apiTokens',                                       [200,   200,   200,   200,   200,   401]],
  ["GraphQL query the space admin's favourite a",                   [200,   200,   404,   404,   404,   401]],
  ["GraphQL query relationsFrom the space admin's favourites",       [200,   200,   H,     H,     H,     401]],
  ["GraphQL query relationsTo a: the space admin's favourite",       [200,   200,   H,     H,     404,   401]],
  ['GraphQL createRelation a → b',                                  [200,   200,   200,   200,   404,   401]],
  ['GraphQL createRelation p → p (public space)',                   [200,   200,   200,   200,   200,   401]],
  ['GraphQL deleteRelation a → b',                                  [200,   200,   200,   200,   404,   401]],
  ['GraphQL createRelation favourite self → a',                     [200,   200,   200,   200,   404,   401]],
  ['GraphQL createRelation favourite space admin → a',              [200,   200,   403,   403,   404,   401]],
  ["GraphQL deleteRelation the editor's favourite → a",             [200,   200,   200,   403,   404,   401]],
  ['GraphQL createRelation endorses space admin → p (public space)',   [200,   200,   403,   403,   403,   401]],
  ['GraphQL createRelation endorses space admin → a',                  [200,   200,   403,   403,   404,   401]],
  ['GraphQL deleteRelation endorses space admin → a',                  [200,   200,   403,   403,   404,   401]],
  ['GraphQL createRelation Favourite (a lookalike) self → p',       [400,   400,   400,   400,   400,   401]],
  ['GraphQL createUser',                                            [200,   403,   403,   403,   403,   401]],
  ['GraphQL createSpace',                                           [200,   200,   200,   200,   200,   401]],
  ['GraphQL addSpaceMember PRIV',                                   [200,   200,   403,   403,   404,   401]],
  ['GraphQL addSpaceMember PUB',                                    [200,   200,   403,   403,   403,   401]],
  ['GraphQL createContent PRIV',                                    [200,   200,   200,   403,   404,   401]],
  ['GraphQL createContent PUB',                                     [200,   200,   200,   403,   403,   401]],
  ['GraphQL updateContent a',                                       [200,   200,   200,   403,   404,   401]],
  ['GraphQL deleteContent (trash)',                                 [200,   200,   200,   403,   404,   401]],
  ['GraphQL deleteContent (purge)',                                 [200,   200,   403,   403,   404,   401]],
  ['GraphQL deleteSpace private',                                   [200,   200,   403,   403,   404,   401]],
  ['GraphQL deleteSpace public',                                    [200,   200,   403,   403,   403,   401]],
  ['GraphQL createApiToken',                                        [200,   200,   200,   200,   200,   401]],
  ['GraphQL revokeApiToken (own)',                                  [200,   200,   200,   200,   200,   401]],
  ["GraphQL revokeApiToken (another user's)",                       [200,   404,   404,   404,   404,   401]],

  ['GET    /relation/links/from/content/a/to/content',              [200,   200,   200,   200,   404,   401]],
  ['GET    /relation/links/to/content/b/from/content',              [200,   200,   200,   200,   404,   401]],
  ['GET    /relation/likes/from/user/{space admin}/to/content',     [200,   200,   200,   200,   H,     401]],
  ['GET    /relation/links/from/content/a/to/content/b',            [200,   200,   200,   200,   404,   401]],
  ['PUT    /relation/{new}/from/content/a/to/content/b',            [200,   200,   200,   200,   404,   401]],
  ['DELETE /relation/{name}/from/content/a/to/content/b',           [204,   204,   204,   204,   404,   401]],
  ['GET    /relation/favourite/from/user/{space admin}/to/content/a', [200, 200,   404,   404,   404,   401]],
  ['GET    /relation/favourite/from/user/{space admin}/to/content',  [200,   200,   H,     H,     H,     401]],
  ["GET    /relation/favourite/to/content/a/from/user (space admin's)", [200, 200,   H,     H,     404,   401]],
  ["DELETE /relation/favourite/from/user/{editor}/to/content/a",    [204,   204,   204,   403,   404,   401]],
  ['PUT    /relation/endorses/from/user/{space admin}/to/content/p',   [200,   200,   403,   403,   403,   401]],
  ['DELETE /relation/endorses/from/user/{space admin}/to/content/p',   [204,   204,   403,   403,   403,   401]],
  ['PUT    /relation/Favourite/from/user/current/to/content/p',     [400,   400,   400,   400,   400,   401]],
  ['POST   /content in PUB as a form (text/plain)',                 [403,   403,   403,   403,   403,   403]],
  ['POST   /user/watch/content/p as a form (urlencoded)',           [403,   403,   403,   403,   403,   403]],
  ['GET    /space?spaceKey=PRIV',                                   [200,   200,   200,   200,   H,     401]],
  ['GET    /space?favourite=true',                                  [200,   200,   200,   200,   200,   401]],
  ['POST   /space',                                                 [200,   200,   200,   200,   200,   401]],
  ['POST   /space/_private',                                        [200,   200,   200,   200,   200,   401]],
  ['GET    /space/PRIV',                                            [200,   200,   200,   200,   404,   401]],
  ['GET    /space/PUB',                                             [200,   200,   200,   200,   200,   401]],
  ['DELETE /space/{private}',                                       [202,   202,   403,   403,   404,   401]],
  ['DELETE /space/{public}',                                        [202,   202,   403,   403,   403,   401]],
  ['GET    /content?limit=200',                                     [200,   200,   200,   200,   H,     401]],
  ['GET    /content?spaceKey=PRIV',                                 [200,   200,   200,   200,   H,     401]],
  ['POST   /content in PRIV',                                       [200,   200,   200,   403,   404,   401]],
  ['POST   /content in PUB',                                        [200,   200,   200,   403,   403,   401]],
  ['GET    /content/a',                                             [200,   200,   200,   200,   404,   401]],
  ['GET    /content/p',                                             [200,   200,   200,   200,   200,   401]],
  ['GET    /rest/api/content/a (Server path)',                      [200,   200,   200,   200,   404,   401]],
  ['PUT    /content/a',                                             [200,   200,   200,   403,   404,   401]],
  ['DELETE /content/{id} (trash)',                                  [200,   200,   200,   403,   404,   401]],
  ['DELETE /content/{id}?status=trashed (purge)',                   [204,   204,   403,   403,   404,   401]],
  ['GET    /user?accountId={space admin}',                          [200,   200,   200,   200,   200,   401]],
  ['GET    /user/current',                                          [200,   200,   200,   200,   200,   401]],
  ['GET    /user/watch/content/a',                                  [200,   200,   200,   200,   404,   401]],
  ['POST   /user/watch/content/a',                                  [204,   204,   204,   204,   404,   401]],
  ['DELETE /user/watch/content/a',                                  [204,   204,   204,   204,   404,   401]],
  ['GET    /user/watch/content/a?accountId={other}',                 [200,   200,   200,   200,   404,   401]],
  ['POST   /user/watch/content/a?accountId={other}',                [204,   403,   403,   403,   404,   401]],
  ['DELETE /user/watch/content/a?accountId={other}',                [204,   403,   403,   403,   404,   401]],
  ['GET    /user/watch/space/PRIV',                                 [200,   200,   200,   200,   404,   401]],
  ['POST   /user/watch/space/PRIV',                                 [204,   204,   204,   204,   404,   401]],
  ['DELETE /user/watch/space/PRIV',                                 [204,   204,   204,   204,   404,   401]],
  ['POST   /user/watch/space/PUB?accountId={other}',                [204,   403,   403,   403,   403,   401]],
  ["GET    /longtask/{the space admin's task}",                     [200,   200,   404,   404,   404,   401]],

  ['GET    /umbraco/relation/{id of a → b}',                        [200,   200,   200,   200,   404,   401]],
  ['GET    /umbraco/relation/links',                                [200,   200,   200,   200,   H,     401]],
  ['GET    /umbraco/relation/parent/a',                             [200,   200,   200,   200,   404,   401]],
  ['GET    /umbraco/relation/child/b',                              [200,   200,   200,   200,   404,   401]],
  // Seed 003 answers a body naming content that cannot be found with 422 ValidationFailed, not 404.
  ['POST   /umbraco/relation a → b',                                [201,   201,   201,   201,   422,   401]],
  ['POST   /umbraco/relation a → b as a form (text/plain)',         [415,   415,   415,   415,   415,   415]],
  ['DELETE /umbraco/relation/{id}',                                 [200,   200,   200,   200,   404,   401]],
  ['GET    /umbraco/relation/type/links',                           [200,   200,   200,   200,   404,   401]],
  ['GET    /umbraco/relation/type',                                 [200,   200,   200,   200,   H,     401]],
];

type Op = (w: World, role: Role) => Promise<Outcome>;

const WIKI = '/wiki/rest/api';
const M = (field: string, input: string) => `mutation($input: ${input}!) { ${field}(input: $input) { __typename } }`;
const content = (key: string) => ({ type: 'CONTENT', key });
const userRef = (key: string) => ({ type: 'USER', key });

async function rest(w: World, role: Role, method: string, path: string, json?: unknown, sees?: (body: any) => boolean): Promise<Outcome> {
  return restOutcome(await w.t.request(path.startsWith('/') && !path.startsWith('/umbraco') && !path.startsWith('/rest') ? WIKI + path : path, { method, token: w.token(role), json }), sees);
}
async function gql(w: World, role: Role, query: string, variables: Record<string, unknown> = {}, sees?: (data: any) => boolean): Promise<Outcome> {
  const { status, body } = await w.t.graphql(query, variables, w.token(role));
  return graphqlOutcome(status, body, sees);
}
/** A write as a plain HTML form on another site would send it, with the browser's cached credentials. */
async function form(w: World, role: Role, method: string, path: string, type: string, body: string): Promise<Outcome> {
  const token = w.token(role);
  const headers: Record<string, string> = { 'content-type': type, origin: 'https://elsewhere.example', ...(token ? { authorization: `Bearer ${token}` } : {}) };
  return restOutcome(await w.t.request(path, { method, headers, body }));
}
const accountId = (w: World, role: Exclude<Role, 'anonymous'> | 'other') => w.users[role].user.accountId;

const OPS: Record<string, Op> = {
  'GraphQL query me': (w, r) => gql(w, r, '{ me { accountId } }'),
  'GraphQL query user (another user)': (w, r) => gql(w, r, 'query($k: String!) { user(key: $k) { accountId } }', { k: accountId(w, 'other') }),
  'GraphQL query space PRIV': (w, r) => gql(w, r, 'query($k: String!) { space(key: $k) { key } }', { k: w.priv }),
  'GraphQL query space PUB': (w, r) => gql(w, r, 'query($k: String!) { space(key: $k) { key } }', { k: w.pub }),
  'GraphQL query content a': (w, r) => gql(w, r, 'query($id: ID!) { content(id: $id) { id } }', { id: w.a }),
  'GraphQL query relation a → b': (w, r) =>
    gql(w, r, 'query($s: EntityRef!, $t: EntityRef!) { relation(name: "links", source: $s, target: $t) { id } }', { s: content(w.a), t: content(w.b) }),
  'GraphQL query relationsFrom a': (w, r) =>
    gql(w, r, 'query($s: EntityRef!) { relationsFrom(name: "links", source: $s, targetType: CONTENT) { totalCount } }', { s: content(w.a) }),
  'GraphQL query relationsTo b': (w, r) =>
    gql(w, r, 'query($t: EntityRef!) { relationsTo(name: "links", target: $t, sourceType: CONTENT) { totalCount } }', { t: content(w.b) }),
  'GraphQL query relationsFrom space admin (user) to content': (w, r) =>
    gql(w, r, 'query($s: EntityRef!) { relationsFrom(name: "likes", source: $s, targetType: CONTENT) { totalCount nodes { id } } }', { s: userRef(accountId(w, 'spaceAdmin')) }, (d) => d.relationsFrom.totalCount > 0 && d.relationsFrom.nodes.length > 0),
  'GraphQL query node (relation a → b)': (w, r) => gql(w, r, 'query($id: ID!) { node(id: $id) { id } }', { id: Buffer.from(`Relation:${w.linkId}`).toString('base64') }),
  'GraphQL query apiTokens': (w, r) => gql(w, r, '{ apiTokens { id } }'),
  "GraphQL query the space admin's favourite a": (w, r) =>
    gql(w, r, 'query($s: EntityRef!, $t: EntityRef!) { relation(name: "favourite", source: $s, target: $t) { id } }', { s: userRef(accountId(w, 'spaceAdmin')), t: content(w.a) }),
  "GraphQL query relationsFrom the space admin's favourites": (w, r) =>
    gql(w, r, 'query($s: EntityRef!) { relationsFrom(name: "favourite", source: $s, targetType: CONTENT) { totalCount nodes { id } } }', { s: userRef(accountId(w, 'spaceAdmin')) }, (d) => d.relationsFrom.totalCount > 0 && d.relationsFrom.nodes.length > 0),
  "GraphQL query relationsTo a: the space admin's favourite": (w, r) =>
    gql(w, r, 'query($t: EntityRef!) { relationsTo(name: "favourite", target: $t, sourceType: USER, first: 200) { nodes { source { ... on User { accountId } } } } }', { t: content(w.a) }, (d) =>
      d.relationsTo.nodes.some((n: { source: { accountId: string } }) => n.source.accountId === accountId(w, 'spaceAdmin'))),
  'GraphQL createRelation a → b': (w, r) => gql(w, r, M('createRelation', 'RelationInput'), { input: { name: w.unique('new'), source: content(w.a), target: content(w.b) } }),
  'GraphQL createRelation p → p (public space)': (w, r) => gql(w, r, M('createRelation', 'RelationInput'), { input: { name: w.unique('new'), source: content(w.p), target: content(w.p) } }),
  'GraphQL deleteRelation a → b': async (w, r) => {
    const name = w.unique('gone');
    await w.relate(name, content(w.a) as never, content(w.b) as never);
    return gql(w, r, M('deleteRelation', 'RelationInput'), { input: { name, source: content(w.a), target: content(w.b) } });
  },
  'GraphQL createRelation favourite self → a': (w, r) => gql(w, r, M('createRelation', 'RelationInput'), { input: { name: 'favourite', source: userRef('current'), target: content(w.a) } }),
  'GraphQL createRelation favourite space admin → a': (w, r) =>
    gql(w, r, M('createRelation', 'RelationInput'), { input: { name: 'favourite', source: userRef(accountId(w, 'spaceAdmin')), target: content(w.a) } }),
  "GraphQL deleteRelation the editor's favourite → a": async (w, r) => {
    await w.relate('favourite', { type: 'USER', key: accountId(w, 'editor') }, { type: 'CONTENT', key: w.a }, w.users.editor.user);
    return gql(w, r, M('deleteRelation', 'RelationInput'), { input: { name: 'favourite', source: userRef(accountId(w, 'editor')), target: content(w.a) } });
  },
  'GraphQL createRelation endorses space admin → p (public space)': (w, r) =>
    gql(w, r, M('createRelation', 'RelationInput'), { input: { name: 'endorses', source: userRef(accountId(w, 'spaceAdmin')), target: content(w.p) } }),
  'GraphQL createRelation endorses space admin → a': (w, r) =>
    gql(w, r, M('createRelation', 'RelationInput'), { input: { name: 'endorses', source: userRef(accountId(w, 'spaceAdmin')), target: content(w.a) } }),
  'GraphQL deleteRelation endorses space admin → a': async (w, r) => {
    await w.relate('endorses', { type: 'USER', key: accountId(w, 'spaceAdmin') }, { type: 'CONTENT', key: w.a });
    return gql(w, r, M('deleteRelation', 'RelationInput'), { input: { name: 'endorses', source: userRef(accountId(w, 'spaceAdmin')), target: content(w.a) } });
  },
  'GraphQL createRelation Favourite (a lookalike) self → p': (w, r) => gql(w, r, M('createRelation', 'RelationInput'), { input: { name: 'Favourite', source: userRef('current'), target: content(w.p) } }),
  'GraphQL createUser': (w, r) => gql(w, r, M('createUser', 'CreateUserInput'), { input: { email: `${w.unique('new')}@example.com`, displayName: 'New' } }),
  'GraphQL createSpace': (w, r) => gql(w, r, M('createSpace', 'CreateSpaceInput'), { input: { key: w.unique('NEW'), name: 'New', public: false } }),
  'GraphQL addSpaceMember PRIV': (w, r) => gql(w, r, M('addSpaceMember', 'AddSpaceMemberInput'), { input: { spaceKey: w.priv, user: accountId(w, 'other'), level: 'VIEW' } }),
  'GraphQL addSpaceMember PUB': (w, r) => gql(w, r, M('addSpaceMember', 'AddSpaceMemberInput'), { input: { spaceKey: w.pub, user: accountId(w, 'other'), level: 'VIEW' } }),
  'GraphQL createContent PRIV': (w, r) => gql(w, r, M('createContent', 'CreateContentInput'), { input: { spaceKey: w.priv, title: 'New' } }),
  'GraphQL createContent PUB': (w, r) => gql(w, r, M('createContent', 'CreateContentInput'), { input: { spaceKey: w.pub, title: 'New' } }),
  'GraphQL updateContent a': (w, r) => gql(w, r, M('updateContent', 'UpdateContentInput'), { input: { id: w.a, title: w.unique('Title ') } }),
  'GraphQL deleteContent (trash)': async (w, r) => gql(w, r, M('deleteContent', 'DeleteContentInput'), { input: { id: await w.freshPage() } }),
  'GraphQL deleteContent (purge)': async (w, r) => gql(w, r, M('deleteContent', 'DeleteContentInput'), { input: { id: await w.freshPage(w.priv, 'trashed'), purge: true } }),
  'GraphQL deleteSpace private': async (w, r) => gql(w, r, M('deleteSpace', 'DeleteSpaceInput'), { input: { key: await w.freshSpace(false) } }),
  'GraphQL deleteSpace public': async (w, r) => gql(w, r, M('deleteSpace', 'DeleteSpaceInput'), { input: { key: await w.freshSpace(true) } }),
  'GraphQL createApiToken': (w, r) => gql(w, r, 'mutation { createApiToken(input: { name: "matrix" }) { __typename } }'),
  'GraphQL revokeApiToken (own)': async (w, r) => {
    const owner = w.user(r) ?? w.users.other.user;
    const { record } = await issueToken(w.t.db.prisma, owner.id, 'to revoke');
    return gql(w, r, M('revokeApiToken', 'RevokeApiTokenInput'), { input: { id: record.id } });
  },
  "GraphQL revokeApiToken (another user's)": async (w, r) => {
    const { record } = await issueToken(w.t.db.prisma, w.users.other.user.id, 'to revoke');
    return gql(w, r, M('revokeApiToken', 'RevokeApiTokenInput'), { input: { id: record.id } });
  },

  'GET    /relation/links/from/content/a/to/content': (w, r) => rest(w, r, 'GET', `/relation/links/from/content/${w.a}/to/content`),
  'GET    /relation/links/to/content/b/from/content': (w, r) => rest(w, r, 'GET', `/relation/links/to/content/${w.b}/from/content`),
  'GET    /relation/likes/from/user/{space admin}/to/content': (w, r) =>
    rest(w, r, 'GET', `/relation/likes/from/user/${accountId(w, 'spaceAdmin')}/to/content`, undefined, (b) => b.size > 0),
  'GET    /relation/links/from/content/a/to/content/b': (w, r) => rest(w, r, 'GET', `/relation/links/from/content/${w.a}/to/content/${w.b}`),
  'PUT    /relation/{new}/from/content/a/to/content/b': (w, r) => rest(w, r, 'PUT', `/relation/${w.unique('new')}/from/content/${w.a}/to/content/${w.b}`),
  'DELETE /relation/{name}/from/content/a/to/content/b': async (w, r) => {
    const name = w.unique('gone');
    await w.relate(name, { type: 'CONTENT', key: w.a }, { type: 'CONTENT', key: w.b });
    return rest(w, r, 'DELETE', `/relation/${name}/from/content/${w.a}/to/content/${w.b}`);
  },
  'GET    /relation/favourite/from/user/{space admin}/to/content/a': (w, r) => rest(w, r, 'GET', `/relation/favourite/from/user/${accountId(w, 'spaceAdmin')}/to/content/${w.a}`),
  'GET    /relation/favourite/from/user/{space admin}/to/content': (w, r) =>
    rest(w, r, 'GET', `/relation/favourite/from/user/${accountId(w, 'spaceAdmin')}/to/content`, undefined, (b) => b.size > 0),
  "GET    /relation/favourite/to/content/a/from/user (space admin's)": (w, r) =>
    rest(w, r, 'GET', `/relation/favourite/to/content/${w.a}/from/user?limit=200&expand=source`, undefined, (b) =>
      b.results.some((x: { source: { accountId: string } }) => x.source.accountId === accountId(w, 'spaceAdmin'))),
  'DELETE /relation/favourite/from/user/{editor}/to/content/a': async (w, r) => {
    await w.relate('favourite', { type: 'USER', key: accountId(w, 'editor') }, { type: 'CONTENT', key: w.a }, w.users.editor.user);
    return rest(w, r, 'DELETE', `/relation/favourite/from/user/${accountId(w, 'editor')}/to/content/${w.a}`);
  },
  'PUT    /relation/endorses/from/user/{space admin}/to/content/p': (w, r) => rest(w, r, 'PUT', `/relation/endorses/from/user/${accountId(w, 'spaceAdmin')}/to/content/${w.p}`),
  'DELETE /relation/endorses/from/user/{space admin}/to/content/p': async (w, r) => {
    await w.relate('endorses', { type: 'USER', key: accountId(w, 'spaceAdmin') }, { type: 'CONTENT', key: w.p });
    return rest(w, r, 'DELETE', `/relation/endorses/from/user/${accountId(w, 'spaceAdmin')}/to/content/${w.p}`);
  },
  'PUT    /relation/Favourite/from/user/current/to/content/p': (w, r) => rest(w, r, 'PUT', `/relation/Favourite/from/user/current/to/content/${w.p}`),
  'POST   /content in PUB as a form (text/plain)': (w, r) =>
    form(w, r, 'POST', `${WIKI}/content`, 'text/plain', JSON.stringify({ space: { key: w.pub }, title: w.unique('Forged '), type: 'page' })),
  'POST   /user/watch/content/p as a form (urlencoded)': (w, r) => form(w, r, 'POST', `${WIKI}/user/watch/content/${w.p}`, 'application/x-www-form-urlencoded', ''),
  'GET    /space?spaceKey=PRIV': (w, r) => rest(w, r, 'GET', `/space?spaceKey=${w.priv}`, undefined, (b) => b.results.some((s: { key: string }) => s.key === w.priv)),
  'GET    /space?favourite=true': (w, r) => rest(w, r, 'GET', '/space?favourite=true'),
  'POST   /space': (w, r) => rest(w, r, 'POST', '/space', { key: w.unique('NEW'), name: 'New' }),
  'POST   /space/_private': (w, r) => rest(w, r, 'POST', '/space/_private', { key: w.unique('NEW'), name: 'New' }),
  'GET    /space/PRIV': (w, r) => rest(w, r, 'GET', `/space/${w.priv}`),
  'GET    /space/PUB': (w, r) => rest(w, r, 'GET', `/space/${w.pub}`),
  'DELETE /space/{private}': async (w, r) => rest(w, r, 'DELETE', `/space/${await w.freshSpace(false)}`),
  'DELETE /space/{public}': async (w, r) => rest(w, r, 'DELETE', `/space/${await w.freshSpace(true)}`),
  'GET    /content?limit=200': (w, r) => rest(w, r, 'GET', '/content?limit=200', undefined, (b) => b.results.some((c: { id: string }) => c.id === w.a)),
  'GET    /content?spaceKey=PRIV': (w, r) => rest(w, r, 'GET', `/content?spaceKey=${w.priv}`, undefined, (b) => b.results.length > 0),
  'POST   /content in PRIV': (w, r) => rest(w, r, 'POST', '/content', { space: { key: w.priv }, title: w.unique('New '), type: 'page' }),
  'POST   /content in PUB': (w, r) => rest(w, r, 'POST', '/content', { space: { key: w.pub }, title: w.unique('New '), type: 'page' }),
  'GET    /content/a': (w, r) => rest(w, r, 'GET', `/content/${w.a}`),
  'GET    /content/p': (w, r) => rest(w, r, 'GET', `/content/${w.p}`),
  'GET    /rest/api/content/a (Server path)': (w, r) => rest(w, r, 'GET', `/rest/api/content/${w.a}`),
  'PUT    /content/a': async (w, r) => {
    const latest = await w.t.db.prisma.content.findUniqueOrThrow({ where: { id: Number(w.a) } });
    return rest(w, r, 'PUT', `/content/${w.a}`, { title: w.unique('Title '), type: 'page', version: { number: latest.version + 1 } });
  },
  'DELETE /content/{id} (trash)': async (w, r) => rest(w, r, 'DELETE', `/content/${await w.freshPage()}`),
  'DELETE /content/{id}?status=trashed (purge)': async (w, r) => rest(w, r, 'DELETE', `/content/${await w.freshPage(w.priv, 'trashed')}?status=trashed`),
  'GET    /user?accountId={space admin}': (w, r) => rest(w, r, 'GET', `/user?accountId=${accountId(w, 'spaceAdmin')}`),
  'GET    /user/current': (w, r) => rest(w, r, 'GET', '/user/current'),
  'GET    /user/watch/content/a': (w, r) => rest(w, r, 'GET', `/user/watch/content/${w.a}`),
  'POST   /user/watch/content/a': (w, r) => rest(w, r, 'POST', `/user/watch/content/${w.a}`),
  'DELETE /user/watch/content/a': (w, r) => rest(w, r, 'DELETE', `/user/watch/content/${w.a}`),
  'GET    /user/watch/content/a?accountId={other}': (w, r) => rest(w, r, 'GET', `/user/watch/content/${w.a}?accountId=${accountId(w, 'other')}`),
  'POST   /user/watch/content/a?accountId={other}': (w, r) => rest(w, r, 'POST', `/user/watch/content/${w.a}?accountId=${accountId(w, 'other')}`),
  'DELETE /user/watch/content/a?accountId={other}': (w, r) => rest(w, r, 'DELETE', `/user/watch/content/${w.a}?accountId=${accountId(w, 'other')}`),
  'GET    /user/watch/space/PRIV': (w, r) => rest(w, r, 'GET', `/user/watch/space/${w.priv}`),
  'POST   /user/watch/space/PRIV': (w, r) => rest(w, r, 'POST', `/user/watch/space/${w.priv}`),
  'DELETE /user/watch/space/PRIV': (w, r) => rest(w, r, 'DELETE', `/user/watch/space/${w.priv}`),
  'POST   /user/watch/space/PUB?accountId={other}': (w, r) => rest(w, r, 'POST', `/user/watch/space/${w.pub}?accountId=${accountId(w, 'other')}`),
  "GET    /longtask/{the space admin's task}": (w, r) => rest(w, r, 'GET', `/longtask/${w.taskId}`),

  'GET    /umbraco/relation/{id of a → b}': (w, r) => rest(w, r, 'GET', `/umbraco/relation/${w.linkId}`),
  'GET    /umbraco/relation/links': (w, r) => rest(w, r, 'GET', '/umbraco/relation/links', undefined, (b) => b._embedded.relations.some((x: { _id: number }) => x._id === w.linkId)),
  'GET    /umbraco/relation/parent/a': (w, r) => rest(w, r, 'GET', `/umbraco/relation/parent/${w.a}`),
  'GET    /umbraco/relation/child/b': (w, r) => rest(w, r, 'GET', `/umbraco/relation/child/${w.b}`),
  'POST   /umbraco/relation a → b': (w, r) => rest(w, r, 'POST', '/umbraco/relation', { parentId: w.a, childId: w.b, relationTypeAlias: w.unique('new') }),
  'POST   /umbraco/relation a → b as a form (text/plain)': (w, r) =>
    form(w, r, 'POST', '/umbraco/relation', 'text/plain', JSON.stringify({ parentId: w.a, childId: w.b, relationTypeAlias: w.unique('new') })),
  'DELETE /umbraco/relation/{id}': async (w, r) => {
    const id = await w.relate(w.unique('gone'), { type: 'CONTENT', key: w.a }, { type: 'CONTENT', key: w.b });
    return rest(w, r, 'DELETE', `/umbraco/relation/${id}`);
  },
  'GET    /umbraco/relation/type/links': (w, r) => rest(w, r, 'GET', '/umbraco/relation/type/links'),
  'GET    /umbraco/relation/type': (w, r) =>
    rest(w, r, 'GET', '/umbraco/relation/type', undefined, (b) => b._embedded.relationTypes.some((x: { alias: string }) => x.alias === 'links')),
};

let w: World;
beforeAll(async () => {
  w = await createWorld();
  // `other` may view PRIV, so watching for them is a question of who acts, not of what they can see.
  await addSpaceMember({ ctx: w.ctxOf(w.users.spaceAdmin.user), spaceKey: w.priv, user: w.users.other.user.accountId, level: 'VIEW' });
});
afterAll(() => w?.t.close());

describe('the access matrix', () => {
  test('names every operation exactly once', () => {
    expect(SPEC.map(([name]) => name).sort()).toEqual(Object.keys(OPS).sort());
  });

  test.each(SPEC)('%s', async (name, cells) => {
    const actual: Outcome[] = [];
    for (const role of ROLES) actual.push(await OPS[name](w, role));
    expect(Object.fromEntries(ROLES.map((role, i) => [role, actual[i]]))).toEqual(Object.fromEntries(ROLES.map((role, i) => [role, cells[i]])));
  });
});
