// Cross-site request forgery on the REST faces: a web page can make a browser send a write with cached Basic
// credentials only as a "simple" request, whose body is a form or plain text (docs/access.md, "Forged writes").
import type { Context, MiddlewareHandler } from 'hono';

const WRITES = new Set(['POST', 'PUT', 'DELETE', 'PATCH']);
const FORM_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);
const MEDIA_TYPE = /^[\w!#$&^.+-]+\/[\w!#$&^.+-]+$/;

/** The header Confluence clients send to skip the check, with its accepted values. */
export const NO_CHECK_HEADER = 'X-Atlassian-Token';
const NO_CHECK_VALUES = new Set(['no-check', 'nocheck']);

/** The media type of the body, lowercased without parameters; '' when the header is absent, null when unreadable. */
export function mediaType(c: Context): string | null {
  const header = c.req.header('content-type');
  if (header === undefined) return '';
  const type = header.split(';')[0].trim().toLowerCase();
  return MEDIA_TYPE.test(type) ? type : null;
}

/** Whether the request carries a body: by its length when it says, else by reading it (Hono keeps it for the handler). */
async function hasBody(c: Context): Promise<boolean> {
  const length = c.req.header('content-length');
  if (length !== undefined) return length.trim() !== '0';
  if (c.req.raw.body === null) return false;
  return (await c.req.arrayBuffer()).byteLength > 0;
}

/** A write whose body a plain HTML form (or a no-cors fetch) could send: a form, plain text, or a body of no stated type. */
export async function isFormLikeWrite(c: Context): Promise<boolean> {
  if (!WRITES.has(c.req.method)) return false;
  const type = mediaType(c);
  if (type === null) return true;
  if (type === '') return hasBody(c);
  return FORM_TYPES.has(type);
}

/** Confluence's rule: a form-like write is refused unless it carries `X-Atlassian-Token: no-check`. */
export function confluenceXsrfCheck(refuse: (c: Context) => Response): MiddlewareHandler {
  return async (c, next) => {
    const token = c.req.header(NO_CHECK_HEADER)?.trim().toLowerCase();
    if (token !== undefined && NO_CHECK_VALUES.has(token)) return next();
    if (await isFormLikeWrite(c)) return refuse(c);
    return next();
  };
}

const isJson = (type: string) => type === 'application/json' || /^application\/[\w!#$&^.-]+\+json$/.test(type);

/** The Umbraco face takes JSON bodies only: any other body on a write is refused. */
export function jsonBodiesOnly(refuse: (c: Context) => Response): MiddlewareHandler {
  return async (c, next) => {
    if (!WRITES.has(c.req.method)) return next();
    const type = mediaType(c);
    if (type === '' ? await hasBody(c) : type === null || !isJson(type)) return refuse(c);
    return next();
  };
}
