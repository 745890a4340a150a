// Raw HTTP against the Confluence face; every answer is checked against the OpenAPI document.
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { expect } from 'vitest';
import { openApiDocument } from '../../src/rest/confluence/openapi.js';
import type { TestApp } from '../support/app.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ $id: 'openapi', components: openApiDocument.components });

type Operation = { responses: Record<string, { content?: Record<string, { schema: { $ref: string } }> }> };
const templates = Object.entries(openApiDocument.paths as Record<string, Record<string, Operation>>).map(([template, ops]) => ({
  template,
  params: (template.match(/\{/g) ?? []).length,
  pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
  ops,
}));

const validators = new Map<string, ReturnType<Ajv2020['compile']>>();
export function validatorFor(schemaRef: string) {
  let validate = validators.get(schemaRef);
  if (!validate) {
    validate = ajv.compile({ $ref: `openapi${schemaRef}` });
    validators.set(schemaRef, validate);
  }
  return validate;
}

/** Fails unless the documented response for this method, path and status describes the body. */
export function expectDocumented(method: string, url: string, status: number, body: unknown): void {
  const path = new URL(url, 'http://x').pathname.replace(/^(\/wiki)?\/rest\/api/, '');
  const candidates = templates.filter((t) => t.pattern.test(path) && t.ops[method.toLowerCase()]).sort((a, b) => a.params - b.params);
  if (candidates.length === 0) {
    expect(status, `${method} ${path} is not documented, so it must be a 404`).toBe(404);
    expect(validatorFor('#/components/schemas/Error')(body), JSON.stringify(validatorFor('#/components/schemas/Error').errors)).toBe(true);
    return;
  }
  const response = candidates[0].ops[method.toLowerCase()].responses[String(status)];
  expect(response, `${method} ${candidates[0].template} does not document status ${status}`).toBeDefined();
  const ref = response.content?.['application/json']?.schema.$ref;
  if (!ref) {
    expect(body, `${method} ${path} ${status} documents no body`).toBeUndefined();
    return;
  }
  const validate = validatorFor(ref);
  expect(validate(body), `${method} ${path} ${status} vs ${ref}: ${JSON.stringify(validate.errors, null, 1)}`).toBe(true);
}

export interface Answer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface CallInit {
  token?: string;
  json?: unknown;
  body?: string;
  headers?: Record<string, string>;
}

/** One request through the app, parsed and checked against the OpenAPI document. */
export async function call<T = any>(t: TestApp, method: string, path: string, init: CallInit = {}): Promise<Answer<T>> {
  const response = await t.request(path, { method, token: init.token, json: init.json, body: init.body, headers: init.headers });
  const text = await response.text();
  const body = text ? JSON.parse(text) : undefined;
  if (text) expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  expectDocumented(method, path, response.status, body);
  return { status: response.status, body, headers: response.headers };
}

/** The Confluence error body for a status, with its message. */
export function expectError(answer: Answer, status: number, message?: RegExp): void {
  expect(answer.status).toBe(status);
  const authorized = ![401, 403, 404].includes(status);
  const valid = status !== 400;
  expect(answer.body).toEqual({
    statusCode: status,
    data: { authorized, valid, errors: [{ message: { translation: answer.body.message, args: [] } }], successful: false },
    message: expect.any(String),
  });
  if (message) expect(answer.body.message).toMatch(message);
}

/** A small world: a space with two pages, created through the REST face itself. */
export async function createSpaceWithPages(t: TestApp, token: string, key: string, options: { private?: boolean } = {}) {
  const space = await call(t, 'POST', options.private ? '/rest/api/space/_private' : '/rest/api/space', {
    token,
    json: { key, name: `Space ${key}`, description: { plain: { value: `About ${key}`, representation: 'plain' } } },
  });
  expect(space.status).toBe(200);
  const page = async (title: string) => {
    const answer = await call(t, 'POST', '/rest/api/content', { token, json: { type: 'page', title, space: { key } } });
    expect(answer.status).toBe(200);
    return answer.body.id as string;
  };
  return { key, pages: [await page(`${key} one`), await page(`${key} two`)] };
}
