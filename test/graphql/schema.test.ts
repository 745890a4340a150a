import { readFileSync } from 'node:fs';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { maskError } from '../../src/graphql/errors.js';
import { printedSchema } from '../../src/graphql/schema/print.js';
import { NotFoundError } from '../../src/domain/errors.js';

const checkedIn = readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8');

describe('schema.graphql', () => {
  it('is the schema the code prints (run `npm run schema:print` after changing the schema)', () => {
    expect(checkedIn).toBe(printedSchema());
  });

  it.each([
    'enum EntityType {\n  CONTENT\n  SPACE\n  USER\n}',
    'union RelationEntity = Content | Space | User',
    'type Relation implements Node {\n  id: ID!\n  name: String!\n  relationData: RelationData!\n  source: RelationEntity!\n  sourceType: EntityType!\n  target: RelationEntity!\n  targetType: EntityType!\n}',
    'type RelationData {\n  comment: String\n  createdBy: User\n  createdDate: DateTime!',
    'friendlyCreatedDate: String!',
    'edges: [RelationEdge!]!\n  nodes: [Relation!]!\n  pageInfo: PageInfo!',
    'totalCount: Int!',
    'relation(name: String!, source: EntityRef!, target: EntityRef!): Relation\n',
    'me: User!',
    'user(key: String!): User\n',
    'space(key: String!): Space\n',
    'content(id: ID!, status: String, version: Int): Content\n',
    'node(id: ID!): Node\n',
    'interface Error {\n  message: String!\n}',
    'type NotFoundError implements Error {\n  message: String!\n}',
    'type ForbiddenError implements Error {\n  message: String!\n}',
    'type ValidationError implements Error {\n  field: String\n  message: String!\n}',
    'type CreateRelationSuccess {',
    'created: Boolean!',
    'relation: Relation!',
    'type DeleteRelationSuccess {',
    'deleted: Boolean!',
    'union CreateRelationResult = CreateRelationSuccess | ForbiddenError | NotFoundError | ValidationError',
    'union DeleteRelationResult = DeleteRelationSuccess | ForbiddenError | NotFoundError | ValidationError',
    'createRelation(input: RelationInput!): CreateRelationResult!',
    'deleteRelation(input: RelationInput!): DeleteRelationResult!',
    'input RelationInput {\n  comment: String\n  name: String!\n  source: EntityRef!\n  target: EntityRef!\n}',
  ])('contains the contract: %s', (sdl) => {
    expect(checkedIn).toContain(sdl);
  });

  it('has the EntityRef input and the list fields of the contract', () => {
    expect(checkedIn).toMatch(/input EntityRef \{[^}]*key: String!\n[^}]*status: String\n[^}]*type: EntityType!\n[^}]*version: Int\n\}/);
    const query = checkedIn.slice(checkedIn.indexOf('type Query {'));
    const field = (name: string) => query.slice(query.indexOf(`  ${name}(`), query.indexOf('): RelationConnection!', query.indexOf(`  ${name}(`)) + 22);
    for (const arg of ['after: String\n', 'first: Int\n', 'name: String!\n', 'source: EntityRef!\n', 'targetType: EntityType!\n'])
      expect(field('relationsFrom')).toContain(arg);
    for (const arg of ['after: String\n', 'first: Int\n', 'name: String!\n', 'target: EntityRef!\n', 'sourceType: EntityType!\n'])
      expect(field('relationsTo')).toContain(arg);
    expect(field('relationsTo')).toMatch(/\): RelationConnection!$/);
  });

  it.each(['User', 'Space', 'Content'])('has the traversal fields of the contract on %s', (type) => {
    const block = checkedIn.slice(checkedIn.indexOf(`type ${type} `), checkedIn.indexOf('\n}', checkedIn.indexOf(`type ${type} `)));
    const field = (name: string) => block.slice(block.indexOf(`  ${name}(`), block.indexOf('): ', block.indexOf(`  ${name}(`)) + 24);
    for (const arg of [
      'after: String\n',
      'first: Int\n',
      'name: String\n',
      'orderBy: RelationOrder\n',
      'targetType: EntityType\n',
      'targetStatus: String\n',
      'targetVersion: Int\n',
    ])
      expect(field('relationsFrom')).toContain(arg);
    for (const arg of [
      'after: String\n',
      'first: Int\n',
      'name: String\n',
      'orderBy: RelationOrder\n',
      'sourceType: EntityType\n',
      'sourceStatus: String\n',
      'sourceVersion: Int\n',
    ])
      expect(field('relationsTo')).toContain(arg);
    expect(block).toContain('relationNames(direction: RelationDirection): [RelationNameCount!]!');
  });

  it('has the traversal types of the contract', () => {
    expect(checkedIn).toMatch(/enum RelationDirection \{[^}]*FROM[^}]*TO[^}]*\}/);
    expect(checkedIn).toMatch(/enum RelationOrder \{[^}]*CREATED_ASC[^}]*CREATED_DESC[^}]*\}/);
    expect(checkedIn).toMatch(/type RelationNameCount \{[^}]*count: Int!\n[^}]*direction: RelationDirection!\n[^}]*name: String!\n[^}]*otherType: EntityType!\n/);
  });
});

describe('error masking', () => {
  it("keeps a domain error's code and message and masks anything else", () => {
    const domain = maskError(new GraphQLError('x', { originalError: new NotFoundError('No such thing') }), 'Unexpected error.') as GraphQLError;
    expect(domain.message).toBe('No such thing');
    expect(domain.extensions.code).toBe('NOT_FOUND');
    const bug = maskError(new GraphQLError('x', { originalError: new Error('password=hunter2') }), 'Unexpected error.', false) as GraphQLError;
    expect(bug.message).toBe('Unexpected error.');
    expect(bug.extensions.code).toBe('INTERNAL_SERVER_ERROR');
    expect(JSON.stringify(bug.toJSON())).not.toContain('hunter2');
  });
});
