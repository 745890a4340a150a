// The Umbraco Heartcore-compatible face under /umbraco: what @umbraco/headless-client's ManagementClient calls.
import { Hono } from 'hono';
import type { Config } from '../../config.js';
import type { Ctx } from '../../context.js';
import type { Database } from '../../db/database.js';
import { jsonBodiesOnly } from '../../http/csrf.js';
import { asCaller } from '../../services/authentication.js';
import { errorResponse, notJson, routeNotFound } from './errors.js';
import { registerRelationTypes } from './relation-types.js';
import { registerRelations } from './relations.js';

export type UmbracoEnv = { Variables: { ctx: Ctx } };

export function registerUmbraco(app: Hono, { config, db }: { config: Config; db: Database }): void {
  const umbraco = new Hono<UmbracoEnv>();
  const base = `${config.publicUrl}/umbraco`;
  umbraco.onError((error, c) => errorResponse(c, error, config));
  // Before authentication: a form or text body (what a forged browser request carries) is refused outright.
  umbraco.use(
    '*',
    jsonBodiesOnly((c) => errorResponse(c, notJson(), config)),
  );
  // Api-Key, Authorization: Bearer <key> and a bare Authorization: <key> all name the same API token.
  umbraco.use('*', (c, next) =>
    asCaller(config, db, c.req.raw, async (ctx) => {
      c.set('ctx', ctx);
      await next();
    }),
  );
  // Types first: `/relation/type` must not be read as a relation type alias called "type".
  registerRelationTypes(umbraco, base);
  registerRelations(umbraco, base);
  umbraco.all('*', () => {
    throw routeNotFound();
  });
  app.route('/umbraco', umbraco);
}
