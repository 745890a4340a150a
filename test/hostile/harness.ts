// A small world to aim at, and a sender that bounds each request's time and records what came back.
import { expect } from 'vitest';
import { createContext } from '../../src/context.js';
import type { User } from '../../src/generated/prisma/client.js';
import { createContent } from '../../src/services/content.js';
import { createRelation } from '../../src/services/relations.js';
import { createSpace } from '../../src/services/spaces.js';
import { BASE, createTestApp, type TestApp } from '../support/app.js';
import { expectFaceAnswer, faceOf } from './faces.js';

/** A request that takes longer than this is a hang. */
export const REQUEST_BOUND_MS = 10_000;

export interface FuzzWorld extends TestApp {
  /** Tokens to send: the admin's, a plain user's, and junk. */
  tokens: (string | undefined)[];
  /** Real keys the generators mix in, so hostile values also reach deeper code paths. */
  keys: { spaces: string[]; content: string[]; accountIds: string[]; relationIds: string[] };
  stats: { requests: number; statuses: Record<number, number> };
}

export async function fuzzWorld(): Promise<FuzzWorld> {
  const t = await createTestApp();
  const alice = await t.account('Alice');
  const ctxOf = (user: User) => createContext(t.config, t.db, { id: user.id, siteAdmin: user.siteAdmin, tokenId: 0 });
  const admin = ctxOf(t.admin.user);
  await createSpace({ ctx: admin, key: 'FUZZ', name: 'Fuzz', public: true });
  await createSpace({ ctx: admin, key: 'PRIV', name: 'Private', public: false });
  const pages = [
    await createContent({ ctx: admin, spaceKey: 'FUZZ', title: 'One' }),
    await createContent({ ctx: admin, spaceKey: 'FUZZ', title: 'Two' }),
    await createContent({ ctx: admin, spaceKey: 'PRIV', title: 'Secret' }),
  ];
  const content = pages.map((p) => String(p.id));
  const relations = [
    await createRelation({ ctx: admin, name: 'favourite', source: { type: 'USER', key: 'current' }, target: { type: 'CONTENT', key: content[0] } }),
    await createRelation({ ctx: admin, name: 'related', source: { type: 'CONTENT', key: content[0] }, target: { type: 'CONTENT', key: content[1] } }),
  ];
  return {
    ...t,
    tokens: [t.admin.token, alice.token, undefined, 'rg_not-a-token'],
    keys: {
      spaces: ['FUZZ', 'PRIV'],
      content,
      accountIds: [t.admin.user.accountId, alice.user.accountId],
      relationIds: relations.map((r) => String(r.relation.id)),
    },
    stats: { requests: 0, statuses: {} },
  };
}

/** Sends through the app, fails on a hang, a 5xx or a body outside the face's format. */
export async function sendHostile(world: FuzzWorld, url: string, init: RequestInit, label: string): Promise<Response | undefined> {
  let request: Request;
  try {
    request = new Request(url.startsWith('http') ? url : BASE + url, init);
  } catch {
    return undefined; // a request no client could send (e.g. a malformed header): nothing to test
  }
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`hang: ${label} took more than ${REQUEST_BOUND_MS} ms`)), REQUEST_BOUND_MS);
  });
  try {
    const response = await Promise.race([Promise.resolve(world.app.fetch(request)), hang]);
    world.stats.requests++;
    world.stats.statuses[response.status] = (world.stats.statuses[response.status] ?? 0) + 1;
    await expectFaceAnswer(response.clone(), faceOf(request.url), label);
    return response;
  } finally {
    clearTimeout(timer);
  }
}

/** After a property: the process still serves a normal request. */
export async function expectStillServing(world: FuzzWorld): Promise<void> {
  expect((await world.request('/readyz')).status).toBe(200);
  const body = (await world.graphql('{ me { displayName } }', undefined, world.admin.token)).body;
  expect(body.data?.me.displayName).toBe('Admin');
}

export const describeRequest = (method: string, url: string, headers: Record<string, string>, body?: string): string =>
  `${method} ${url.slice(0, 300)} headers=${JSON.stringify(headers).slice(0, 200)} body=${(body ?? '').slice(0, 200)}`;
