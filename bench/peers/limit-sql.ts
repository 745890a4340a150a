// The limit's statements over our own tables: one prepared statement per request, the anchor's key and the
// permission rule inside it. $viewer is taken on trust (no authentication cost).

const visible = (s: string, viewer: string) => `(${s}.public OR EXISTS (SELECT 1 FROM space_members m WHERE m.space_id = ${s}.id AND m.user_id = ${viewer}))`;

const contentEnd = `c.id AS content_id, c.type, c.status, c.title, c.version, s.id AS space_id, s.key AS space_key, s.name AS space_name`;
const creator = `cu.id AS creator_id, cu.account_id AS creator_account_id, cu.username AS creator_username,
  cu.display_name AS creator_display_name, cu.email AS creator_email`;

/** A user's own likes: $1 name, $2 the user (also the viewer), $3 after id, $4 limit. */
export const FROM_USER = `
  SELECT r.id, r.created_at, ${contentEnd}, ${creator}
  FROM relations r
  JOIN content c ON c.id = r.target_content_id
  JOIN spaces s ON s.id = c.space_id
  LEFT JOIN users cu ON cu.id = r.created_by_id
  WHERE r.name = $1 AND r.source_type = 'USER' AND r.source_id = $2 AND r.source_version = 0
    AND r.target_type = 'CONTENT' AND r.target_version = 0 AND c.status = 'current' AND r.id > $3
    AND ${visible('s', '$2')}
  ORDER BY r.id LIMIT $4`;

/**
 * Another user's relations by accountId: $1 name, $2 accountId, $3 viewer, $4 after id, $5 limit. The user id as a
 * scalar subquery: joined instead, the plan sorted all of the user's relations (thousands) to return 25.
 */
export const FROM_ACCOUNT = `
  SELECT r.id, r.created_at, ${contentEnd}, ${creator}
  FROM relations r
  JOIN content c ON c.id = r.target_content_id
  JOIN spaces s ON s.id = c.space_id
  LEFT JOIN users cu ON cu.id = r.created_by_id
  WHERE r.source_id = (SELECT a.id FROM users a WHERE a.account_id = $2) AND r.name = $1 AND r.source_type = 'USER' AND r.source_version = 0
    AND r.target_type = 'CONTENT' AND r.target_version = 0 AND c.status = 'current' AND r.id > $4
    AND ${visible('s', '$3')}
  ORDER BY r.id LIMIT $5`;

/** Users related to a content the viewer may view: $1 name, $2 content id, $3 viewer, $4 after id, $5 limit. */
export const TO_CONTENT = `
  SELECT r.id, r.created_at, su.id AS source_id, su.account_id, su.username, su.display_name, su.email, ${creator}
  FROM relations r
  JOIN users su ON su.id = r.source_id
  LEFT JOIN users cu ON cu.id = r.created_by_id
  WHERE r.name = $1 AND r.target_type = 'CONTENT' AND r.target_id = $2 AND r.target_version = 0
    AND r.source_type = 'USER' AND r.source_version = 0 AND r.id > $4
    AND EXISTS (SELECT 1 FROM content c JOIN spaces s ON s.id = c.space_id WHERE c.id = $2 AND c.status = 'current' AND ${visible('s', '$3')})
  ORDER BY r.id LIMIT $5`;

/** Relations of every name from a content to contents in any state, both visible (Umbraco): $1 parent, $2 viewer. */
export const PARENT = `
  SELECT r.id, r.name, r.source_id, r.target_id, r.comment, r.created_at
  FROM relations r
  JOIN content c ON c.id = r.target_id
  JOIN spaces s ON s.id = c.space_id
  WHERE r.source_content_id = $1 AND r.source_type = 'CONTENT' AND r.source_version = 0 AND r.target_type = 'CONTENT'
    AND ${visible('s', '$2')}
    AND EXISTS (SELECT 1 FROM content pc JOIN spaces ps ON ps.id = pc.space_id WHERE pc.id = $1 AND ${visible('ps', '$2')})
  ORDER BY r.id LIMIT 10000`;

/** One relation from a user (by accountId) to a content: $1 name, $2 accountId, $3 content id, $4 viewer. */
export const ONE = `
  SELECT r.id, r.created_at, ${contentEnd}, ${creator}
  FROM users a
  JOIN relations r ON r.source_id = a.id
  JOIN content c ON c.id = r.target_content_id
  JOIN spaces s ON s.id = c.space_id
  LEFT JOIN users cu ON cu.id = r.created_by_id
  WHERE a.account_id = $2 AND r.name = $1 AND r.source_type = 'USER' AND r.source_version = 0
    AND r.target_type = 'CONTENT' AND r.target_id = $3 AND r.target_version = 0 AND c.status = 'current'
    AND ${visible('s', '$4')}`;

/** Creates (or returns) the viewer's relation to a content it may view: $1 name, $2 accountId, $3 content id, $4 viewer. */
export const PUT = `
  WITH ends AS (
    SELECT a.id AS user_id, c.id AS content_id
    FROM users a, content c JOIN spaces s ON s.id = c.space_id
    WHERE a.account_id = $2 AND a.id = $4 AND c.id = $3 AND c.status = 'current' AND ${visible('s', '$4')}),
  put AS (
    INSERT INTO relations AS r (name, source_type, source_id, target_type, target_id, source_user_id, target_content_id, created_by_id)
    SELECT $1, 'USER', user_id, 'CONTENT', content_id, user_id, content_id, $4 FROM ends
    ON CONFLICT (name, source_type, source_id, source_version, target_type, target_id, target_version) DO UPDATE SET name = EXCLUDED.name
    RETURNING r.id, r.name, r.created_at, r.created_by_id, r.target_id, (xmax = 0) AS created)
  SELECT put.*, cu.account_id AS creator_account_id, cu.display_name AS creator_display_name
  FROM put LEFT JOIN users cu ON cu.id = put.created_by_id`;

/** Deletes the viewer's relation: $1 name, $2 accountId, $3 content id, $4 viewer. */
export const DELETE = `
  DELETE FROM relations r USING users a
  WHERE a.account_id = $2 AND a.id = $4 AND r.name = $1 AND r.source_type = 'USER' AND r.source_id = a.id
    AND r.source_version = 0 AND r.target_type = 'CONTENT' AND r.target_id = $3 AND r.target_version = 0`;

// The nested walk, one statement per level (the parents of a level as one array, a page per parent).

/** The viewer's own favourites it may view: $1 viewer, $2 limit. */
export const NESTED_FAVOURITES = `
  SELECT r.id, r.created_at, ${contentEnd}, ${creator}
  FROM relations r
  JOIN content c ON c.id = r.target_content_id
  JOIN spaces s ON s.id = c.space_id
  LEFT JOIN users cu ON cu.id = r.created_by_id
  WHERE r.name = 'favourite' AND r.source_type = 'USER' AND r.source_id = $1 AND r.source_version = 0
    AND r.target_type = 'CONTENT' AND r.target_version = 0 AND c.status = 'current' AND ${visible('s', '$1')}
  ORDER BY r.id LIMIT $2`;

/** The newest likers of each content (contents the previous level showed the viewer): $1 content ids, $2 limit per content. */
export const NESTED_LIKERS = `
  SELECT a.id AS parent, x.* FROM unnest($1::int[]) AS a(id) CROSS JOIN LATERAL (
    SELECT r.id, r.created_at, su.id AS source_id, su.account_id, su.username, su.display_name, su.email, ${creator}
    FROM relations r
    JOIN users su ON su.id = r.source_id
    LEFT JOIN users cu ON cu.id = r.created_by_id
    WHERE r.name = 'likes' AND r.target_type = 'CONTENT' AND r.target_id = a.id AND r.target_version = 0
      AND r.source_type = 'USER' AND r.source_version = 0
    ORDER BY r.id DESC LIMIT $2) x`;

/** The newest watches of each user that the viewer may view: $1 user ids, $2 viewer, $3 limit per user. */
export const NESTED_WATCHES = `
  SELECT a.id AS parent, x.* FROM unnest($1::int[]) AS a(id) CROSS JOIN LATERAL (
    SELECT r.id, r.created_at, ${contentEnd}, ${creator}
    FROM relations r
    JOIN content c ON c.id = r.target_content_id
    JOIN spaces s ON s.id = c.space_id
    LEFT JOIN users cu ON cu.id = r.created_by_id
    WHERE r.name = 'watch' AND r.source_type = 'USER' AND r.source_id = a.id AND r.source_version = 0
      AND r.target_type = 'CONTENT' AND r.target_version = 0 AND c.status = 'current' AND ${visible('s', '$2')}
    ORDER BY r.id DESC LIMIT $3) x`;
