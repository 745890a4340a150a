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

/** The page sizes of the nested walk's three levels. */
export const NESTED_PAGES = { favourites: 25, likers: 10, watches: 5 } as const;

const NESTED_CONTENT = 'id title space { key name }';
const NESTED_CREATOR = `relationData { createdBy { ${USER_FIELDS} } }`;

/**
 * From the bench user: its favourites, each target's likers, each liker's watches, with the ends' titles, spaces
 * and creators. Likers and watches newest first: the seed's nested-walk rows (bench/data.ts) at every data size.
 */
export const GRAPHQL_NESTED_QUERY = `query Nested($favourites: Int!, $likers: Int!, $watches: Int!) {
  me {
    relationsFrom(name: "favourite", first: $favourites) {
      nodes {
        id
        ${NESTED_CREATOR}
        target { ... on Content { ${NESTED_CONTENT}
          relationsTo(name: "likes", sourceType: USER, first: $likers, orderBy: CREATED_DESC) {
            nodes {
              id
              ${NESTED_CREATOR}
              source { ... on User { accountId displayName
                relationsFrom(name: "watch", first: $watches, orderBy: CREATED_DESC) {
                  nodes { id ${NESTED_CREATOR} target { ... on Content { ${NESTED_CONTENT} } } }
                }
              } }
            }
          }
        } }
      }
    }
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

const PG_NESTED_CONTENT = 'rowId title space: spaceBySpaceId { key name }';

/**
 * The nested walk through PostGraphile's relation fields: content → its relations, user → its relations. The
 * favourites are the viewer's own (a private name), every like comes from a user, watches only of what the
 * viewer may view (visibleTo: current and visible, as ours).
 */
export const POSTGRAPHILE_NESTED_QUERY = `query Nested($viewer: Int!, $favourites: Int!, $likers: Int!, $watches: Int!) {
  allRelations(condition: { sourceUserId: $viewer, name: "favourite", visibleTo: $viewer }, orderBy: PRIMARY_KEY_ASC, first: $favourites) {
    nodes {
      rowId
      ${PG_CREATOR}
      target: contentByTargetContentId { ${PG_NESTED_CONTENT}
        likes: relationsByTargetContentId(condition: { name: "likes" }, orderBy: PRIMARY_KEY_DESC, first: $likers) {
          nodes {
            rowId
            ${PG_CREATOR}
            source: userBySourceUserId { accountId displayName
              watches: relationsBySourceUserId(condition: { name: "watch", visibleTo: $viewer }, orderBy: PRIMARY_KEY_DESC, first: $watches) {
                nodes { rowId ${PG_CREATOR} target: contentByTargetContentId { ${PG_NESTED_CONTENT} } }
              }
            }
          }
        }
      }
    }
  }
}`;

export const POSTGRAPHILE_PUT = `mutation Put($viewer: Int!, $name: String!, $account: String!, $content: Int!) {
  putRelation(input: { viewer: $viewer, name: $name, sourceAccountId: $account, contentId: $content }) {
    result { rowId name createdAt source: userBySourceUserId { accountId } target: contentByTargetContentId { rowId } ${PG_CREATOR} }
  }
}`;

export const POSTGRAPHILE_REMOVE = `mutation Remove($viewer: Int!, $name: String!, $account: String!, $content: Int!) {
  removeRelation(input: { viewer: $viewer, name: $name, sourceAccountId: $account, contentId: $content }) { result }
}`;
