// One set per request: every lookup of an entity by id or key is batched into one statement per type.
import DataLoader from 'dataloader';
import type { PrismaClient } from './generated/prisma/client.js';
import type { Content, ContentVersion, Space, User } from './generated/prisma/client.js';
import type { Level, Viewer } from './domain/access.js';
import { USER_KEY_FIELDS } from './domain/entities.js';

/**
 * A DataLoader that also answers at once for what it already holds (primed by a page statement, or loaded):
 * `get` returns the value itself, not a promise, so a resolver over a page's rows costs no microtask. A page of
 * nested relations shows thousands of ends; a promise each was a measurable share of its CPU.
 */
export class Loader<K, V> extends DataLoader<K, V> {
  private readonly held: Map<K, V>;

  constructor(batch: (keys: readonly K[]) => Promise<V[]>) {
    const held = new Map<K, V>();
    super(async (keys) => {
      const values = await batch(keys);
      keys.forEach((key, i) => held.set(key, values[i]));
      return values;
    });
    this.held = held;
  }

  /** The value when held, else a load. */
  get(key: K): V | Promise<V> {
    return this.held.has(key) ? (this.held.get(key) as V) : this.load(key);
  }

  /** The values of `keys`: at once when all are held, else one batch for them (a promise per key only then). */
  getMany(keys: readonly K[]): (V | Error)[] | Promise<(V | Error)[]> {
    const values: V[] = [];
    for (const key of keys) {
      if (!this.held.has(key)) return this.loadMany(keys);
      values.push(this.held.get(key) as V);
    }
    return values;
  }

  prime(key: K, value: V | PromiseLike<V> | Error): this {
    if (!this.held.has(key) && !(value instanceof Error) && !isPromiseLike(value)) this.held.set(key, value);
    return super.prime(key, value);
  }

  clear(key: K): this {
    this.held.delete(key);
    return super.clear(key);
  }

  clearAll(): this {
    this.held.clear();
    return super.clearAll();
  }
}

/** `f` of a value, or of a promise's value (not named `then`: a module exporting `then` is a thenable to `import()`). With `Loader.get`, a resolver stays synchronous when the value is held. */
export function mapLoaded<T, R>(value: T | Promise<T>, f: (value: T) => R): R | Promise<R> {
  return value instanceof Promise ? value.then(f) : f(value);
}

const isPromiseLike = (value: unknown): value is PromiseLike<unknown> => typeof (value as PromiseLike<unknown> | null)?.then === 'function';

export interface Loaders {
  users: Loader<number, User | null>;
  /** accountId, userKey or username, in the order of USER_KEY_FIELDS. */
  usersByKey: DataLoader<string, User | null>;
  spaces: Loader<number, Space | null>;
  spacesByKey: DataLoader<string, Space | null>;
  contents: Loader<number, Content | null>;
  /** Key: `${contentId}:${number}`. */
  contentVersions: Loader<string, ContentVersion | null>;
  /** The viewer's membership level per space id. */
  memberLevels: DataLoader<number, Level | null>;
}

function byId<T extends { id: number }>(rows: T[], ids: readonly number[]): (T | null)[] {
  const map = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => map.get(id) ?? null);
}

export function createLoaders(prisma: PrismaClient, viewer: Viewer | null): Loaders {
  const users = new Loader<number, User | null>(async (ids) => byId(await prisma.user.findMany({ where: { id: { in: [...ids] } } }), ids));
  const spaces = new Loader<number, Space | null>(async (ids) => byId(await prisma.space.findMany({ where: { id: { in: [...ids] } } }), ids));
  const contents = new Loader<number, Content | null>(async (ids) => byId(await prisma.content.findMany({ where: { id: { in: [...ids] } } }), ids));
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
  const contentVersions = new Loader<string, ContentVersion | null>(async (keys) => {
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

// Per request (keyed by its loaders, made once per request) and per question: see `questionLoader`.
const questions = new WeakMap<Loaders, Map<string, DataLoader<number, unknown>>>();

/**
 * The request's loader for one question asked of many parents (a nested field's arguments: `key` names them
 * and the kind of answer), created when first asked: the parents asking it at one position of a query share
 * one batch, so one statement.
 */
export function questionLoader<V>(loaders: Loaders, key: string, batch: (parentIds: number[]) => Promise<V[]>): DataLoader<number, V> {
  let known = questions.get(loaders);
  if (!known) questions.set(loaders, (known = new Map()));
  let loader = known.get(key) as DataLoader<number, V> | undefined;
  if (!loader) known.set(key, (loader = new DataLoader<number, V>((ids) => batch([...ids]), { maxBatchSize: 10_000 })));
  return loader;
}
