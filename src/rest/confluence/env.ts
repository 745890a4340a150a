import type { Hono } from 'hono';
import type { Ctx } from '../../context.js';
import type { Links } from './links.js';

/** What the auth middleware puts on every request of the Confluence face. */
export interface ConfluenceEnv {
  Variables: {
    ctx: Ctx;
    links: Links;
    /** Set before the auth middleware on routes whose only write goes through writeAs (src/services/callers.ts). */
    writesAsCaller?: boolean;
  };
}

export type Api = Hono<ConfluenceEnv>;
