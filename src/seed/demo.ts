// A small, realistic data set, written through the services so it obeys every rule the faces obey.
import { loadConfig, type Config } from '../config.js';
import { createContext, type Ctx } from '../context.js';
import type { Database } from '../db/database.js';
import type { EntityRef } from '../domain/entities.js';
import type { Content, User } from '../generated/prisma/client.js';
import { createContent, trashContent, updateContent } from '../services/content.js';
import { createRelation } from '../services/relations.js';
import { addSpaceMember, createSpace } from '../services/spaces.js';
import { insertUser } from '../services/users.js';

/** The demo's first space; when it exists the demo is considered loaded. */
export const DEMO_SPACE_KEY = 'DEMO';

export interface DemoResult {
  skipped: boolean;
  users: number;
  spaces: number;
  content: number;
  relations: number;
}

const PEOPLE = [
  { email: 'alice@example.com', displayName: 'Alice Andersen' },
  { email: 'bob@example.com', displayName: 'Bob Brown' },
  { email: 'carol@example.com', displayName: 'Carol Chen' },
  { email: 'dave@example.com', displayName: 'Dave Diaz' },
] as const;

const userRef = (u: User): EntityRef => ({ type: 'USER', key: u.accountId });
const spaceRef = (key: string): EntityRef => ({ type: 'SPACE', key });
const contentRef = (c: Content): EntityRef => ({ type: 'CONTENT', key: String(c.id) });

/** Loads the demo data once; a second call finds the demo space and changes nothing. */
export async function seedDemo(db: Database, config: Config = loadConfig({})): Promise<DemoResult> {
  const counts: DemoResult = { skipped: false, users: 0, spaces: 0, content: 0, relations: 0 };
  if (await db.prisma.space.findUnique({ where: { key: DEMO_SPACE_KEY } })) return { ...counts, skipped: true };

  // A fresh context per step: loaders cache per context, and each step must see the previous one's writes.
  const as = (user: User): Ctx => createContext(config, db, { id: user.id, siteAdmin: user.siteAdmin, tokenId: 0 });

  const person = async (p: (typeof PEOPLE)[number]) => {
    const existing = await db.prisma.user.findUnique({ where: { email: p.email } });
    if (existing) return existing;
    counts.users++;
    return insertUser(db.prisma, p);
  };
  const [alice, bob, carol, dave] = [await person(PEOPLE[0]), await person(PEOPLE[1]), await person(PEOPLE[2]), await person(PEOPLE[3])];
  const admin = await db.prisma.user.findFirst({ where: { siteAdmin: true }, orderBy: { id: 'asc' } });

  const space = async (owner: User, key: string, name: string, isPublic: boolean, description: string, members: [User, string][]) => {
    await createSpace({ ctx: as(owner), key, name, public: isPublic, description });
    for (const [user, level] of members) await addSpaceMember({ ctx: as(owner), spaceKey: key, user: user.accountId, level });
    counts.spaces++;
  };
  await space(alice, DEMO_SPACE_KEY, 'Demo Engineering', true, 'How the engineering team builds and ships.', [
    [bob, 'EDIT'],
    [carol, 'VIEW'],
    [dave, 'ADMIN'],
  ]);
  await space(bob, 'PRODUCT', 'Product', true, 'Roadmap, launches and pricing.', [[carol, 'EDIT']]);
  await space(carol, 'PEOPLE', 'People Team', false, 'Private: policies and hiring.', [
    [alice, 'VIEW'],
    [dave, 'EDIT'],
  ]);

  /** Creates content, then renames it through `titles`, one version per title. */
  const write = async (author: User, spaceKey: string, type: string, titles: string[], status = 'current') => {
    let content = await createContent({ ctx: as(author), spaceKey, type, title: titles[0], status });
    for (const title of titles.slice(1)) content = await updateContent({ ctx: as(author), id: String(content.id), title });
    counts.content++;
    return content;
  };
  const architecture = await write(alice, DEMO_SPACE_KEY, 'page', ['Architecture overview', 'Architecture overview (draft 2)', 'System architecture']);
  const onboarding = await write(bob, DEMO_SPACE_KEY, 'page', ['Onboarding checklist', 'Onboarding checklist for engineers']);
  const release = await write(alice, DEMO_SPACE_KEY, 'page', ['Release process']);
  const migration = await write(dave, DEMO_SPACE_KEY, 'blogpost', ['We moved to PostgreSQL 15', 'We moved to PostgreSQL 15: what changed']);
  await write(bob, DEMO_SPACE_KEY, 'page', ['Incident review template'], 'draft');
  const runbook = await write(bob, DEMO_SPACE_KEY, 'page', ['Old deployment runbook']);
  await trashContent({ ctx: as(bob), id: String(runbook.id) });
  const roadmap = await write(bob, 'PRODUCT', 'page', ['Roadmap 2025', 'Roadmap 2025 (Q2 update)', 'Roadmap 2025 (Q3 update)']);
  const recap = await write(carol, 'PRODUCT', 'blogpost', ['Q3 launch recap']);
  const pricing = await write(carol, 'PRODUCT', 'page', ['Pricing FAQ', 'Pricing and plans FAQ']);
  const holidays = await write(carol, 'PEOPLE', 'page', ['Holiday policy', 'Holiday policy 2025']);
  await write(dave, 'PEOPLE', 'page', ['Hiring plan']);

  const relate = async (actor: User, name: string, source: EntityRef, target: EntityRef) => {
    const { created } = await createRelation({ ctx: as(actor), name, source, target });
    if (created) counts.relations++;
  };
  if (admin) {
    await relate(admin, 'favourite', userRef(admin), contentRef(architecture));
    await relate(admin, 'favourite', userRef(admin), contentRef(roadmap));
    await relate(admin, 'favourite', userRef(admin), spaceRef(DEMO_SPACE_KEY));
    await relate(admin, 'watch', userRef(admin), contentRef(release));
  }
  await relate(alice, 'favourite', userRef(alice), contentRef(architecture));
  await relate(alice, 'favourite', userRef(alice), spaceRef('PRODUCT'));
  await relate(bob, 'favourite', userRef(bob), contentRef(roadmap));
  await relate(bob, 'watch', userRef(bob), contentRef(architecture));
  await relate(carol, 'watch', userRef(carol), spaceRef(DEMO_SPACE_KEY));
  await relate(dave, 'watch', userRef(dave), contentRef(release));
  await relate(alice, 'watch', userRef(alice), contentRef(holidays));
  await relate(carol, 'likes', userRef(carol), contentRef(migration));
  await relate(dave, 'likes', userRef(dave), contentRef(recap));
  await relate(bob, 'likes', userRef(bob), contentRef(pricing));
  await relate(alice, 'mentions', contentRef(architecture), userRef(bob));
  await relate(bob, 'mentions', contentRef(roadmap), userRef(carol));
  await relate(carol, 'mentions', contentRef(recap), userRef(alice));
  await relate(bob, 'related', contentRef(onboarding), contentRef(architecture));
  await relate(alice, 'related', contentRef(release), contentRef(onboarding));
  await relate(bob, 'related', contentRef(roadmap), contentRef(pricing));
  // Carol reviewed the architecture page as it was at version 2: the relation is pinned to that version.
  await relate(carol, 'reviewed', userRef(carol), { ...contentRef(architecture), status: 'historical', version: 2 });
  return counts;
}
