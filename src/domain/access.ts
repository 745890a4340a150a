// Who may do what. The functions here decide; services call them, faces never do.
import type { SpaceLevel } from '../generated/prisma/enums.js';

export type Level = SpaceLevel;
const RANK: Record<Level, number> = { VIEW: 1, EDIT: 2, ADMIN: 3 };

export interface Viewer {
  id: number;
  siteAdmin: boolean;
  tokenId: number;
}

export interface SpaceAccess {
  public: boolean;
  /** The viewer's membership level in the space, if any. */
  memberLevel: Level | null;
}

/** The level the viewer holds in a space: site admins hold ADMIN, public spaces give VIEW. */
export function levelIn(viewer: Viewer, space: SpaceAccess): Level | null {
  if (viewer.siteAdmin) return 'ADMIN';
  if (space.memberLevel) return space.memberLevel;
  return space.public ? 'VIEW' : null;
}

export function hasLevel(viewer: Viewer, space: SpaceAccess, needed: Level): boolean {
  const level = levelIn(viewer, space);
  return level !== null && RANK[level] >= RANK[needed];
}

export const LEVELS: Level[] = ['VIEW', 'EDIT', 'ADMIN'];
