// Which face a URL belongs to, and what that face's error body must look like.
import { expect } from 'vitest';
import { streamedResults } from '../support/streams.js';

export type Face = 'graphql' | 'confluence' | 'umbraco' | 'other';

export function faceOf(url: string): Face {
  const { pathname } = new URL(url);
  if (pathname === '/graphql') return 'graphql';
  if (/^\/(wiki\/)?rest\/api(\/|$)/.test(pathname)) return 'confluence';
  if (/^\/umbraco(\/|$)/.test(pathname)) return 'umbraco';
  return 'other';
}

export function expectConfluenceError(body: any, status: number): void {
  expect(body).toMatchObject({
    statusCode: status,
    data: { authorized: expect.any(Boolean), valid: expect.any(Boolean), successful: false },
    message: expect.any(String),
  });
  expect(body.data.errors).toEqual([{ message: { translation: expect.any(String), args: [] } }]);
}

export function expectUmbracoError(body: any): void {
  expect(body).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
}

export function expectGraphQLErrors(body: any, code?: string): void {
  expect(body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ message: expect.any(String) })]));
  if (code) expect(body.errors.map((e: any) => e.extensions?.code)).toContain(code);
}

/** A non-5xx answer whose body, when it is an error, is in the face's own format. */
export async function expectFaceAnswer(response: Response, face: Face, label: string): Promise<void> {
  const text = await response.text();
  const where = `${label} → ${response.status} ${text.slice(0, 300)}`;
  expect(response.status, where).toBeLessThan(500);
  if (face === 'other' || response.status === 204) return;
  const type = response.headers.get('content-type') ?? '';
  const streamed = face === 'graphql' ? streamedResults(text, type) : undefined;
  if (streamed) expect(streamed.length, where).toBeGreaterThan(0);
  let body: any = streamed;
  try {
    body ??= JSON.parse(text);
  } catch {
    // GraphiQL and the API docs page are HTML; anything else must be JSON.
    expect(type, where).toMatch(/text\/html/);
    return;
  }
  if (face === 'graphql') {
    const results = Array.isArray(body) ? body : [body];
    for (const result of results) expect('data' in result || 'errors' in result, where).toBe(true);
    // A masked resolver failure inside a 200 is a 500 in disguise.
    const codes = results.flatMap((result: any) => (result.errors ?? []).map((e: any) => e.extensions?.code));
    expect(codes, where).not.toContain('INTERNAL_SERVER_ERROR');
    if (response.status >= 400) for (const result of results) expect(result.errors?.length, where).toBeGreaterThan(0);
    return;
  }
  if (response.status < 400) return;
  try {
    if (face === 'confluence') expectConfluenceError(body, response.status);
    else expectUmbracoError(body);
  } catch (error) {
    throw new Error(`${where}: ${(error as Error).message}`);
  }
}
