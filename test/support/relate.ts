// Relations written straight into the table, for tests that need many of them or combinations the write path's
// rules refuse: worlds for traversal, not the write path (which has tests of its own).
import { Prisma } from '../../src/generated/prisma/client.js';
import type { Database } from '../../src/db/database.js';
import type { EntityType } from '../../src/domain/entities.js';

export interface StoredEnd {
  type: EntityType;
  id: number;
}

const typed = (end: StoredEnd, type: EntityType) => (end.type === type ? end.id : null);

/** Inserts each (source, target) pair under `name`, unpinned, created by `createdById`; pairs that exist are skipped. */
export async function insertRelations(db: Database, name: string, pairs: [StoredEnd, StoredEnd][], createdById: number): Promise<void> {
  for (const [s, g] of pairs) {
    await db.prisma.$executeRaw(Prisma.sql`INSERT INTO relations (name, source_type, source_id, source_version, target_type, target_id, target_version,
      source_user_id, source_space_id, source_content_id, target_user_id, target_space_id, target_content_id, created_by_id)
      VALUES (${name}, ${s.type}::"EntityType", ${s.id}, 0, ${g.type}::"EntityType", ${g.id}, 0,
        ${typed(s, 'USER')}::int, ${typed(s, 'SPACE')}::int, ${typed(s, 'CONTENT')}::int,
        ${typed(g, 'USER')}::int, ${typed(g, 'SPACE')}::int, ${typed(g, 'CONTENT')}::int, ${createdById})
      ON CONFLICT DO NOTHING`);
  }
}
