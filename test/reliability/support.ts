// Shared by the reliability tests: a seeded PRNG, HTTP against served gateways, and the database's invariants.
import type { PrismaClient } from '../../src/generated/prisma/client.js';

/** The storm's seed: RELIABILITY_SEED replays a failing run. */
export const SEED = Number(process.env.RELIABILITY_SEED) || Date.now() % 1_000_000;

/** Heavier variants run with RELIABILITY_LONG=1 (set by CI's long stage). */
export const LONG = process.env.RELIABILITY_LONG === '1';

/** mulberry32: small, fast and reproducible. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
  };
}

export interface Answer {
  status: number;
  body: any;
}

/** One request to a gateway listening at `url`; the body is parsed when there is one. */
export async function http(url: string, method: string, path: string, token?: string, json?: unknown): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (json !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url + path, { method, headers, body: json === undefined ? undefined : JSON.stringify(json) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

export type Violations = Record<string, unknown[]>;

/**
 * Everything that would mean a half-written or inconsistent database; each list must be empty.
 * Foreign keys and checks should make these impossible; this proves it from the data itself.
 */
export async function invariantViolations(prisma: PrismaClient): Promise<Violations> {
  const q = <T>(sql: TemplateStringsArray) => prisma.$queryRaw<T[]>(sql);
  return {
    contentWithoutItsVersionRow: await q`
      SELECT c.id FROM content c
      WHERE NOT EXISTS (SELECT 1 FROM content_versions v WHERE v.content_id = c.id AND v.number = c.version)`,
    versionsNotContiguous: await q`
      SELECT c.id, c.version, count(v.number)::int AS rows, min(v.number) AS first, max(v.number) AS last
      FROM content c LEFT JOIN content_versions v ON v.content_id = c.id
      GROUP BY c.id, c.version
      HAVING count(v.number) <> c.version OR min(v.number) <> 1 OR max(v.number) <> c.version`,
    latestVersionDisagrees: await q`
      SELECT c.id FROM content c JOIN content_versions v ON v.content_id = c.id AND v.number = c.version
      WHERE v.title <> c.title OR v.status <> c.status`,
    relationToMissingEntity: await q`
      SELECT r.id FROM relations r
      WHERE NOT CASE r.source_type
          WHEN 'USER' THEN EXISTS (SELECT 1 FROM users u WHERE u.id = r.source_id)
          WHEN 'SPACE' THEN EXISTS (SELECT 1 FROM spaces s WHERE s.id = r.source_id)
          ELSE EXISTS (SELECT 1 FROM content c WHERE c.id = r.source_id) END
        OR NOT CASE r.target_type
          WHEN 'USER' THEN EXISTS (SELECT 1 FROM users u WHERE u.id = r.target_id)
          WHEN 'SPACE' THEN EXISTS (SELECT 1 FROM spaces s WHERE s.id = r.target_id)
          ELSE EXISTS (SELECT 1 FROM content c WHERE c.id = r.target_id) END`,
    relationPinnedToMissingVersion: await q`
      SELECT r.id FROM relations r
      WHERE (r.source_version > 0 AND NOT EXISTS (SELECT 1 FROM content_versions v WHERE v.content_id = r.source_id AND v.number = r.source_version))
         OR (r.target_version > 0 AND NOT EXISTS (SELECT 1 FROM content_versions v WHERE v.content_id = r.target_id AND v.number = r.target_version))`,
    duplicateRelations: await q`
      SELECT name, source_type, source_id, source_version, target_type, target_id, target_version, count(*)::int AS n
      FROM relations GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING count(*) > 1`,
    contentInMissingSpace: await q`SELECT c.id FROM content c WHERE NOT EXISTS (SELECT 1 FROM spaces s WHERE s.id = c.space_id)`,
    unfinishedMigrations: await q`
      SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NULL OR rolled_back_at IS NOT NULL`,
  };
}

/** The violations keyed by kind, with only the non-empty kinds kept: `{}` when the database is consistent. */
export async function violations(prisma: PrismaClient): Promise<Violations> {
  const all = await invariantViolations(prisma);
  return Object.fromEntries(Object.entries(all).filter(([, rows]) => rows.length > 0));
}
