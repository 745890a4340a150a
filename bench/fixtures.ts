// The keys each request shape names, read from a seeded database: who, which page, which relation.
import { accountIdOf, BENCH_USER_ID, OTHER_USER_ID, PARENT_CONTENT_ID, POPULAR_CONTENT_ID, WRITER_USER_ID } from './data.js';

export type Query = (sql: string) => Promise<{ rows: Record<string, unknown>[] }>;

export interface Fixtures {
  /** The user the write shapes write as. */
  writerAccountId: string;
  /** The user whose likes the bench user reads by accountId. */
  otherAccountId: string;
  /** The content many users like (the `to` lists). */
  popularContentId: number;
  /** The content with `related` children (the Umbraco parent list). */
  parentContentId: number;
  /** A content the other user likes and the bench user may view (the single relation GET). */
  oneContentId: number;
}

/** Content in space `s` that user `viewer` may view. */
export const visibleTo = (viewer: number) => `(s.public OR EXISTS (SELECT 1 FROM space_members m WHERE m.space_id = s.id AND m.user_id = ${viewer}))`;

export async function readFixtures(query: Query): Promise<Fixtures> {
  const { rows } = await query(`
    SELECT r.target_id AS id FROM relations r JOIN content c ON c.id = r.target_id JOIN spaces s ON s.id = c.space_id
    WHERE r.name = 'likes' AND r.source_type = 'USER' AND r.source_id = ${OTHER_USER_ID} AND r.target_type = 'CONTENT'
      AND c.status = 'current' AND ${visibleTo(BENCH_USER_ID)}
    ORDER BY r.id LIMIT 1`);
  if (!rows[0]) throw new Error('the seed has no like of the other user that the bench user may view');
  return {
    writerAccountId: accountIdOf(WRITER_USER_ID),
    otherAccountId: accountIdOf(OTHER_USER_ID),
    popularContentId: POPULAR_CONTENT_ID,
    parentContentId: PARENT_CONTENT_ID,
    oneContentId: Number(rows[0].id),
  };
}
