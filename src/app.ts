import { Hono } from 'hono';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import { createGraphQL } from './graphql/yoga.js';
import { limitBodies } from './http/body-limit.js';
import { registerConfluence } from './rest/confluence/index.js';
import { registerUmbraco } from './rest/umbraco/index.js';

export interface AppDeps {
  config: Config;
  db: Database;
}

/** The whole HTTP surface: health, GraphQL, and the REST faces, over one set of services. */
export function createApp({ config, db }: AppDeps): Hono {
  const app = new Hono();

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    try {
      await db.ping();
      return c.json({ status: 'ready', database: db.kind });
    } catch {
      return c.json({ status: 'unavailable', database: db.kind }, 503);
    }
  });

  limitBodies(app, config);
  const yoga = createGraphQL(config, db);
  // Every method: yoga itself answers the unsupported ones with a 405 in the GraphQL format.
  app.all('/graphql', (c) => yoga.fetch(c.req.raw));
  registerConfluence(app, { config, db });
  registerUmbraco(app, { config, db });

  return app;
}
