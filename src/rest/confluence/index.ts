// The Confluence-compatible REST face, mounted twice: Cloud paths (/wiki/rest/api) and Server paths (/rest/api).
import { Hono } from 'hono';
import type { Config } from '../../config.js';
import type { Database } from '../../db/database.js';
import { NotFoundError } from '../../domain/errors.js';
import { confluenceXsrfCheck } from '../../http/csrf.js';
import { asCaller } from '../../services/authentication.js';
import { registerContent } from './content.js';
import { renderDocs } from './docs.js';
import type { Api, ConfluenceEnv } from './env.js';
import { errorHandler, errorResponse } from './errors.js';
import { linksFor } from './links.js';
import { registerLongTasks } from './longtask.js';
import { openApiDocument } from './openapi.js';
import { assertNoNul } from './params.js';
import { registerRelations, relationWritesAsCaller } from './relations.js';
import { registerSpaces } from './spaces.js';
import { registerUsers } from './users.js';
import { registerWatches } from './watch.js';
import { registerWebhooks } from './webhooks.js';

function confluenceApi(config: Config, db: Database, context: string): Api {
  const api = new Hono<ConfluenceEnv>();
  const links = linksFor(config.publicUrl, context);
  api.onError(errorHandler(config));

  // Registered before the auth middleware: the description of the API is public.
  api.get('/openapi.json', (c) => c.json(openApiDocument));
  api.get('/docs', (c) => c.html(renderDocs()));

  // Before authentication: a forged write is refused whatever credentials the browser attached.
  api.use(
    '*',
    confluenceXsrfCheck(() => errorResponse(403, 'XSRF check failed')),
  );
  relationWritesAsCaller(api);
  api.use('*', async (c, next) => {
    c.set('links', links);
    await asCaller(
      config,
      db,
      c.req.raw,
      async (ctx) => {
        c.set('ctx', ctx);
        assertNoNul(c);
        await next();
      },
      c.get('writesAsCaller'),
    );
  });

  registerRelations(api);
  registerSpaces(api);
  registerContent(api);
  registerUsers(api);
  registerWatches(api);
  registerLongTasks(api);
  registerWebhooks(api);

  api.all('*', (c) => {
    throw new NotFoundError(`No resource at ${c.req.method} ${c.req.path}`);
  });
  return api;
}

export function registerConfluence(app: Hono, { config, db }: { config: Config; db: Database }): void {
  app.route('/wiki/rest/api', confluenceApi(config, db, '/wiki'));
  app.route('/rest/api', confluenceApi(config, db, ''));
}
