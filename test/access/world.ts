// The access matrix's world: one user per role, a private and a public space with the same members,
// and helpers that turn each face's answer into one comparable outcome.
import { createContext, type Ctx } from '../../src/context.js';
import type { User } from '../../src/generated/prisma/client.js';
import { createContent, trashContent } from '../../src/services/content.js';
import { createRelation } from '../../src/services/relations.js';
import { recordFinishedTask } from '../../src/services/long-tasks.js';
import { addSpaceMember, createSpace, deleteSpace } from '../../src/services/spaces.js';
import { createTestApp, type Account, type TestApp } from '../support/app.js';

export const ROLES = ['siteAdmin', 'spaceAdmin', 'editor', 'viewer', 'stranger', 'anonymous'] as const;
export type Role = (typeof ROLES)[number];

/** 200 with the private entities left out of a list (what a viewer of a list may not see is simply absent). */
export const HIDDEN = 'hidden';
export type Outcome = number | typeof HIDDEN;

/** One end of a relation, as the services and GraphQL's EntityRef take it. */
export interface Ref {
  type: 'USER' | 'SPACE' | 'CONTENT';
  key: string;
}
export const contentRef = (key: string): Ref => ({ type: 'CONTENT', key });
export const userRef = (key: string): Ref => ({ type: 'USER', key });

export interface World {
  t: TestApp;
  users: Record<Exclude<Role, 'anonymous'>, Account> & { other: Account };
  token(role: Role): string | undefined;
  user(role: Role): User | undefined;
  /** The private space PRIV (pages a → b related by `links`) and the public PUB (page p); same members. */
  priv: string;
  pub: string;
  a: string;
  b: string;
  p: string;
  /** The numeric id of the `links` relation a → b. */
  linkId: number;
  /** A long task (space deletion) of the space admin. */
  taskId: string;
  ctxOf(user: User): Ctx;
  unique(prefix: string): string;
  /** A new space of the space admin with the editor (EDIT) and the viewer (VIEW) as members. */
  freshSpace(isPublic: boolean): Promise<string>;
  freshPage(space?: string, status?: 'current' | 'trashed'): Promise<string>;
  /** Relates `source` to `target` as `by` (the space admin unless given); returns the relation's id. */
  relate(name: string, source: Ref, target: Ref, by?: User): Promise<number>;
}

export async function createWorld(): Promise<World> {
  const t = await createTestApp();
  const users = {
    siteAdmin: t.admin,
    spaceAdmin: await t.account('Space Admin'),
    editor: await t.account('Editor'),
    viewer: await t.account('Viewer'),
    stranger: await t.account('Stranger'),
    other: await t.account('Other'),
  };
  const ctxOf = (user: User) => createContext(t.config, t.db, { id: user.id, siteAdmin: user.siteAdmin, tokenId: 0 });
  const owner = ctxOf(users.spaceAdmin.user);
  let counter = 0;
  const unique = (prefix: string) => `${prefix}${++counter}`;

  const freshSpace = async (isPublic: boolean) => {
    const key = unique(isPublic ? 'PUB' : 'PRIV');
    await createSpace({ ctx: owner, key, name: key, public: isPublic });
    await addSpaceMember({ ctx: owner, spaceKey: key, user: users.editor.user.accountId, level: 'EDIT' });
    await addSpaceMember({ ctx: owner, spaceKey: key, user: users.viewer.user.accountId, level: 'VIEW' });
    return key;
  };
  const priv = await freshSpace(false);
  const pub = await freshSpace(true);

  const freshPage = async (space = priv, status: 'current' | 'trashed' = 'current') => {
    const content = await createContent({ ctx: owner, spaceKey: space, title: unique('Page ') });
    if (status === 'trashed') await trashContent({ ctx: owner, id: String(content.id) });
    return String(content.id);
  };
  const relate: World['relate'] = async (name, source, target, by = users.spaceAdmin.user) =>
    (await createRelation({ ctx: ctxOf(by), name, source, target })).relation.id;

  const [a, b, p] = [await freshPage(priv), await freshPage(priv), await freshPage(pub)];
  const linkId = await relate('links', contentRef(a), contentRef(b));
  await relate('likes', userRef(users.spaceAdmin.user.accountId), contentRef(a));
  await relate('favourite', userRef(users.spaceAdmin.user.accountId), contentRef(a));
  const { recorded: task } = await deleteSpace({
    ctx: owner,
    key: await freshSpace(false),
    alongside: (db, space) => recordFinishedTask({ ctx: owner, db, name: `Delete space ${space.key}` }),
  });

  return {
    t,
    users,
    token: (role) => (role === 'anonymous' ? undefined : users[role].token),
    user: (role) => (role === 'anonymous' ? undefined : users[role].user),
    priv,
    pub,
    a,
    b,
    p,
    linkId,
    taskId: task.id,
    ctxOf,
    unique,
    freshSpace,
    freshPage,
    relate,
  };
}

/** A REST answer as an outcome; `sees` tells a list that shows the private entities from one that hides them. */
export async function restOutcome(response: Response, sees?: (body: any) => boolean): Promise<Outcome> {
  const text = await response.text();
  if (response.status !== 200 || !sees) return response.status;
  return sees(JSON.parse(text)) ? 200 : HIDDEN;
}

/** A GraphQL answer as the HTTP-like outcome the contract names: null and NotFoundError are 404, and so on. */
export function graphqlOutcome(status: number, body: { data?: any; errors?: any[] }, sees?: (data: any) => boolean): Outcome {
  const code = body.errors?.[0]?.extensions?.code;
  if (status === 401 || code === 'UNAUTHENTICATED') return 401;
  if (code) return ({ FORBIDDEN: 403, NOT_FOUND: 404, BAD_USER_INPUT: 400, CONFLICT: 409 } as Record<string, number>)[code] ?? 500;
  const value = Object.values(body.data ?? {})[0] as { __typename?: string } | null;
  if (value === null || value === undefined) return 404;
  const typename = value.__typename;
  if (typename === 'ForbiddenError') return 403;
  if (typename === 'NotFoundError') return 404;
  if (typename === 'ValidationError') return 400;
  if (sees && !sees(body.data)) return HIDDEN;
  return 200;
}
