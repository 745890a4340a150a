// One cross-origin policy for every face, from CORS_ORIGINS (README "Cross-origin requests").
import type { MiddlewareHandler } from 'hono';
import type { CorsConfig } from '../config.js';
import { PREFLIGHT_HEADERS } from '../graphql/limits.js';

interface FaceAccess {
  /** Path prefix of the face. */
  path: string;
  methods: string[];
  /** Request headers its clients send beyond the CORS-safelisted ones. */
  headers: string[];
}

const COMMON = ['authorization', 'content-type', 'x-request-id'];
const CONFLUENCE = { methods: ['GET', 'POST', 'PUT', 'DELETE'], headers: [...COMMON, 'x-atlassian-token'] };

export const FACES: FaceAccess[] = [
  // last-event-id: an EventSource reconnecting to a subscription sends it.
  { path: '/graphql', methods: ['GET', 'POST'], headers: [...COMMON, ...PREFLIGHT_HEADERS, 'last-event-id'] },
  { path: '/wiki/rest/api', ...CONFLUENCE },
  { path: '/rest/api', ...CONFLUENCE },
  { path: '/umbraco', methods: ['GET', 'POST', 'DELETE'], headers: [...COMMON, 'api-key', 'umb-project-alias', 'api-version'] },
];
/** Health, readiness and anything outside the faces: reads only. */
const OTHER: FaceAccess = { path: '/', methods: ['GET'], headers: ['authorization', 'x-request-id'] };

/** Preflight answers are cached per URL; reads are checked on every answer, so removing an origin still acts at once. */
export const MAX_AGE_SECONDS = 7200;
export const EXPOSED_HEADERS = ['Retry-After', 'WWW-Authenticate', 'X-Request-Id'];

function faceOf(path: string): FaceAccess {
  return FACES.find((face) => path === face.path || path.startsWith(`${face.path}/`)) ?? OTHER;
}

/** Sets who may read this answer; false when no origin may. */
function grant(headers: Headers, cors: CorsConfig, origin: string | undefined): boolean {
  if (cors.origins.length > 0) headers.append('Vary', 'Origin');
  if (origin !== undefined && cors.origins.includes(origin)) {
    headers.set('Access-Control-Allow-Origin', origin);
    headers.set('Access-Control-Allow-Credentials', 'true');
    return true;
  }
  if (!cors.anyOrigin) return false;
  headers.set('Access-Control-Allow-Origin', '*');
  return true;
}

// Not hono/cors: it sends Allow-Credentials to every allowed origin alike and takes any OPTIONS for a preflight.
export function crossOrigin(cors: CorsConfig): MiddlewareHandler {
  return async (c, next) => {
    const origin = c.req.header('origin');
    // Answered before authentication, rate limiting and the body limit: a preflight carries no credentials.
    if (c.req.method === 'OPTIONS' && origin !== undefined && c.req.header('access-control-request-method') !== undefined) {
      const headers = new Headers();
      if (grant(headers, cors, origin)) {
        const face = faceOf(c.req.path);
        headers.set('Access-Control-Allow-Methods', face.methods.join(', '));
        headers.set('Access-Control-Allow-Headers', face.headers.join(', '));
        headers.set('Access-Control-Max-Age', String(MAX_AGE_SECONDS));
      }
      return new Response(null, { status: 204, headers });
    }
    await next();
    // Set on the answer in place: copying it would cost the Node adapter its one-write path for string bodies.
    if (grant(c.res.headers, cors, origin)) c.res.headers.set('Access-Control-Expose-Headers', EXPOSED_HEADERS.join(', '));
  };
}
