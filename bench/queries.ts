// The GraphQL documents each server is sent: ours, and PostGraphile's over the peer schema, field for field.

const CONTENT_END = 'id type status title version { number } space { id key name }';
const USER_FIELDS = 'accountId username displayName email';

/** The bench user's own likes (the `current` key), as measured since the first benchmark. */
export const GRAPHQL_QUERY = `query Likes($first: Int!, $after: String) {
  relationsFrom(name: "likes", source: { type: USER, key: "current" }, targetType: CONTENT, first: $first, after: $after) {
    nodes {
      id
      target { ... on Content { ${CONTENT_END} } }
      relationData { createdDate createdBy { ${USER_FIELDS} } }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** A user's likes by any user key (another user's accountId here). */
export const GRAPHQL_FROM_QUERY = `query LikesOf($source: String!, $first: Int!) {
  relationsFrom(name: "likes", source: { type: USER, key: $source }, targetType: CONTENT, first: $first) {
    nodes {
      id
      target { ... on Content { ${CONTENT_END} } }
      relationData { createdDate createdBy { ${USER_FIELDS} } }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** The users who like a content. */
export const GRAPHQL_TO_QUERY = `query LikedBy($content: String!, $first: Int!) {
  relationsTo(name: "likes", target: { type: CONTENT, key: $content }, sourceType: USER, first: $first) {
    nodes {
      id
      source { ... on User { ${USER_FIELDS} } }
      relationData { createdDate createdBy { ${USER_FIELDS} } }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

const PG_CONTENT_END = 'target: contentByTargetContentId { rowId type status title version space: spaceBySpaceId { rowId key name } }';
const PG_CREATOR = `createdBy: userByCreatedById { ${USER_FIELDS} }`;
const page = (condition: string, nodes: string) => `allRelations(condition: { ${condition} }, orderBy: PRIMARY_KEY_ASC, first: $first) {
    nodes { ${nodes} }
    pageInfo { hasNextPage endCursor }
  }`;

export const POSTGRAPHILE_QUERY = `query Likes($viewer: Int!, $first: Int!) {
  ${page('sourceUserId: $viewer, name: "likes", visibleTo: $viewer', `rowId createdAt ${PG_CONTENT_END} ${PG_CREATOR}`)}
}`;

export const POSTGRAPHILE_FROM_QUERY = `query LikesOf($viewer: Int!, $account: String!, $first: Int!) {
  ${page('sourceAccountId: $account, name: "likes", visibleTo: $viewer', `rowId createdAt ${PG_CONTENT_END} ${PG_CREATOR}`)}
}`;

export const POSTGRAPHILE_TO_QUERY = `query LikedBy($viewer: Int!, $content: Int!, $first: Int!) {
  ${page('targetContentId: $content, name: "likes", visibleTo: $viewer', `rowId createdAt source: userBySourceUserId { ${USER_FIELDS} } ${PG_CREATOR}`)}
}`;

/** Umbraco's parent list: every name, children in any state, both ends visible. */
export const POSTGRAPHILE_PARENT_QUERY = `query Children($viewer: Int!, $content: Int!, $first: Int!) {
  ${page('sourceContentId: $content, sourceVisibleTo: $viewer, targetVisibleTo: $viewer', 'rowId name sourceContentId targetContentId comment createdAt')}
}`;

export const POSTGRAPHILE_ONE_QUERY = `query One($viewer: Int!, $account: String!, $content: Int!, $first: Int!) {
  ${page('name: "likes", sourceAccountId: $account, targetContentId: $content, visibleTo: $viewer', `rowId createdAt ${PG_CONTENT_END} ${PG_CREATOR}`)}
}`;

export const POSTGRAPHILE_PUT = `mutation Put($viewer: Int!, $name: String!, $account: String!, $content: Int!) {
  putRelation(input: { viewer: $viewer, name: $name, sourceAccountId: $account, contentId: $content }) {
    result { rowId name createdAt source: userBySourceUserId { accountId } target: contentByTargetContentId { rowId } ${PG_CREATOR} }
  }
}`;

export const POSTGRAPHILE_REMOVE = `mutation Remove($viewer: Int!, $name: String!, $account: String!, $content: Int!) {
  removeRelation(input: { viewer: $viewer, name: $name, sourceAccountId: $account, contentId: $content }) { result }
}`;
