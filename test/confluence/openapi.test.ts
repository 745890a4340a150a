import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { expectDocumented, validatorFor } from './support.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

describe('the OpenAPI document', () => {
  it('is served without credentials and is a valid OpenAPI 3.1 document', async () => {
    const response = await t.request('/rest/api/openapi.json');
    expect(response.status).toBe(200);
    const document = await response.json();
    const validator = new Validator();
    const result = await validator.validate(document);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('documents the five relation operations and every entity route', async () => {
    const document = await (await t.request('/wiki/rest/api/openapi.json')).json();
    const operations = Object.entries(document.paths as Record<string, object>).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(operations).toEqual(
      expect.arrayContaining([
        'GET /relation/{relationName}/from/{sourceType}/{sourceKey}/to/{targetType}',
        'GET /relation/{relationName}/to/{targetType}/{targetKey}/from/{sourceType}',
        'GET /relation/{relationName}/from/{sourceType}/{sourceKey}/to/{targetType}/{targetKey}',
        'PUT /relation/{relationName}/from/{sourceType}/{sourceKey}/to/{targetType}/{targetKey}',
        'DELETE /relation/{relationName}/from/{sourceType}/{sourceKey}/to/{targetType}/{targetKey}',
        'GET /space',
        'POST /space',
        'POST /space/_private',
        'GET /space/{spaceKey}',
        'DELETE /space/{spaceKey}',
        'GET /longtask/{id}',
        'GET /content',
        'POST /content',
        'GET /content/{id}',
        'PUT /content/{id}',
        'DELETE /content/{id}',
        'GET /user',
        'GET /user/current',
        'GET /user/watch/content/{contentId}',
        'POST /user/watch/space/{spaceKey}',
      ]),
    );
  });

  it('its schemas reject what the contract forbids, so the response checks can fail', () => {
    const relation = validatorFor('#/components/schemas/Relation');
    expect(relation({ name: 'x', _expandable: {}, _links: {} })).toBe(true);
    expect(relation({ name: 'x', _links: {} })).toBe(false);
    expect(relation({ name: 'x', _expandable: { source: '' }, _links: {} })).toBe(false);
    expect(() => expectDocumented('GET', '/rest/api/space', 418, {})).toThrow();
    expect(() => expectDocumented('GET', '/rest/api/space', 200, { results: [] })).toThrow();
  });

  it('the docs page lists every operation in plain HTML with no external resources', async () => {
    const html = await (await t.request('/rest/api/docs')).text();
    expect(html).toContain('/relation/{relationName}/from/{sourceType}/{sourceKey}/to/{targetType}/{targetKey}');
    expect(html).toContain('/user/watch/space/{spaceKey}');
    expect(html).not.toMatch(/<script|https?:\/\/(?!localhost)[a-z]/i);
  });
});
