// INTROSPECTION=false as a client meets it: one error per __schema or __type asked for, however deep the selection under it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

let closed: TestApp;

beforeAll(async () => {
  closed = await createTestApp({ introspection: false });
});

afterAll(() => closed?.close());

const refusal = { message: 'GraphQL introspection is disabled', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } };

describe('introspection switched off', () => {
  it('refuses __schema with one error, not one per nested introspection field', async () => {
    const { body } = await closed.graphql('{ __schema { queryType { name } types { name fields { name type { name } } } } }', {}, closed.admin.token);
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([expect.objectContaining(refusal)]);
  });

  it('refuses __schema and an aliased __type with one error each, in document order', async () => {
    const { body } = await closed.graphql('{ t: __type(name: "Relation") { name } __schema { queryType { name } } }', {}, closed.admin.token);
    expect(body.errors).toEqual([
      expect.objectContaining({ ...refusal, locations: [{ line: 1, column: 3 }] }),
      expect.objectContaining({ ...refusal, locations: [{ line: 1, column: 40 }] }),
    ]);
  });

  it('still answers __typename, which is no introspection', async () => {
    const { body } = await closed.graphql('{ __typename me { __typename displayName } }', {}, closed.admin.token);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ __typename: 'Query', me: { __typename: 'User', displayName: 'Admin' } });
  });
});
