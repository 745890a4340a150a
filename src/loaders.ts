// One set per request: every lookup of an entity by id or key is batched into one statement per type.
import DataLoader from 'dataloader';
import type { PrismaClient } from './generated/prisma/client.js';
import type { Content, ContentVersion, Space, User } from './generated/prisma/client.js';
import type { Level, Viewer } from './domain/access.js';
import { USER_KEY_FIELDS } from './domain/entities.js';

export interface Loaders {
  users: DataLoader<number, User | null>;
  /** accountId, userKey or username, in the order of USER_KEY_FIELDS. */
  usersByKey: DataLoader<string, User | null>;
  spaces: DataLoader<number, Space | null>;
  spacesByKey: DataLoader<string, Space | null>;
  contents: DataLoader<number, Content | null>;
  /** Key: `${contentId}:${number}`. */
  contentVersions: DataLoader<string, ContentVersion | null>;
  /** The viewer's membership level per space id. */
  memberLevels: DataLoader<number, Level | null>;
}

function byId<T extends { id: number }>(rows: T[], ids: readonly number[]): (T | null)[] {
  const map = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => map.get(id) ?? null);
}

export function createLoaders(prisma: PrismaClient, viewer: Viewer | null): Loaders {
  const users = new DataLoader<number, User | null>(async (ids) => byId(await prisma.user.findMany({ where: { id: { in: [...ids] } } }), ids));
  const spaces = new DataLoader<number, Space | null>(async (ids) => byId(await prisma.space.findMany({ where: { id: { in: [...ids] } } }), ids));
  const contents = new DataLoader<number, Content | null>(async (ids) => byId(await prisma.content.findMany({ where: { id: { in: [...ids] } } }), ids));
  const usersByKey = new DataLoader<string, User | null>(async (keys) => {
    const list = [...keys];
    const rows = await prisma.user.findMany({
      where: { OR: [{ accountId: { in: list } }, { userKey: { in: list } }, { username: { in: list } }] },
    });
    for (const row of rows) users.prime(row.id, row);
    return keys.map((key) => USER_KEY_FIELDS.map((field) => rows.find((u) => u[field] === key)).find(Boolean) ?? null);
  });
  const spacesByKey = new DataLoader<string, Space | null>(async (keys) => {
    const rows = await prisma.space.findMany({ where: { key: { in: [...keys] } } });
    for (const row of rows) spaces.prime(row.id, row);
    return keys.map((key) => rows.find((s) => s.key === key) ?? null);
  });
  const contentVersions = new DataLoader<string, ContentVersion | null>(async (keys) => {
    const pairs = keys.map((key) => key.split(':').map(Number) as [number, number]);
    const rows = await prisma.contentVersion.findMany({
      where: { OR: pairs.map(([contentId, number]) => ({ contentId, number })) },
    });
    return pairs.map(([contentId, number]) => rows.find((v) => v.contentId === contentId && v.number === number) ?? null);
  });
  const memberLevels = new DataLoader<number, Level | null>(async (spaceIds) => {
    if (!viewer) return spaceIds.map(() => null);
    const rows = await prisma.spaceMember.findMany({ where: { userId: viewer.id, spaceId: { in: [...spaceIds] } } });
    return spaceIds.map((id) => rows.find((m) => m.spaceId === id)?.level ?? null);
  });
  return { users, usersByKey, spaces, spacesByKey, contents, contentVersions, memberLevels };
}
