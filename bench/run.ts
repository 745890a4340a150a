// npm run bench [-- --relations 100000 --seconds 10 --warmup 2 --connections 10 --profile --no-scale --no-pglite --no-deep --force]
// Seeds, starts our compiled server and the peers, checks each answers the same 25 relations, loads each in turn.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem, type } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { load, type LoadOptions, type LoadResult } from './load.js';
import { sampleRss, type Child } from './processes.js';
import { summarise } from './profile.js';
import { judge, markdown, ratio, type Results, type Rss } from './report.js';
import { createDatabaseIfMissing, DEFAULT_URL, option, relationsOption, seedPglite, seedPostgres, type Seeded } from './seed.js';
import { ROOT, ourCommand, startLimit, startOurs, startPostgraphile } from './servers.js';
import { countStatements } from './statements.js';
import { limit, ourGraphql, ourRest, postgraphile, verify, type Target } from './targets.js';

const args = process.argv.slice(2);
const number = (name: string, fallback: number) => {
  const raw = option(args, name);
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got ${raw}`);
  return n;
};
const relations = relationsOption(args);
const opts: LoadOptions & { warmupSeconds: number } = {
  seconds: number('--seconds', number('--duration', 10)),
  warmupSeconds: number('--warmup', 2),
  connections: number('--connections', 10),
};
const databaseUrl = process.env.BENCH_DATABASE_URL || DEFAULT_URL;
const force = args.includes('--force');
const deepOffset = 10_000;
const scaleDeepOffset = 5_000;
const failures: string[] = [];
const children = new Set<Child>();
const say = (line: string) => console.log(line);

process.on('exit', () => children.forEach((c) => c.process.kill('SIGKILL')));
process.on('SIGINT', () => process.exit(130));

async function started(promise: Promise<Child>): Promise<Child | null> {
  try {
    const child = await promise;
    children.add(child);
    return child;
  } catch (error) {
    failures.push(String((error as Error).message ?? error));
    return null;
  }
}

async function stop(child: Child | null) {
  if (!child) return;
  await child.stop();
  children.delete(child);
}

/** Verifies, then loads; a target that answers wrongly is reported and not loaded. */
async function measure(target: Target, rssOf?: Child, cpuOf: Child | undefined = rssOf): Promise<(LoadResult & { rss?: Rss; ids: string[] }) | null> {
  let ids: string[];
  try {
    ids = await verify(target);
  } catch (error) {
    failures.push(String((error as Error).message ?? error));
    say(`  ✗ ${target.label}: ${(error as Error).message.split('\n')[0].slice(0, 300)}`);
    return null;
  }
  const sampler = rssOf?.process.pid ? sampleRss(rssOf.process.pid) : undefined;
  const result = await load(target, opts, cpuOf?.process.pid);
  const rss = sampler?.stop();
  const cpu = result.cpuMsPerRequest === undefined ? '' : `, server CPU ${result.cpuMsPerRequest} ms/request`;
  say(`  ${target.label}: ${result.reqPerSec} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, errors ${result.errors}, non-2xx ${result.non2xx}${cpu}${rss ? `, RSS peak ${rss.peakMb} MB` : ''}`);
  return { ...result, ...(rss ? { rss } : {}), ids };
}

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

async function deepPages(ours: Child, seeded: Seeded, offset: number): Promise<LoadResult[]> {
  const rows: LoadResult[] = [];
  let cursor: string | undefined;
  try {
    cursor = await cursorAfter(ours.url, seeded.token, offset);
  } catch (error) {
    failures.push(`deep page cursor walk: ${(error as Error).message}`);
  }
  const gql = cursor ? await measure({ ...ourGraphql(ours.url, seeded.token, { after: cursor }), label: `(a) ours, GraphQL, cursor after ${offset.toLocaleString('en')}` }, ours) : null;
  const rest = await measure(ourRest(ours.url, seeded.email, seeded.token, { start: offset }), ours);
  if (gql && rest && gql.ids.join() !== rest.ids.join()) failures.push(`deep page at ${offset}: GraphQL and REST return different relations`);
  for (const r of [gql, rest]) if (r) rows.push(strip(r));
  return rows;
}

const strip = <T extends { ids?: string[] }>(r: T) => {
  const { ids: _ids, ...rest } = r;
  return rest;
};

async function machine(): Promise<Results['machine']> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const { rows } = await client.query<{ v: string }>('SELECT version() AS v');
  await client.end();
  return {
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cpus: cpus().length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    os: `${type()} ${release()}`,
    node: process.versions.node,
    postgres: rows[0].v.split(' on ')[0],
    loadAverage: loadavg().map((l) => l.toFixed(2)).join(' '),
  };
}

function withDatabase(url: string, suffix: string): string {
  const u = new URL(url);
  u.pathname += suffix;
  return u.toString();
}

async function main() {
  const t0 = performance.now();
  const server = ourCommand().map((a) => a.replace(ROOT + '/', '')).join(' ');
  await createDatabaseIfMissing(databaseUrl); // a fresh machine has no bench database yet
  const env = await machine();
  say(`relation-gateway benchmark: ${relations.toLocaleString('en')} relations, ${opts.seconds} s per target, ${opts.connections} connections`);

  const seeded = await seedPostgres(databaseUrl, relations, { force, log: say });
  say(`seeded in ${seeded.seconds.toFixed(1)} s${seeded.reused ? ' (data reused)' : ''}`);

  const [ours, graphile, limitPeer] = await Promise.all([started(startOurs({ databaseUrl })), started(startPostgraphile(databaseUrl)), started(startLimit(databaseUrl))]);
  const targets: [Target, Child | null, boolean][] = [];
  if (ours) targets.push([ourGraphql(ours.url, seeded.token), ours, true], [ourRest(ours.url, seeded.email, seeded.token), ours, true]);
  if (graphile) targets.push([postgraphile(graphile.url, seeded.userId), graphile, false]);
  if (limitPeer) targets.push([limit(limitPeer.url, seeded.userId), limitPeer, false]);

  say('first page, 25 relations:');
  const measured = [];
  for (const [target, child, isOurs] of targets) {
    const r = await measure(target, isOurs ? child! : undefined, child ?? undefined);
    if (r) measured.push(r);
  }
  const pages = new Map(measured.map((r) => [r.label, r.ids.join()]));
  const agreement = new Set(pages.values()).size <= 1 ? `yes (${pages.size} servers)` : 'NO';
  if (agreement === 'NO') failures.push(`servers disagree on the page: ${JSON.stringify(Object.fromEntries(pages))}`);
  const main = measured.map(strip);
  await Promise.all([stop(graphile), stop(limitPeer)]);

  let statements: Results['statements'] = [];
  try {
    statements = await countStatements(databaseUrl, [
      ...[1, 25, 200].map((first) => ({ target: ourGraphql('http://x', seeded.token, { first }), pageSize: first })),
      ...[1, 25, 200].map((size) => ({ target: ourRest('http://x', seeded.email, seeded.token, { size }), pageSize: size })),
    ]);
    say(`SQL statements per request: ${statements.map((s) => `${s.key}@${s.pageSize}=${s.statements}`).join(', ')}`);
  } catch (error) {
    failures.push(`statement count: ${(error as Error).message}`);
  }

  let deep: LoadResult[] = [];
  if (ours && !args.includes('--no-deep')) {
    say(`deep page, offset ${deepOffset.toLocaleString('en')}:`);
    deep = await deepPages(ours, seeded, deepOffset);
  }
  await stop(ours);

  let pgliteResults: Results['pglite'] = null;
  if (!args.includes('--no-pglite')) {
    const n = Math.min(relations, 100_000);
    const dataDir = join(ROOT, 'bench', '.data', `pglite-${n}`);
    const lite = await seedPglite(dataDir, n, { force, log: say });
    say(`embedded PGlite (${n.toLocaleString('en')} relations, seeded in ${lite.seconds.toFixed(1)} s${lite.reused ? ', reused' : ''}):`);
    const oursLite = await started(startOurs({ dataDir }, 'ours on PGlite'));
    const results: LoadResult[] = [];
    if (oursLite) {
      for (const t of [ourGraphql(oursLite.url, lite.token), ourRest(oursLite.url, lite.email, lite.token)]) {
        const r = await measure({ ...t, label: t.label.replace('ours', 'ours on PGlite') }, oursLite);
        if (r) results.push(strip(r));
      }
    }
    await stop(oursLite);
    pgliteResults = {
      relations: n,
      results,
      ratioToPostgres: {
        graphql: ratio(results.find((r) => r.key === 'graphql'), main.find((r) => r.key === 'graphql')),
        rest: ratio(results.find((r) => r.key === 'rest'), main.find((r) => r.key === 'rest')),
      },
    };
  }

  let scale: Results['scale'] = null;
  if (!args.includes('--no-scale')) {
    scale = [];
    for (const [n, suffix] of [
      [10_000, '_10k'],
      [1_000_000, '_1m'],
    ] as const) {
      const url = withDatabase(databaseUrl, suffix);
      const s = await seedPostgres(url, n, { force, peers: false, log: say });
      say(`${n.toLocaleString('en')} relations (seeded in ${s.seconds.toFixed(1)} s${s.reused ? ', reused' : ''}):`);
      const o = await started(startOurs({ databaseUrl: url }, `ours ${suffix}`));
      const results: LoadResult[] = [];
      if (o) {
        for (const t of [ourGraphql(o.url, s.token), ourRest(o.url, s.email, s.token)]) {
          const r = await measure(t, o);
          if (r) results.push(strip(r));
        }
        results.push(...(await deepPages(o, s, scaleDeepOffset)));
      }
      await stop(o);
      scale.push({ relations: n, results });
    }
  }

  const profiles: Results['profiles'] = [];
  if (args.includes('--profile')) {
    for (const face of ['graphql', 'rest'] as const) {
      const dir = join(ROOT, 'bench', 'results', 'profiles', face);
      rmSync(dir, { recursive: true, force: true });
      const o = await started(startOurs({ databaseUrl, profileDir: dir }, `ours profiled (${face})`));
      if (!o) continue;
      say(`profiling ${face}:`);
      const skipMs = performance.now() - o.startedAt + opts.warmupSeconds * 1000; // start-up and warm-up are not the steady state
      await measure(face === 'graphql' ? ourGraphql(o.url, seeded.token) : ourRest(o.url, seeded.email, seeded.token));
      await stop(o);
      const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
      if (file) profiles.push({ face, file: `bench/results/profiles/${face}/${file}`, ...summarise(join(dir, file), 15, skipMs) });
      else failures.push(`no CPU profile written for ${face}`);
    }
  }

  const find = (key: string) => main.find((r) => r.key === key);
  const partial: Omit<Results, 'targets'> = {
    date: new Date().toISOString(),
    machine: env,
    options: { relations, seconds: opts.seconds, warmupSeconds: opts.warmupSeconds, connections: opts.connections, deepOffset },
    server,
    seed: { relations, benchLikes: seeded.benchLikes, seconds: Math.round(seeded.seconds * 10) / 10, reused: seeded.reused },
    main,
    ratios: {
      graphqlVsPostgraphile: ratio(find('graphql'), find('postgraphile')),
      restVsPostgraphile: ratio(find('rest'), find('postgraphile')),
      graphqlVsLimit: ratio(find('graphql'), find('limit')),
      restVsLimit: ratio(find('rest'), find('limit')),
    },
    statements,
    agreement,
    deep,
    pglite: pgliteResults,
    scale,
    profiles,
    failures,
  };
  const results: Results = { ...partial, targets: judge(partial) };
  const out = join(ROOT, 'bench', 'results');
  mkdirSync(out, { recursive: true });
  const md = markdown(results);
  writeFileSync(join(out, 'latest.json'), JSON.stringify(results, null, 2) + '\n');
  writeFileSync(join(out, 'latest.md'), md);
  say('\n' + md);
  say(`wrote bench/results/latest.json and latest.md in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  if (failures.length) process.exitCode = 1;
}

await main();
