// One app per test file, listening on a real port so the real Umbraco client can call it.
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Client } from '@umbraco/headless-client';
import { createContext, type Ctx } from '../../src/context.js';
import type { User } from '../../src/generated/prisma/client.js';
import { createContent } from '../../src/services/content.js';
import { createSpace } from '../../src/services/spaces.js';
import { createTestApp, type TestApp } from '../support/app.js';

export interface World extends TestApp {
  /** The Umbraco face's address on the listening server, as `apiProxyUrl` wants it. */
  umbracoUrl: string;
  ctxFor(user: User): Ctx;
  /** A page in the space, created by `user`; returns its id. */
  page(user: User, spaceKey: string, title: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startWorld(): Promise<World> {
  const t = await createTestApp();
  const server = await new Promise<ServerType>((resolve) => {
    const started: ServerType = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started));
  });
  const { port } = server.address() as AddressInfo;
  const ctxFor = (user: User) => createContext(t.config, t.db, { id: user.id, siteAdmin: user.siteAdmin, tokenId: 0 });
  return {
    ...t,
    umbracoUrl: `http://127.0.0.1:${port}/umbraco`,
    ctxFor,
    page: async (user, spaceKey, title) => String((await createContent({ ctx: ctxFor(user), spaceKey, title })).id),
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await t.close();
    },
  };
}

export async function space(world: World, user: User, key: string, isPublic = true): Promise<void> {
  await createSpace({ ctx: world.ctxFor(user), key, name: `Space ${key}`, public: isPublic });
}

/** The real Heartcore management client, pointed at the gateway; it sends `api-key` and `umb-project-alias`. */
export function management(world: World, token: string) {
  return new Client({ projectAlias: 'relation-gateway', apiKey: token, apiProxyUrl: world.umbracoUrl, cdnProxyUrl: world.umbracoUrl }).management;
}
