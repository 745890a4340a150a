// A real app over a fresh database, driven through its fetch handler (no port needed).
import type { Hono } from 'hono';
import { createApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { Database } from '../../src/db/database.js';
import type { User } from '../../src/generated/prisma/client.js';
import { insertUser } from '../../src/services/users.js';
import { issueToken } from '../../src/services/tokens.js';
import { freshDatabase } from './database.js';

export interface Account {
  user: User;
  token: string;
}

export interface TestApp {
  app: Hono;
  db: Database;
  config: Config;
  admin: Account;
  /** A new user with a token; `admin` makes a site admin. */
  account(name: string, admin?: boolean): Promise<Account>;
  /** An HTTP request through the app; `token` adds `Authorization: Bearer`. */
  request(path: string, init?: RequestInit & { token?: string; json?: unknown }): Promise<Response>;
  /** A GraphQL operation; returns the HTTP status and the parsed body. */
  graphql<T = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<{ status: number; body: { data?: T; errors?: any[] } }>;
  close(): Promise<void>;
}

export const BASE = 'http://gateway.test';

export async function createTestApp(overrides: Partial<Config> = {}): Promise<TestApp> {
  const db = await freshDatabase();
  const config: Config = { ...loadConfig({ PUBLIC_URL: BASE, LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' }), ...overrides };
  const app = createApp({ config, db });
  let counter = 0;
  const account = async (name: string, admin = false): Promise<Account> => {
    const slug = `${name.toLowerCase().replace(/[^a-z0-9]/g, '')}${++counter}`;
    const user = await insertUser(db.prisma, { email: `${slug}@example.com`, displayName: name, admin });
    const { token } = await issueToken(db.prisma, user.id, 'test');
    return { user, token };
  };
  const admin = await account('Admin', true);
  const request: TestApp['request'] = (path, init = {}) => {
    const { token, json, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (token) headers.set('authorization', `Bearer ${token}`);
    if (json !== undefined) headers.set('content-type', 'application/json');
    return Promise.resolve(app.fetch(new Request(BASE + path, { ...rest, headers, body: json !== undefined ? JSON.stringify(json) : rest.body })));
  };
  const graphql: TestApp['graphql'] = async (query, variables, token) => {
    const response = await request('/graphql', { method: 'POST', token, json: { query, variables } });
    return { status: response.status, body: await response.json() };
  };
  return { app, db, config, admin, account, request, graphql, close: () => db.close() };
}
