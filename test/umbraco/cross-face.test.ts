// One relation model behind every face: what the Umbraco face writes the others read, and back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../support/app.js';
import { management, space, startWorld, type World } from './world.js';

let world: World;
let editor: Account;
let home: string;
let about: string;

const RELATION = `query ($name: String!, $source: EntityRef!, $target: EntityRef!) {
  relation(name: $name, source: $source, target: $target) { name relationData { comment } }
}`;

const CREATE = `mutation ($input: RelationInput!) {
  createRelation(input: $input) { __typename ... on CreateRelationSuccess { created relation { name } } }
}`;

const content = (key: string) => ({ type: 'CONTENT', key });

beforeAll(async () => {
  world = await startWorld();
  editor = await world.account('Editor');
  await space(world, editor.user, 'XF');
  home = await world.page(editor.user, 'XF', 'Home');
  about = await world.page(editor.user, 'XF', 'About');
});

afterAll(() => world?.stop());

describe('a relation created on the Umbraco face', () => {
  it('is the same relation over GraphQL, comment included', async () => {
    await management(world, editor.token).relation.create({ parentId: home, childId: about, relationTypeAlias: 'umbracoMade', comment: 'from Umbraco' });
    const { body } = await world.graphql(RELATION, { name: 'umbracoMade', source: content(home), target: content(about) }, editor.token);
    expect(body.errors).toBeUndefined();
    expect(body.data.relation).toEqual({ name: 'umbracoMade', relationData: { comment: 'from Umbraco' } });
  });

  it('is the same relation over the Confluence REST face', async () => {
    // Its own alias: a create of an existing relation keeps the first one's comment, so sharing the
    // previous test's relation would make that test depend on running first.
    await management(world, editor.token).relation.create({ parentId: home, childId: about, relationTypeAlias: 'umbracoSeen' });
    const response = await world.request(`/rest/api/relation/umbracoSeen/from/content/${home}/to/content/${about}`, { token: editor.token });
    expect(response.status).toBe(200);
    expect((await response.json()).name).toBe('umbracoSeen');
  });

  it('once deleted here, is gone over GraphQL', async () => {
    const made = await management(world, editor.token).relation.create({ parentId: about, childId: home, relationTypeAlias: 'umbracoGone' });
    await management(world, editor.token).relation.delete(String(made._id));
    const { body } = await world.graphql(RELATION, { name: 'umbracoGone', source: content(about), target: content(home) }, editor.token);
    expect(body.data.relation).toBeNull();
  });
});

describe('a relation created elsewhere', () => {
  it('from GraphQL is listed by the Umbraco face', async () => {
    const { body } = await world.graphql(CREATE, { input: { name: 'graphqlMade', source: content(about), target: content(home), comment: 'via GraphQL' } }, editor.token);
    expect(body.data.createRelation).toEqual({ __typename: 'CreateRelationSuccess', created: true, relation: { name: 'graphqlMade' } });
    const listed = await management(world, editor.token).relation.byAlias('graphqlMade');
    expect(listed).toEqual([expect.objectContaining({ parentId: about, childId: home, relationTypeAlias: 'graphqlMade', comment: 'via GraphQL' })]);
  });

  it('from the Confluence REST face is listed by parent and child', async () => {
    const put = await world.request(`/rest/api/relation/confluenceMade/from/content/${home}/to/content/${about}`, { method: 'PUT', token: editor.token });
    expect(put.status).toBe(200);
    const client = management(world, editor.token);
    expect((await client.relation.byParent(home)).map((r) => r.relationTypeAlias)).toContain('confluenceMade');
    expect((await client.relation.byChild(about)).map((r) => r.relationTypeAlias)).toContain('confluenceMade');
    expect((await client.relationType.byAlias('confluenceMade')).alias).toBe('confluenceMade');
  });
});
