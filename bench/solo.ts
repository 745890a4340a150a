// The parts measured on our server alone, one run per target: deep pages, PGlite, 10k against 1M, CPU profiles.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fire, load, type LoadOptions, type LoadResult } from './load.js';
import type { Child } from './processes.js';
import { summarise } from './profile.js';
import type { Results } from './report.js';
import { seedPglite, seedPostgres, type Seeded } from './seed.js';
import { ROOT, startOurs } from './servers.js';
import { buildShapes, ourReadTargets, type Question } from './shapes.js';
import { ourGraphql, ourRest, verify, type Target } from './targets.js';
import type { Writes } from './writes.js';

export interface SoloContext {
  load: LoadOptions & { warmupSeconds: number };
  say(line: string): void;
  failures: string[];
  /** Starts a child and tracks it (killed if the run dies); null when it would not start (recorded as a failure). */
  started(child: Promise<Child>): Promise<Child | null>;
  stop(child: Child | null): Promise<void>;
}

/** Verifies, warms up, then loads once; a target that answers wrongly is reported and not loaded. */
export async function measureSolo(target: Target, ctx: SoloContext, pid?: number): Promise<(LoadResult & { ids: string[] }) | null> {
  let ids: string[];
  try {
    ids = await verify(target);
    if (ctx.load.warmupSeconds > 0) await fire(target, { ...ctx.load, seconds: ctx.load.warmupSeconds });
  } catch (error) {
    ctx.failures.push(String((error as Error).message ?? error));
    ctx.say(`  ✗ ${target.label}: ${(error as Error).message.split('\n')[0].slice(0, 300)}`);
    return null;
  }
  const result = await load(target, ctx.load, pid);
  const cpu = result.cpuMsPerRequest === undefined ? '' : `, server CPU ${result.cpuMsPerRequest} ms/request`;
  ctx.say(`  ${target.label}: ${result.reqPerSec} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, errors ${result.errors}, non-2xx ${result.non2xx}${cpu}`);
  return { ...result, ids };
}

const strip = <T extends { ids?: string[] }>(r: T) => {
  const { ids: _ids, ...rest } = r;
  return rest;
};

/** The GraphQL cursor after `depth` relations, walked 200 at a time. */
async function cursorAfter(base: string, token: string, depth: number): Promise<string> {
  let after: string | undefined;
  for (let seen = 0; seen < depth; ) {
    const first = Math.min(200, depth - seen);
    const t = ourGraphql(base, token, { after, first });
    const res = await fetch(t.url, { method: 'POST', headers: t.headers, body: t.body });
    const json = (await res.json()) as { data?: { relationsFrom?: { nodes: unknown[]; pageInfo: { endCursor: string } } } };
    t.check(json);
    seen += first;
    after = json.data!.relationsFrom!.pageInfo.endCursor;
  }
  return after!;
}

/** The bench user's likes after `offset` relations: GraphQL by cursor, REST by `start`. */
async function deepTargets(ours: Child, seeded: Seeded, offset: number, ctx: SoloContext): Promise<Target[]> {
  let cursor: string | undefined;
  try {
    cursor = await cursorAfter(ours.url, seeded.token, offset);
  } catch (error) {
    ctx.failures.push(`deep page cursor walk: ${(error as Error).message}`);
  }
  const gql = cursor
    ? [{ ...ourGraphql(ours.url, seeded.token, { after: cursor }), label: `GraphQL relationsFrom current, cursor after ${offset.toLocaleString('en')}` }]
    : [];
  return [...gql, ourRest(ours.url, seeded.email, seeded.token, { start: offset })];
}

/** A server of ours under test, with the data it was started on. */
export interface On {
  child: Child;
  seeded: Seeded;
  /** Appended to the labels, e.g. "on PGlite". */
  tag?: string;
}

/**
 * The same targets on two servers, each target on one and then at once on the other, so the two figures of a
 * pair are taken a few seconds apart (the shared machine's load drifts over minutes).
 */
async function paired(a: On, b: On, targetsOf: (on: On) => Promise<Target[]>, ctx: SoloContext): Promise<[LoadResult[], LoadResult[]]> {
  const tagged = async (on: On) => (await targetsOf(on)).map((t) => (on.tag ? { ...t, label: `${t.label}, ${on.tag}` } : t));
  const [ta, tb] = [await tagged(a), await tagged(b)];
  const rows: [LoadResult[], LoadResult[]] = [[], []];
  const pages: string[][] = [[], []];
  for (const target of ta) {
    const twin = tb.find((t) => t.key === target.key);
    for (const [i, on, t] of [
      [0, a, target],
      [1, b, twin],
    ] as const) {
      const r = t ? await measureSolo(t, ctx, on.child.process.pid) : null;
      if (r) rows[i].push(strip(r));
      if (r && (t?.key === 'graphqlDeep' || t?.key === 'restDeep')) pages[i].push(r.ids.join());
    }
  }
  for (const [i, p] of pages.entries())
    if (p.length === 2 && p[0] !== p[1]) ctx.failures.push(`deep page (${i ? 'second' : 'first'} server): GraphQL and REST return different relations`);
  return rows;
}

const readTargets = (keys: string[]) => async (on: On) => {
  const all = ourReadTargets(on.child.url, {
    userId: on.seeded.userId,
    email: on.seeded.email,
    token: on.seeded.token,
    fixtures: on.seeded.fixtures,
    writer: on.seeded.writer,
  });
  return keys.flatMap((k) => (all[k] ? [all[k]] : []));
};

/** The deep pages on one server (the main run's). */
export async function deepPages(ours: Child, seeded: Seeded, offset: number, ctx: SoloContext): Promise<LoadResult[]> {
  const targets = await deepTargets(ours, seeded, offset, ctx);
  const rows = [];
  for (const t of targets) rows.push(await measureSolo(t, ctx, ours.process.pid));
  if (rows.length === 2 && rows[0] && rows[1] && rows[0].ids.join() !== rows[1].ids.join())
    ctx.failures.push(`deep page at ${offset}: GraphQL and REST return different relations`);
  return rows.flatMap((r) => (r ? [strip(r)] : []));
}

/** Each chosen read shape on PGlite, paired with the same shape on `postgres` (our server on the main database). */
export async function pgliteRun(postgres: On, keys: string[], force: boolean, ctx: SoloContext): Promise<Results['pglite']> {
  const n = Math.min(postgres.seeded.relations, 100_000);
  const dataDir = join(ROOT, 'bench', '.data', `pglite-${n}`);
  const lite = await seedPglite(dataDir, n, { force, log: ctx.say });
  ctx.say(
    `embedded PGlite (${n.toLocaleString('en')} relations, seeded in ${lite.seconds.toFixed(1)} s${lite.reused ? ', reused' : ''}), each shape on PostgreSQL then on PGlite:`,
  );
  const child = await ctx.started(startOurs({ dataDir }, 'ours on PGlite'));
  const [onPostgres, results] = child ? await paired({ ...postgres, tag: 'on PostgreSQL' }, { child, seeded: lite, tag: 'on PGlite' }, readTargets(keys), ctx) : [[], []];
  await ctx.stop(child);
  const ratioToPostgres: Record<string, number | null> = {};
  for (const r of results) {
    const pg = onPostgres.find((s) => s.key === r.key);
    ratioToPostgres[r.key] = pg && pg.reqPerSec > 0 ? Math.round((r.reqPerSec / pg.reqPerSec) * 100) / 100 : null;
  }
  return { relations: n, results, postgres: onPostgres, ratioToPostgres };
}

function withDatabase(url: string, suffix: string): string {
  const u = new URL(url);
  u.pathname += suffix;
  return u.toString();
}

/** 10,000 against 1,000,000 relations, two servers side by side: every chosen read shape, and the deep pages at `deepOffset`. */
export async function scaleRuns(databaseUrl: string, keys: string[], deepOffset: number | null, force: boolean, ctx: SoloContext): Promise<Results['scale']> {
  const sizes = [
    [10_000, '_10k'],
    [1_000_000, '_1m'],
  ] as const;
  const servers: On[] = [];
  for (const [n, suffix] of sizes) {
    const url = withDatabase(databaseUrl, suffix);
    const seeded = await seedPostgres(url, n, { force, peers: false, log: ctx.say });
    ctx.say(`${n.toLocaleString('en')} relations: seeded in ${seeded.seconds.toFixed(1)} s${seeded.reused ? ' (reused)' : ''}`);
    const child = await ctx.started(startOurs({ databaseUrl: url }, `ours ${suffix}`));
    if (child) servers.push({ child, seeded, tag: `at ${n.toLocaleString('en')}` });
  }
  let rows: [LoadResult[], LoadResult[]] = [[], []];
  if (servers.length === 2) {
    ctx.say('each shape at 10,000 then at 1,000,000 relations:');
    const [a, b] = servers;
    const deep = deepOffset === null ? async () => [] : (on: On) => deepTargets(on.child, on.seeded, deepOffset, ctx);
    rows = await paired(a, b, async (on) => [...(await readTargets(keys)(on)), ...(await deep(on))], ctx);
  }
  for (const on of servers) await ctx.stop(on.child);
  return sizes.map(([n], i) => ({ relations: n, results: rows[i] }));
}

/** Each chosen target of ours once more, on a server of its own under `node --cpu-prof`; self time from after the warm-up. */
export async function profileRuns(
  databaseUrl: string,
  selection: Map<Question, string[]>,
  seeded: Seeded,
  writes: Writes | undefined,
  ctx: SoloContext,
): Promise<Results['profiles']> {
  const profiles: Results['profiles'] = [];
  for (const [question, keys] of selection) {
    for (const key of keys) {
      const dir = join(ROOT, 'bench', 'results', 'profiles', key);
      rmSync(dir, { recursive: true, force: true });
      const ours = await ctx.started(startOurs({ databaseUrl, profileDir: dir }, `ours profiled (${key})`));
      if (!ours) continue;
      ctx.say(`profiling ${key}:`);
      const viewer = { userId: seeded.userId, email: seeded.email, token: seeded.token, fixtures: seeded.fixtures, writer: seeded.writer };
      const [shape] = buildShapes(new Map([[question, [key]]]), { ours: ours.url }, viewer, writes);
      const target = shape?.targets.find((t) => t.key === key);
      if (shape && target) await shape.prepare?.(target);
      const skipMs = performance.now() - ours.startedAt + ctx.load.warmupSeconds * 1000; // start-up and warm-up are not the steady state
      if (target) await measureSolo(target, ctx, ours.process.pid);
      await ctx.stop(ours);
      const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
      if (file) profiles.push({ key, file: `bench/results/profiles/${key}/${file}`, ...summarise(join(dir, file), 15, skipMs) });
      else ctx.failures.push(`no CPU profile written for ${key}`);
    }
  }
  return profiles;
}
