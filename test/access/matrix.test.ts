// The access matrix: every operation of the three faces × every role, each cell checked against the contract
// (DESIGN.md "Access" and "Settled details"). PRIV is a private space of the space admin, where the editor
// has EDIT and the viewer VIEW; PUB is a public space with the same members. `a → b` are pages in PRIV related
// by `links`; `p` is a page in PUB. The stranger is authenticated but no member: PRIV does not exist for them
// (404, lists leave it out: HIDDEN), PUB gives them VIEW. Anonymous callers always get 401.
// Confluence paths are under /wiki/rest/api, Umbraco paths under /umbraco. Every cell is a test of its own,
// named "<face> <operation> as <role> → <outcome>", and sets up what it needs (see OPS below).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { issueToken } from '../../src/services/tokens.js';
import { addSpaceMember } from '../../src/services/spaces.js';
import { contentRef, createWorld, graphqlOutcome, HIDDEN, restOutcome, ROLES, userRef, type Outcome, type Ref, type Role, type World } from './world.js';

const H = HIDDEN;
type Face = 'GraphQL' | 'Confluence' | 'Umbraco';
type Cells = [siteAdmin: Outcome, spaceAdmin: Outcome, editor: Outcome, viewer: Outcome, stranger: Outcome, anonymous: Outcome];

// prettier-ignore
const SPEC: [face: Face, operation: string, cells: Cells][] = [
  // face       operation                                                               site   space  editor viewer strngr anon
  //                                                                                    admin  admin
  ['GraphQL',    'query me',                                                           [200,   200,   200,   200,   200,   401]],
  ['GraphQL',    'query user (another user)',                                          [200,   200,   200,   200,   200,   401]],
  ['GraphQL',    'query space PRIV',                                                   [200,   200,   200,   200,   404,   401]],
  ['GraphQL',    'query space PUB',                                                    [200,   200,   200,   200,   200,   401]],
  ['GraphQL',    'query content a',                                                    [200,   200,   200,   200,   404,   401]],
  ['GraphQL',    'query relation a → b',                                               [200,   200,   200,   200,   404,   401]],
  ['GraphQL',    'query relationsFrom a',                                              [200,   200,   200,   200,   404,   401]],
  ['GraphQL',    'query relationsTo b',                                                [200,   200,   200,   200,   404,   401]],
  ['GraphQL',    'query relationsFrom space admin (user) to content',                  [200,   200,   200,   200,   H,     401]],
  ['GraphQL',    'query node (relation a → b)',                                        [200,   200,   200,   200,   404,   401]],
  ['GraphQL',    'query apiTokens',                                                    [200,   200,   200,   200,   200,   401]],
  ['GraphQL',    "query the space admin's favourite a",                                [200,   200,   404,   404,   404,   401]],
  ['GraphQL',    "query relationsFrom the space admin's favourites",                   [200,   200,   H,     H,     H,     401]],
  ['GraphQL',    "query relationsTo a: the space admin's favourite",                   [200,   200,   H,     H,     404,   401]],
  ['GraphQL',    'createRelation a → b',                                               [200,   200,   200,   200,   404,   401]],
  ['GraphQL',    'createRelation p → p (public space)',                                [200,   200,   200,   200,   200,   401]],
  ['GraphQL',    'deleteRelation a → b',                                               [200,   200,   200,   200,   404,   401]],
  ['GraphQL',    'createRelation favourite self → a',                                  [200,   200,   200,   200,   404,   401]],
  ['GraphQL',    'createRelation favourite space admin → a',                           [200,   200,   403,   403,   404,   401]],
  ['GraphQL',    "deleteRelation the editor's favourite → a",                          [200,   200,   200,   403,   404,   401]],
  ['GraphQL',    'createRelation endorses space admin → p (public space)',             [200,   200,   403,   403,   403,   401]],
  ['GraphQL',    'createRelation endorses space admin → a',                            [200,   200,   403,   403,   404,   401]],
  ['GraphQL',    'deleteRelation endorses space admin → a',                            [200,   200,   403,   403,   404,   401]],
  ['GraphQL',    'createRelation Favourite (a lookalike) self → p',                    [400,   400,   400,   400,   400,   401]],
  ['GraphQL',    'createUser',                                                         [200,   403,   403,   403,   403,   401]],
  ['GraphQL',    'createSpace',                                                        [200,   200,   200,   200,   200,   401]],
  ['GraphQL',    'addSpaceMember PRIV',                                                [200,   200,   403,   403,   404,   401]],
  ['GraphQL',    'addSpaceMember PUB',                                                 [200,   200,   403,   403,   403,   401]],
  ['GraphQL',    'createContent PRIV',                                                 [200,   200,   200,   403,   404,   401]],
  ['GraphQL',    'createContent PUB',                                                  [200,   200,   200,   403,   403,   401]],
  ['GraphQL',    'updateContent a',                                                    [200,   200,   200,   403,   404,   401]],
  ['GraphQL',    'deleteContent (trash)',                                              [200,   200,   200,   403,   404,   401]],
  ['GraphQL',    'deleteContent (purge)',                                              [200,   200,   403,   403,   404,   401]],
  ['GraphQL',    'deleteSpace private',                                                [200,   200,   403,   403,   404,   401]],
  ['GraphQL',    'deleteSpace public',                                                 [200,   200,   403,   403,   403,   401]],
  ['GraphQL',    'createApiToken',                                                     [200,   200,   200,   200,   200,   401]],
  ['GraphQL',    'revokeApiToken (own)',                                               [200,   200,   200,   200,   200,   401]],
  ['GraphQL',    "revokeApiToken (another user's)",                                    [200,   404,   404,   404,   404,   401]],

  ['Confluence', 'GET    /relation/links/from/content/a/to/content',                   [200,   200,   200,   200,   404,   401]],
  ['Confluence', 'GET    /relation/links/to/content/b/from/content',                   [200,   200,   200,   200,   404,   401]],
  ['Confluence', 'GET    /relation/likes/from/user/{space admin}/to/content',          [200,   200,   200,   200,   H,     401]],
  ['Confluence', 'GET    /relation/links/from/content/a/to/content/b',                 [200,   200,   200,   200,   404,   401]],
  ['Confluence', 'PUT    /relation/{new}/from/content/a/to/content/b',                 [200,   200,   200,   200,   404,   401]],
  ['Confluence', 'DELETE /relation/{name}/from/content/a/to/content/b',                [204,   204,   204,   204,   404,   401]],
  ['Confluence', 'GET    /relation/favourite/from/user/{space admin}/to/content/a',    [200,   200,   404,   404,   404,   401]],
  ['Confluence', 'GET    /relation/favourite/from/user/{space admin}/to/content',      [200,   200,   H,     H,     H,     401]],
  ['Confluence', "GET    /relation/favourite/to/content/a/from/user (space admin's)",  [200,   200,   H,     H,     404,   401]],
  ['Confluence', 'DELETE /relation/favourite/from/user/{editor}/to/content/a',         [204,   204,   204,   403,   404,   401]],
  ['Confluence', 'PUT    /relation/endorses/from/user/{space admin}/to/content/p',     [200,   200,   403,   403,   403,   401]],
  ['Confluence', 'DELETE /relation/endorses/from/user/{space admin}/to/content/p',     [204,   204,   403,   403,   403,   401]],
  ['Confluence', 'PUT    /relation/Favourite/from/user/current/to/content/p',          [400,   400,   400,   400,   400,   401]],
  ['Confluence', 'POST   /content in PUB as a form (text/plain)',                      [403,   403,   403,   403,   403,   403]],
  ['Confluence', 'POST   /user/watch/content/p as a form (urlencoded)',                [403,   403,   403,   403,   403,   403]],
  ['Confluence', 'GET    /space?spaceKey=PRIV',                                        [200,   200,   200,   200,   H,     401]],
  ['Confluence', 'GET    /space?favourite=true',                                       [200,   200,   200,   200,   200,   401]],
  ['Confluence', 'POST   /space',                                                      [200,   200,   200,   200,   200,   401]],
  ['Confluence', 'POST   /space/_private',                                             [200,   200,   200,   200,   200,   401]],
  ['Confluence', 'GET    /space/PRIV',                                                 [200,   200,   200,   200,   404,   401]],
  ['Confluence', 'GET    /space/PUB',                                                  [200,   200,   200,   200,   200,   401]],
  ['Confluence', 'DELETE /space/{private}',                                            [202,   202,   403,   403,   404,   401]],
  ['Confluence', 'DELETE /space/{public}',                                             [202,   202,   403,   403,   403,   401]],
  ['Confluence', 'GET    /content?limit=200',                                          [200,   200,   200,   200,   H,     401]],
  ['Confluence', 'GET    /content?spaceKey=PRIV',                                      [200,   200,   200,   200,   H,     401]],
  ['Confluence', 'POST   /content in PRIV',                                            [200,   200,   200,   403,   404,   401]],
  ['Confluence', 'POST   /content in PUB',                                             [200,   200,   200,   403,   403,   401]],
  ['Confluence', 'GET    /content/a',                                                  [200,   200,   200,   200,   404,   401]],
  ['Confluence', 'GET    /content/p',                                                  [200,   200,   200,   200,   200,   401]],
  ['Confluence', 'GET    /content/a under /rest/api (Server)',                         [200,   200,   200,   200,   404,   401]],
  ['Confluence', 'PUT    /content/a',                                                  [200,   200,   200,   403,   404,   401]],
  ['Confluence', 'DELETE /content/{id} (trash)',                                       [200,   200,   200,   403,   404,   401]],
  ['Confluence', 'DELETE /content/{id}?status=trashed (purge)',                        [204,   204,   403,   403,   404,   401]],
  ['Confluence', 'GET    /user?accountId={space admin}',                               [200,   200,   200,   200,   200,   401]],
  ['Confluence', 'GET    /user/current',                                               [200,   200,   200,   200,   200,   401]],
  ['Confluence', 'GET    /user/watch/content/a',                                       [200,   200,   200,   200,   404,   401]],
  ['Confluence', 'POST   /user/watch/content/a',                                       [204,   204,   204,   204,   404,   401]],
  ['Confluence', 'DELETE /user/watch/content/a',                                       [204,   204,   204,   204,   404,   401]],
  ['Confluence', 'GET    /user/watch/content/a?accountId={other}',                     [200,   200,   200,   200,   404,   401]],
  ['Confluence', 'POST   /user/watch/content/a?accountId={other}',                     [204,   403,   403,   403,   404,   401]],
  ['Confluence', 'DELETE /user/watch/content/a?accountId={other}',                     [204,   403,   403,   403,   404,   401]],
  ['Confluence', 'GET    /user/watch/space/PRIV',                                      [200,   200,   200,   200,   404,   401]],
  ['Confluence', 'POST   /user/watch/space/PRIV',                                      [204,   204,   204,   204,   404,   401]],
  ['Confluence', 'DELETE /user/watch/space/PRIV',                                      [204,   204,   204,   204,   404,   401]],
  ['Confluence', 'POST   /user/watch/space/PUB?accountId={other}',                     [204,   403,   403,   403,   403,   401]],
  ['Confluence', "GET    /longtask/{the space admin's task}",                          [200,   200,   404,   404,   404,   401]],

  ['Umbraco',    'GET    /relation/{id of a → b}',                                     [200,   200,   200,   200,   404,   401]],
  ['Umbraco',    'GET    /relation/links',                                             [200,   200,   200,   200,   H,     401]],
  ['Umbraco',    'GET    /relation/parent/a',                                          [200,   200,   200,   200,   404,   401]],
  ['Umbraco',    'GET    /relation/child/b',                                           [200,   200,   200,   200,   404,   401]],
  // docs/umbraco.md: a body naming content that cannot be found (or seen) is 422 ValidationFailed, not 404.
  ['Umbraco',    'POST   /relation a → b',                                             [201,   201,   201,   201,   422,   401]],
  ['Umbraco',    'POST   /relation a → b as a form (text/plain)',                      [415,   415,   415,   415,   415,   415]],
  ['Umbraco',    'DELETE /relation/{id}',                                              [200,   200,   200,   200,   404,   401]],
  ['Umbraco',    'GET    /relation/type/links',                                        [200,   200,   200,   200,   404,   401]],
  ['Umbraco',    'GET    /relation/type',                                              [200,   200,   200,   200,   H,     401]],
];

type Op = (w: World, role: Role) => Promise<Outcome>;

const WIKI = '/wiki/rest/api';
const accountId = (w: World, role: Exclude<Role, 'anonymous'> | 'other') => w.users[role].user.accountId;
const userOf = (w: World, role: Exclude<Role, 'anonymous'> | 'other') => userRef(accountId(w, role));

async function request(w: World, role: Role, method: string, path: string, json?: unknown, sees?: (body: any) => boolean): Promise<Outcome> {
  return restOutcome(await w.t.request(path, { method, token: w.token(role), json }), sees);
}
const wiki: typeof request = (w, role, method, path, json, sees) => request(w, role, method, WIKI + path, json, sees);
const umbraco: typeof request = (w, role, method, path, json, sees) => request(w, role, method, `/umbraco${path}`, json, sees);
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

const M = (field: string, input: string) => `mutation($input: ${input}!) { ${field}(input: $input) { __typename } }`;
const Q = {
  me: '{ me { accountId } }',
  user: 'query($k: String!) { user(key: $k) { accountId } }',
  space: 'query($k: String!) { space(key: $k) { key } }',
  content: 'query($id: ID!) { content(id: $id) { id } }',
  relation: (name: string) => `query($s: EntityRef!, $t: EntityRef!) { relation(name: "${name}", source: $s, target: $t) { id } }`,
  linksFrom: 'query($s: EntityRef!) { relationsFrom(name: "links", source: $s, targetType: CONTENT) { totalCount } }',
  linksTo: 'query($t: EntityRef!) { relationsTo(name: "links", target: $t, sourceType: CONTENT) { totalCount } }',
  listFrom: (name: string) => `query($s: EntityRef!) { relationsFrom(name: "${name}", source: $s, targetType: CONTENT) { totalCount nodes { id } } }`,
  favouritesTo: 'query($t: EntityRef!) { relationsTo(name: "favourite", target: $t, sourceType: USER, first: 200) { nodes { source { ... on User { accountId } } } } }',
  node: 'query($id: ID!) { node(id: $id) { id } }',
  apiTokens: '{ apiTokens { id } }',
  createRelation: M('createRelation', 'RelationInput'),
  deleteRelation: M('deleteRelation', 'RelationInput'),
  createUser: M('createUser', 'CreateUserInput'),
  createSpace: M('createSpace', 'CreateSpaceInput'),
  addSpaceMember: M('addSpaceMember', 'AddSpaceMemberInput'),
  createContent: M('createContent', 'CreateContentInput'),
  updateContent: M('updateContent', 'UpdateContentInput'),
  deleteContent: M('deleteContent', 'DeleteContentInput'),
  deleteSpace: M('deleteSpace', 'DeleteSpaceInput'),
  createApiToken: 'mutation { createApiToken(input: { name: "matrix" }) { __typename } }',
  revokeApiToken: M('revokeApiToken', 'RevokeApiTokenInput'),
};
/** A relations list shows the private entities when it is not empty. */
const listsSome = (d: any) => d.relationsFrom.totalCount > 0 && d.relationsFrom.nodes.length > 0;
const hasFavouriteOf = (w: World, role: 'spaceAdmin') => (d: any) =>
  d.relationsTo.nodes.some((n: { source: { accountId: string } }) => n.source.accountId === accountId(w, role));

/** A relation that exists before the operation acts on it, as GraphQL's RelationInput. */
async function existing(w: World, name: string, source: Ref, target: Ref, by?: Parameters<World['relate']>[3]) {
  await w.relate(name, source, target, by);
  return { name, source, target };
}
/** The Confluence path of a relation. */
const relationPath = ({ name, source, target }: { name: string; source: Ref; target: Ref }) =>
  `/relation/${name}/from/${source.type.toLowerCase()}/${source.key}/to/${target.type.toLowerCase()}/${target.key}`;
const tokenOf = async (w: World, user: { id: number }) => (await issueToken(w.t.db.prisma, user.id, 'to revoke')).record.id;
const versionOf = async (w: World, id: string) => (await w.t.db.prisma.content.findUniqueOrThrow({ where: { id: Number(id) } })).version;
const nodeId = (relationId: number) => Buffer.from(`Relation:${relationId}`).toString('base64');

// One line per operation: how a role performs it, including anything it needs to exist first.
// prettier-ignore
const OPS: Record<Face, Record<string, Op>> = {
  GraphQL: {
    'query me': (w, r) => gql(w, r, Q.me),
    'query user (another user)': (w, r) => gql(w, r, Q.user, { k: accountId(w, 'other') }),
    'query space PRIV': (w, r) => gql(w, r, Q.space, { k: w.priv }),
    'query space PUB': (w, r) => gql(w, r, Q.space, { k: w.pub }),
    'query content a': (w, r) => gql(w, r, Q.content, { id: w.a }),
    'query relation a → b': (w, r) => gql(w, r, Q.relation('links'), { s: contentRef(w.a), t: contentRef(w.b) }),
    'query relationsFrom a': (w, r) => gql(w, r, Q.linksFrom, { s: contentRef(w.a) }),
    'query relationsTo b': (w, r) => gql(w, r, Q.linksTo, { t: contentRef(w.b) }),
    'query relationsFrom space admin (user) to content': (w, r) => gql(w, r, Q.listFrom('likes'), { s: userOf(w, 'spaceAdmin') }, listsSome),
    'query node (relation a → b)': (w, r) => gql(w, r, Q.node, { id: nodeId(w.linkId) }),
    'query apiTokens': (w, r) => gql(w, r, Q.apiTokens),
    "query the space admin's favourite a": (w, r) => gql(w, r, Q.relation('favourite'), { s: userOf(w, 'spaceAdmin'), t: contentRef(w.a) }),
    "query relationsFrom the space admin's favourites": (w, r) => gql(w, r, Q.listFrom('favourite'), { s: userOf(w, 'spaceAdmin') }, listsSome),
    "query relationsTo a: the space admin's favourite": (w, r) => gql(w, r, Q.favouritesTo, { t: contentRef(w.a) }, hasFavouriteOf(w, 'spaceAdmin')),
    'createRelation a → b': (w, r) => gql(w, r, Q.createRelation, { input: { name: w.unique('new'), source: contentRef(w.a), target: contentRef(w.b) } }),
    'createRelation p → p (public space)': (w, r) => gql(w, r, Q.createRelation, { input: { name: w.unique('new'), source: contentRef(w.p), target: contentRef(w.p) } }),
    'deleteRelation a → b': async (w, r) => gql(w, r, Q.deleteRelation, { input: await existing(w, w.unique('gone'), contentRef(w.a), contentRef(w.b)) }),
    'createRelation favourite self → a': (w, r) => gql(w, r, Q.createRelation, { input: { name: 'favourite', source: userRef('current'), target: contentRef(w.a) } }),
    'createRelation favourite space admin → a': (w, r) => gql(w, r, Q.createRelation, { input: { name: 'favourite', source: userOf(w, 'spaceAdmin'), target: contentRef(w.a) } }),
    "deleteRelation the editor's favourite → a": async (w, r) => gql(w, r, Q.deleteRelation, { input: await existing(w, 'favourite', userOf(w, 'editor'), contentRef(w.a), w.users.editor.user) }),
    'createRelation endorses space admin → p (public space)': (w, r) => gql(w, r, Q.createRelation, { input: { name: 'endorses', source: userOf(w, 'spaceAdmin'), target: contentRef(w.p) } }),
    'createRelation endorses space admin → a': (w, r) => gql(w, r, Q.createRelation, { input: { name: 'endorses', source: userOf(w, 'spaceAdmin'), target: contentRef(w.a) } }),
    'deleteRelation endorses space admin → a': async (w, r) => gql(w, r, Q.deleteRelation, { input: await existing(w, 'endorses', userOf(w, 'spaceAdmin'), contentRef(w.a)) }),
    'createRelation Favourite (a lookalike) self → p': (w, r) => gql(w, r, Q.createRelation, { input: { name: 'Favourite', source: userRef('current'), target: contentRef(w.p) } }),
    'createUser': (w, r) => gql(w, r, Q.createUser, { input: { email: `${w.unique('new')}@example.com`, displayName: 'New' } }),
    'createSpace': (w, r) => gql(w, r, Q.createSpace, { input: { key: w.unique('NEW'), name: 'New', public: false } }),
    'addSpaceMember PRIV': (w, r) => gql(w, r, Q.addSpaceMember, { input: { spaceKey: w.priv, user: accountId(w, 'other'), level: 'VIEW' } }),
    'addSpaceMember PUB': (w, r) => gql(w, r, Q.addSpaceMember, { input: { spaceKey: w.pub, user: accountId(w, 'other'), level: 'VIEW' } }),
    'createContent PRIV': (w, r) => gql(w, r, Q.createContent, { input: { spaceKey: w.priv, title: 'New' } }),
    'createContent PUB': (w, r) => gql(w, r, Q.createContent, { input: { spaceKey: w.pub, title: 'New' } }),
    'updateContent a': (w, r) => gql(w, r, Q.updateContent, { input: { id: w.a, title: w.unique('Title ') } }),
    'deleteContent (trash)': async (w, r) => gql(w, r, Q.deleteContent, { input: { id: await w.freshPage() } }),
    'deleteContent (purge)': async (w, r) => gql(w, r, Q.deleteContent, { input: { id: await w.freshPage(w.priv, 'trashed'), purge: true } }),
    'deleteSpace private': async (w, r) => gql(w, r, Q.deleteSpace, { input: { key: await w.freshSpace(false) } }),
    'deleteSpace public': async (w, r) => gql(w, r, Q.deleteSpace, { input: { key: await w.freshSpace(true) } }),
    'createApiToken': (w, r) => gql(w, r, Q.createApiToken),
    'revokeApiToken (own)': async (w, r) => gql(w, r, Q.revokeApiToken, { input: { id: await tokenOf(w, w.user(r) ?? w.users.other.user) } }),
    "revokeApiToken (another user's)": async (w, r) => gql(w, r, Q.revokeApiToken, { input: { id: await tokenOf(w, w.users.other.user) } }),
  },
  Confluence: {
    'GET    /relation/links/from/content/a/to/content': (w, r) => wiki(w, r, 'GET', `/relation/links/from/content/${w.a}/to/content`),
    'GET    /relation/links/to/content/b/from/content': (w, r) => wiki(w, r, 'GET', `/relation/links/to/content/${w.b}/from/content`),
    'GET    /relation/likes/from/user/{space admin}/to/content': (w, r) => wiki(w, r, 'GET', `/relation/likes/from/user/${accountId(w, 'spaceAdmin')}/to/content`, undefined, (b) => b.size > 0),
    'GET    /relation/links/from/content/a/to/content/b': (w, r) => wiki(w, r, 'GET', `/relation/links/from/content/${w.a}/to/content/${w.b}`),
    'PUT    /relation/{new}/from/content/a/to/content/b': (w, r) => wiki(w, r, 'PUT', `/relation/${w.unique('new')}/from/content/${w.a}/to/content/${w.b}`),
    'DELETE /relation/{name}/from/content/a/to/content/b': async (w, r) => wiki(w, r, 'DELETE', relationPath(await existing(w, w.unique('gone'), contentRef(w.a), contentRef(w.b)))),
    'GET    /relation/favourite/from/user/{space admin}/to/content/a': (w, r) => wiki(w, r, 'GET', `/relation/favourite/from/user/${accountId(w, 'spaceAdmin')}/to/content/${w.a}`),
    'GET    /relation/favourite/from/user/{space admin}/to/content': (w, r) => wiki(w, r, 'GET', `/relation/favourite/from/user/${accountId(w, 'spaceAdmin')}/to/content`, undefined, (b) => b.size > 0),
    "GET    /relation/favourite/to/content/a/from/user (space admin's)": (w, r) =>
      wiki(w, r, 'GET', `/relation/favourite/to/content/${w.a}/from/user?limit=200&expand=source`, undefined, (b) => b.results.some((x: { source: { accountId: string } }) => x.source.accountId === accountId(w, 'spaceAdmin'))),
    'DELETE /relation/favourite/from/user/{editor}/to/content/a': async (w, r) => wiki(w, r, 'DELETE', relationPath(await existing(w, 'favourite', userOf(w, 'editor'), contentRef(w.a), w.users.editor.user))),
    'PUT    /relation/endorses/from/user/{space admin}/to/content/p': (w, r) => wiki(w, r, 'PUT', `/relation/endorses/from/user/${accountId(w, 'spaceAdmin')}/to/content/${w.p}`),
    'DELETE /relation/endorses/from/user/{space admin}/to/content/p': async (w, r) => wiki(w, r, 'DELETE', relationPath(await existing(w, 'endorses', userOf(w, 'spaceAdmin'), contentRef(w.p)))),
    'PUT    /relation/Favourite/from/user/current/to/content/p': (w, r) => wiki(w, r, 'PUT', `/relation/Favourite/from/user/current/to/content/${w.p}`),
    'POST   /content in PUB as a form (text/plain)': (w, r) => form(w, r, 'POST', `${WIKI}/content`, 'text/plain', JSON.stringify({ space: { key: w.pub }, title: w.unique('Forged '), type: 'page' })),
    'POST   /user/watch/content/p as a form (urlencoded)': (w, r) => form(w, r, 'POST', `${WIKI}/user/watch/content/${w.p}`, 'application/x-www-form-urlencoded', ''),
    'GET    /space?spaceKey=PRIV': (w, r) => wiki(w, r, 'GET', `/space?spaceKey=${w.priv}`, undefined, (b) => b.results.some((s: { key: string }) => s.key === w.priv)),
    'GET    /space?favourite=true': (w, r) => wiki(w, r, 'GET', '/space?favourite=true'),
    'POST   /space': (w, r) => wiki(w, r, 'POST', '/space', { key: w.unique('NEW'), name: 'New' }),
    'POST   /space/_private': (w, r) => wiki(w, r, 'POST', '/space/_private', { key: w.unique('NEW'), name: 'New' }),
    'GET    /space/PRIV': (w, r) => wiki(w, r, 'GET', `/space/${w.priv}`),
    'GET    /space/PUB': (w, r) => wiki(w, r, 'GET', `/space/${w.pub}`),
    'DELETE /space/{private}': async (w, r) => wiki(w, r, 'DELETE', `/space/${await w.freshSpace(false)}`),
    'DELETE /space/{public}': async (w, r) => wiki(w, r, 'DELETE', `/space/${await w.freshSpace(true)}`),
    'GET    /content?limit=200': (w, r) => wiki(w, r, 'GET', '/content?limit=200', undefined, (b) => b.results.some((c: { id: string }) => c.id === w.a)),
    'GET    /content?spaceKey=PRIV': (w, r) => wiki(w, r, 'GET', `/content?spaceKey=${w.priv}`, undefined, (b) => b.results.length > 0),
    'POST   /content in PRIV': (w, r) => wiki(w, r, 'POST', '/content', { space: { key: w.priv }, title: w.unique('New '), type: 'page' }),
    'POST   /content in PUB': (w, r) => wiki(w, r, 'POST', '/content', { space: { key: w.pub }, title: w.unique('New '), type: 'page' }),
    'GET    /content/a': (w, r) => wiki(w, r, 'GET', `/content/${w.a}`),
    'GET    /content/p': (w, r) => wiki(w, r, 'GET', `/content/${w.p}`),
    'GET    /content/a under /rest/api (Server)': (w, r) => request(w, r, 'GET', `/rest/api/content/${w.a}`),
    'PUT    /content/a': async (w, r) => wiki(w, r, 'PUT', `/content/${w.a}`, { title: w.unique('Title '), type: 'page', version: { number: (await versionOf(w, w.a)) + 1 } }),
    'DELETE /content/{id} (trash)': async (w, r) => wiki(w, r, 'DELETE', `/content/${await w.freshPage()}`),
    'DELETE /content/{id}?status=trashed (purge)': async (w, r) => wiki(w, r, 'DELETE', `/content/${await w.freshPage(w.priv, 'trashed')}?status=trashed`),
    'GET    /user?accountId={space admin}': (w, r) => wiki(w, r, 'GET', `/user?accountId=${accountId(w, 'spaceAdmin')}`),
    'GET    /user/current': (w, r) => wiki(w, r, 'GET', '/user/current'),
    'GET    /user/watch/content/a': (w, r) => wiki(w, r, 'GET', `/user/watch/content/${w.a}`),
    'POST   /user/watch/content/a': (w, r) => wiki(w, r, 'POST', `/user/watch/content/${w.a}`),
    'DELETE /user/watch/content/a': (w, r) => wiki(w, r, 'DELETE', `/user/watch/content/${w.a}`),
    'GET    /user/watch/content/a?accountId={other}': (w, r) => wiki(w, r, 'GET', `/user/watch/content/${w.a}?accountId=${accountId(w, 'other')}`),
    'POST   /user/watch/content/a?accountId={other}': (w, r) => wiki(w, r, 'POST', `/user/watch/content/${w.a}?accountId=${accountId(w, 'other')}`),
    'DELETE /user/watch/content/a?accountId={other}': (w, r) => wiki(w, r, 'DELETE', `/user/watch/content/${w.a}?accountId=${accountId(w, 'other')}`),
    'GET    /user/watch/space/PRIV': (w, r) => wiki(w, r, 'GET', `/user/watch/space/${w.priv}`),
    'POST   /user/watch/space/PRIV': (w, r) => wiki(w, r, 'POST', `/user/watch/space/${w.priv}`),
    'DELETE /user/watch/space/PRIV': (w, r) => wiki(w, r, 'DELETE', `/user/watch/space/${w.priv}`),
    'POST   /user/watch/space/PUB?accountId={other}': (w, r) => wiki(w, r, 'POST', `/user/watch/space/${w.pub}?accountId=${accountId(w, 'other')}`),
    "GET    /longtask/{the space admin's task}": (w, r) => wiki(w, r, 'GET', `/longtask/${w.taskId}`),
  },
  Umbraco: {
    'GET    /relation/{id of a → b}': (w, r) => umbraco(w, r, 'GET', `/relation/${w.linkId}`),
    'GET    /relation/links': (w, r) => umbraco(w, r, 'GET', '/relation/links', undefined, (b) => b._embedded.relations.some((x: { _id: number }) => x._id === w.linkId)),
    'GET    /relation/parent/a': (w, r) => umbraco(w, r, 'GET', `/relation/parent/${w.a}`),
    'GET    /relation/child/b': (w, r) => umbraco(w, r, 'GET', `/relation/child/${w.b}`),
    'POST   /relation a → b': (w, r) => umbraco(w, r, 'POST', '/relation', { parentId: w.a, childId: w.b, relationTypeAlias: w.unique('new') }),
    'POST   /relation a → b as a form (text/plain)': (w, r) => form(w, r, 'POST', '/umbraco/relation', 'text/plain', JSON.stringify({ parentId: w.a, childId: w.b, relationTypeAlias: w.unique('new') })),
    'DELETE /relation/{id}': async (w, r) => umbraco(w, r, 'DELETE', `/relation/${await w.relate(w.unique('gone'), contentRef(w.a), contentRef(w.b))}`),
    'GET    /relation/type/links': (w, r) => umbraco(w, r, 'GET', '/relation/type/links'),
    'GET    /relation/type': (w, r) => umbraco(w, r, 'GET', '/relation/type', undefined, (b) => b._embedded.relationTypes.some((x: { alias: string }) => x.alias === 'links')),
  },
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
    const specified = SPEC.map(([face, operation]) => `${face} ${operation}`);
    const performed = Object.entries(OPS).flatMap(([face, ops]) => Object.keys(ops).map((operation) => `${face} ${operation}`));
    expect(specified.sort()).toEqual(performed.sort());
  });

  for (const [face, operation, cells] of SPEC) {
    describe(`${face} ${operation.replace(/ +/, ' ')}`, () => {
      test.each(ROLES.map((role, i) => [role, cells[i]] as const))('as %s → %s', async (role, expected) => {
        expect(await OPS[face][operation](w, role)).toBe(expected);
      });
    });
  }
});
