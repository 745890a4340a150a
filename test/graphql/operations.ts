// The GraphQL operations the tests share, sent through the app like any client would.
import type { TestApp } from '../support/app.js';

export const user = (key: string) => ({ type: 'USER', key });
export const space = (key: string) => ({ type: 'SPACE', key });
export const content = (id: string, status?: string, version?: number) => ({ type: 'CONTENT', key: id, status, version });

/** Runs an operation that must succeed without errors and returns its data. */
export async function ok<T = any>(t: TestApp, token: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const { status, body } = await t.graphql<T>(query, variables, token);
  if (status !== 200 || body.errors) throw new Error(`GraphQL failed (${status}): ${JSON.stringify(body.errors)}`);
  return body.data as T;
}

/** The `extensions.code` of the first error of an operation expected to fail. */
export async function errorCode(t: TestApp, token: string, query: string, variables: Record<string, unknown> = {}): Promise<string> {
  const { body } = await t.graphql(query, variables, token);
  return body.errors?.[0]?.extensions?.code ?? 'NO ERROR';
}

const RESULT = `__typename ... on Error { message } ... on ValidationError { field }`;

export const CREATE_SPACE = `mutation($input: CreateSpaceInput!) {
  createSpace(input: $input) { ${RESULT} ... on CreateSpaceSuccess { space { id key name type status description public } } } }`;

export const ADD_MEMBER = `mutation($input: AddSpaceMemberInput!) {
  addSpaceMember(input: $input) { ${RESULT} ... on AddSpaceMemberSuccess { space { key } user { displayName } level } } }`;

export const CREATE_CONTENT = `mutation($input: CreateContentInput!) {
  createContent(input: $input) { ${RESULT} ... on CreateContentSuccess { content { id type status title space { key } version { number by { displayName } } } } } }`;

export const UPDATE_CONTENT = `mutation($input: UpdateContentInput!) {
  updateContent(input: $input) { ${RESULT} ... on UpdateContentSuccess { content { id title status version { number } } } } }`;

export const DELETE_CONTENT = `mutation($input: DeleteContentInput!) {
  deleteContent(input: $input) { ${RESULT} ... on DeleteContentSuccess { purged content { id status } } } }`;

export const CREATE_RELATION = `mutation($input: RelationInput!) {
  createRelation(input: $input) {
    ${RESULT}
    ... on CreateRelationSuccess {
      created
      relation {
        id name sourceType targetType
        source { __typename ... on User { accountId } ... on Space { key } ... on Content { id title } }
        target { __typename ... on User { accountId } ... on Space { key } ... on Content { id title status version { number } } }
        relationData { createdBy { accountId } createdDate friendlyCreatedDate comment }
      }
    }
  }
}`;

export const DELETE_RELATION = `mutation($input: RelationInput!) {
  deleteRelation(input: $input) { ${RESULT} ... on DeleteRelationSuccess { deleted } } }`;

export const RELATIONS_FROM = `query($name: String!, $source: EntityRef!, $targetType: EntityType!, $targetStatus: String, $targetVersion: Int, $first: Int, $after: String) {
  relationsFrom(name: $name, source: $source, targetType: $targetType, targetStatus: $targetStatus, targetVersion: $targetVersion, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id } }
    nodes { id target { __typename ... on Content { id title status } ... on Space { key } ... on User { accountId } } }
  }
}`;

export const RELATIONS_TO = `query($name: String!, $target: EntityRef!, $sourceType: EntityType!, $sourceStatus: String, $first: Int) {
  relationsTo(name: $name, target: $target, sourceType: $sourceType, sourceStatus: $sourceStatus, first: $first) {
    totalCount
    nodes { id source { __typename ... on User { accountId } ... on Content { id } ... on Space { key } } }
  }
}`;

export const RELATION = `query($name: String!, $source: EntityRef!, $target: EntityRef!) {
  relation(name: $name, source: $source, target: $target) { id name relationData { createdDate } }
}`;

export async function createSpace(t: TestApp, token: string, key: string, isPublic = true) {
  const data = await ok(t, token, CREATE_SPACE, { input: { key, name: `Space ${key}`, public: isPublic } });
  if (data.createSpace.__typename !== 'CreateSpaceSuccess') throw new Error(JSON.stringify(data));
  return data.createSpace.space;
}

export async function createContent(t: TestApp, token: string, spaceKey: string, title: string): Promise<{ id: string; title: string }> {
  const data = await ok(t, token, CREATE_CONTENT, { input: { spaceKey, title } });
  if (data.createContent.__typename !== 'CreateContentSuccess') throw new Error(JSON.stringify(data));
  return data.createContent.content;
}

export async function addMember(t: TestApp, token: string, spaceKey: string, userKey: string, level: string) {
  const data = await ok(t, token, ADD_MEMBER, { input: { spaceKey, user: userKey, level } });
  if (data.addSpaceMember.__typename !== 'AddSpaceMemberSuccess') throw new Error(JSON.stringify(data));
}

export async function relate(t: TestApp, token: string, name: string, source: object, target: object, comment?: string) {
  return (await ok(t, token, CREATE_RELATION, { input: { name, source, target, comment } })).createRelation;
}

export async function unrelate(t: TestApp, token: string, name: string, source: object, target: object) {
  return (await ok(t, token, DELETE_RELATION, { input: { name, source, target } })).deleteRelation;
}

export async function relationsFrom(t: TestApp, token: string, variables: Record<string, unknown>) {
  return (await ok(t, token, RELATIONS_FROM, variables)).relationsFrom;
}
