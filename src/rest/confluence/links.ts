// Confluence links: `base` is PUBLIC_URL + context, `self` is absolute, everything else is a
// path relative to `base` that starts with /rest/api.

export const API = '/rest/api';

export interface Links {
  /** PUBLIC_URL followed by the context. */
  base: string;
  /** "/wiki" (Cloud) or "" (Server/Data Center). */
  context: string;
}

export function linksFor(publicUrl: string, context: string): Links {
  return { base: publicUrl + context, context };
}

const encode = encodeURIComponent;

export const contentPath = (id: number | string) => `${API}/content/${encode(String(id))}`;
export const spacePath = (key: string) => `${API}/space/${encode(key)}`;
export const userPath = (accountId: string) => `${API}/user?accountId=${encode(accountId)}`;
export const longTaskPath = (id: string) => `${API}/longtask/${encode(id)}`;

export function absolute(links: Links, path: string): string {
  return links.base + path;
}

/** A query key or value as URLSearchParams writes it; the usual words and numbers need no encoding. */
function formEncode(text: string): string {
  return /^[\w.*-]*$/.test(text) ? text : new URLSearchParams([['', text]]).toString().slice(1);
}

/** A path with query parameters, leaving out the empty ones. */
export function withQuery(path: string, params: Record<string, string | number | undefined | null>): string {
  let query = '';
  for (const key in params) {
    const value = params[key];
    if (value === undefined || value === null || value === '') continue;
    query += `${query ? '&' : ''}${formEncode(key)}=${formEncode(String(value))}`;
  }
  if (!query) return path;
  return path + (path.includes('?') ? '&' : '?') + query;
}

/** `_links` of a top-level answer. */
export function topLinks(links: Links, selfPath: string, extra: Record<string, string> = {}) {
  return { base: links.base, context: links.context, self: absolute(links, selfPath), ...extra };
}
