// Relations written straight into the table, for tests that need many of them or combinations the write path's
// rules refuse: worlds for traversal, not the write path (which has tests of its own).
import { Prisma } from '../../src/generated/prisma/client.js';
import type { Database } from '../../src/db/database.js';
import type { EntityType } from '../../src/domain/entities.js';

export interface StoredEnd {
  type: EntityType;
  id: number;
}

/** Inserts each (source, target) pair under `name`, unpinned, created by `createdById`, in one statement; pairs that exist are skipped. */
export async function insertRelations(db: Database, name: string, pairs: [StoredEnd, StoredEnd][], createdById: number): Promise<void> {
  if (pairs.length === 0) return;
  const column = (pick: (pair: [StoredEnd, StoredEnd]) => unknown) => pairs.map(pick);
  // The typed end columns (source_user_id …) follow from type and id, as the table's CHECK constraints require.
  await db.prisma.$executeRaw(Prisma.sql`INSERT INTO relations (name, source_type, source_id, source_version, target_type, target_id, target_version,
      source_user_id, source_space_id, source_content_id, target_user_id, target_space_id, target_content_id, created_by_id)
    SELECT ${name}, st::"EntityType", si, 0, tt::"EntityType", ti, 0,
      CASE WHEN st = 'USER' THEN si END, CASE WHEN st = 'SPACE' THEN si END, CASE WHEN st = 'CONTENT' THEN si END,
      CASE WHEN tt = 'USER' THEN ti END, CASE WHEN tt = 'SPACE' THEN ti END, CASE WHEN tt = 'CONTENT' THEN ti END, ${createdById}
    FROM unnest(${column(([s]) => s.type)}::text[], ${column(([s]) => s.id)}::int[], ${column(([, t]) => t.type)}::text[], ${column(([, t]) => t.id)}::int[])
      WITH ORDINALITY AS p(st, si, tt, ti, n)
    ORDER BY n
    ON CONFLICT DO NOTHING`);
}
