import type { Config } from './config.js';
import type { Database } from './db/database.js';
import type { PrismaClient } from './generated/prisma/client.js';
import type { Viewer } from './domain/access.js';
import { createLoaders, type Loaders } from './loaders.js';
import type { CallerCheck } from './services/callers.js';

/** Everything a service needs for one request: the authenticated viewer, its loaders, the database. */
export interface Ctx {
  config: Config;
  db: Database;
  prisma: PrismaClient;
  viewer: Viewer;
  loaders: Loaders;
  /** Set while the caller is taken on trust, until a read or the token's statement confirms it (src/services/callers.ts). */
  caller?: CallerCheck;
}

export function createContext(config: Config, db: Database, viewer: Viewer): Ctx {
  return { config, db, prisma: db.prisma, viewer, loaders: createLoaders(db.prisma, viewer) };
}
