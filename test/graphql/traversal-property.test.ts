// Nested answers equal a naive reference: random small worlds (users, public and private spaces, members,
// content in several states, relations of several names including `favourite`), and for several callers a
// two-level query from each entity, compared with the same walk made one parent at a time through the flat
// service calls (listRelations), which have their own tests against the access rules.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type Ctx } from '../../src/context.js';
import { ENTITY_TYPES, type EntityRef, type EntityType } from '../../src/domain/entities.js';
import { NotFoundError } from '../../src/domain/errors.js';
import { createContent, trashContent } from '../../src/services/content.js';
import { listRelations, type RelationRow } from '../../src/services/relations.js';
import { createTestApp, type Account, type TestApp } from '../support/app.js';
import { insertRelations, type StoredEnd } from '../support/relate.js';

let t: TestApp;
let world = 0;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

const NAMES = ['favourite', 'likes', 'watch'] as const;
const STATUSES = ['current', 'current', 'trashed', 'draft'] as const;

interface WorldPlan {
  users: number;
  spaces: { public: boolean; members: { user: number; level: 'VIEW' | 'EDIT' | 'ADMIN' }[] }[];
  contents: { space: number; status: (typeof STATUSES)[number] }[];
  relations: { name: (typeof NAMES)[number]; source: [EntityType, number]; target: [EntityType, number] }[];
}

const end = fc.tuple(fc.constantFrom(...ENTITY_TYPES), fc.nat(5));
const plans: fc.Arbitrary<WorldPlan> = fc.record({
  users: fc.integer({ min: 2, max: 4 }),
  spaces: fc.array(
    fc.record({ public: fc.boolean(), members: fc.array(fc.record({ user: fc.nat(3), level: fc.constantFrom('VIEW', 'EDIT', 'ADMIN') }), { maxLength: 2 }) }),
    { minLength: 1, maxLength: 3 },
  ),
  contents: fc.array(fc.record({ space: fc.nat(2), status: fc.constantFrom(...STATUSES) }), { minLength: 1, maxLength: 5 }),
  relations: fc.array(fc.record({ name: fc.constantFrom(...NAMES), source: end, target: end }), { minLength: 1, maxLength: 25 }),
});

interface World {
  users: Account[];
  refs: Record<EntityType, { ref: EntityRef; stored: StoredEnd }[]>;
}

/** Builds a plan with fresh entities (each world has its own keys, so worlds never meet). */
async function build(plan: WorldPlan): Promise<World> {
  const n = ++world;
  const users: Account[] = [];
  for (let i = 0; i < plan.users; i++) users.push(await t.account(`W${n} user ${i}`));
  const spaces = [];
  for (const [i, s] of plan.spaces.entries()) {
    const space = await t.db.prisma.space.create({ data: { key: `W${n}S${i}`, name: `World ${n} space ${i}`, public: s.public, createdById: t.admin.user.id } });
    for (const m of s.members) {
      const user = users[m.user % users.length].user;
      await t.db.prisma.spaceMember.upsert({
        where: { spaceId_userId: { spaceId: space.id, userId: user.id } },
        create: { spaceId: space.id, userId: user.id, level: m.level },
        update: { level: m.level },
      });
    }
    spaces.push(space);
  }
  const contents = [];
  for (const [i, c] of plan.contents.entries()) {
    const space = spaces[c.space % spaces.length];
    // Through the service, so each has its version rows as real content does.
    const admin = ctxOf(t.admin);
    const made = await createContent({ ctx: admin, spaceKey: space.key, title: `World ${n} page ${i}`, status: c.status === 'draft' ? 'draft' : 'current' });
    contents.push(c.status === 'trashed' ? await trashContent({ ctx: admin, id: String(made.id) }) : made);
  }
  const refs: World['refs'] = {
    USER: users.map((u) => ({ ref: { type: 'USER', key: u.user.accountId }, stored: { type: 'USER', id: u.user.id } })),
    SPACE: spaces.map((s) => ({ ref: { type: 'SPACE', key: s.key }, stored: { type: 'SPACE', id: s.id } })),
    CONTENT: contents.map((c) => ({ ref: { type: 'CONTENT', key: String(c.id), status: 'any' }, stored: { type: 'CONTENT', id: c.id } })),
  };
  const pick = ([type, i]: [EntityType, number]) => refs[type][i % refs[type].length].stored;
  for (const r of plan.relations) await insertRelations(t.db, r.name, [[pick(r.source), pick(r.target)]], t.admin.user.id);
  return { users, refs };
}

const ctxOf = (account: Account): Ctx => createContext(t.config, t.db, { id: account.user.id, siteAdmin: account.user.siteAdmin, tokenId: 0 });

/** The flat list, or null when the anchor is missing or hidden (the flat call's NOT_FOUND). */
async function flat(ctx: Ctx, direction: 'from' | 'to', anchor: EntityRef, name: string | null, otherType: EntityType | null, limit: number) {
  const names = name ? [name] : NAMES;
  const types = otherType ? [otherType] : ENTITY_TYPES;
  const rows: RelationRow[] = [];
  try {
    for (const n of names) for (const type of types) rows.push(...(await listRelations({ ctx, name: n, direction, anchor, otherType: type, limit: 200 })).rows);
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
  return rows.sort((a, b) => a.id - b.id).slice(0, limit);
}

/** The relation id inside a Relay global id (`Relation:<id>`, base64). */
const relationId = (global: string) => Number(Buffer.from(global, 'base64').toString().split(':')[1]);

const ROOT = { USER: 'user(key: $key)', SPACE: 'space(key: $key)', CONTENT: 'content(id: $key, status: "any")' };

interface Walk {
  direction: 'from' | 'to';
  name: string | null;
  otherType: EntityType | null;
  first: number;
}

const walks = fc.record({
  direction: fc.constantFrom('from' as const, 'to' as const),
  name: fc.option(fc.constantFrom(...NAMES), { nil: null }),
  otherType: fc.option(fc.constantFrom(...ENTITY_TYPES), { nil: null }),
  first: fc.integer({ min: 1, max: 4 }),
});

function field(walk: Walk, inner: string): string {
  const other = walk.direction === 'from' ? 'target' : 'source';
  const args = [`first: ${walk.first}`];
  if (walk.name) args.push(`name: "${walk.name}"`);
  if (walk.otherType) args.push(`${other}Type: ${walk.otherType}`);
  const spread = inner ? ['User', 'Space', 'Content'].map((type) => `... on ${type} { ${inner} }`).join(' ') : '__typename';
  return `relations${walk.direction === 'from' ? 'From' : 'To'}(${args.join(', ')}) { nodes { id ${other} { ${spread} } } }`;
}

describe('nested traversal equals the flat walk, one parent at a time', () => {
  it('for random worlds, callers, anchors and two-level walks', async () => {
    await fc.assert(
      fc.asyncProperty(plans, fc.array(fc.tuple(walks, walks), { minLength: 4, maxLength: 4 }), async (plan, pairs) => {
        const w = await build(plan);
        for (const [outer, inner] of pairs) await compare(w, outer, inner);
      }),
      { numRuns: Number(process.env.TRAVERSAL_RUNS ?? 10), seed: process.env.TRAVERSAL_SEED ? Number(process.env.TRAVERSAL_SEED) : undefined },
    );
  }, 600_000);
});

/** Every caller of the world (its users and a site admin), from every entity, walks `outer` then `inner`. */
async function compare(w: World, outer: Walk, inner: Walk): Promise<void> {
  const callers = [...w.users, t.admin];
  const query = (type: EntityType) => `query($key: ${type === 'CONTENT' ? 'ID' : 'String'}!) { anchor: ${ROOT[type]} { ${field(outer, field(inner, ''))} } }`;
  for (const caller of callers) {
    const ctx = ctxOf(caller);
    for (const type of ENTITY_TYPES) {
      for (const { ref, stored } of w.refs[type]) {
        const { body } = await t.graphql(query(type), { key: ref.key }, caller.token);
        expect(body.errors).toBeUndefined();
        const expected = await flat(ctx, outer.direction, ref, outer.name, outer.otherType, outer.first);
        if (expected === null) {
          expect(body.data.anchor).toBeNull();
          continue;
        }
        const level1 = body.data.anchor[`relations${outer.direction === 'from' ? 'From' : 'To'}`].nodes;
        expect(
          level1.map((n: any) => relationId(n.id)),
          `${type} ${stored.id} as ${caller.user.displayName}`,
        ).toEqual(expected.map((r) => r.id));
        const otherEnd = outer.direction === 'from' ? 'target' : 'source';
        for (const [i, row] of expected.entries()) {
          const innerRef = await anchorRef(row, otherEnd);
          const expectedInner = await flat(ctx, inner.direction, innerRef, inner.name, inner.otherType, inner.first);
          const got = level1[i][otherEnd][`relations${inner.direction === 'from' ? 'From' : 'To'}`].nodes.map((n: any) => relationId(n.id));
          expect(got).toEqual((expectedInner ?? []).map((r) => r.id));
        }
      }
    }
  }
}

/** The flat lists take keys, not ids: a user's accountId, a space's key, a content id in any state. */
async function anchorRef(row: RelationRow, end: 'source' | 'target'): Promise<EntityRef> {
  const type = row[`${end}Type`];
  const id = row[`${end}Id`];
  if (type === 'USER') return { type, key: (await t.db.prisma.user.findUniqueOrThrow({ where: { id } })).accountId };
  if (type === 'SPACE') return { type, key: (await t.db.prisma.space.findUniqueOrThrow({ where: { id } })).key };
  return { type, key: String(id), status: 'any' };
}
