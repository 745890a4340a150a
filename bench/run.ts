// npm run bench [-- --shapes a,b --rounds 3 --seconds 5 --warmup 2 --connections 10 --relations 100000
//                   --profile --no-deep --no-pglite --no-scale --no-events --no-topology --force --baseline FILE]
// Seeds, starts our compiled server and the peers, checks that every server gives the same answer to each
// question, then loads them in interleaved rounds; see bench/README.md.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem, type } from 'node:os';
import { join, relative } from 'node:path';
import pg from 'pg';
import type { Child } from './processes.js';
import { judge, markdown, type Baseline, type Results } from './report.js';
import { runRounds } from './rounds.js';
import { createDatabaseIfMissing, DEFAULT_URL, option, relationsOption, seedPostgres, type Seeded } from './seed.js';
import { ROOT, ourCommand, startLimit, startOurs, startPostgraphile } from './servers.js';
import { buildShapes, ourReadTargets, READ_KEYS, selectShapes, type Shape, type Viewer } from './shapes.js';
import { deepPages, pgliteRun, profileRuns, scaleRuns, type SoloContext } from './solo.js';
import { countPeerStatements, countStatements, type Counted, type StatementCount } from './statements.js';
import { Writes } from './writes.js';

const args = process.argv.slice(2);
const number = (name: string, fallback: number, min = 0) => {
  const raw = option(args, name);
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isFinite(n) || n < min) throw new Error(`${name} must be a number ≥ ${min}, got ${raw}`);
  return n;
};
const relations = relationsOption(args);
const load = {
  seconds: number('--seconds', number('--duration', 5), 1),
  warmupSeconds: number('--warmup', 2),
  connections: number('--connections', 10, 1),
};
const rounds = Math.round(number('--rounds', 3, 1));
const selection = selectShapes(option(args, '--shapes'));
const readKeys = [...selection.values()].flat().filter((k) => READ_KEYS.includes(k));
const databaseUrl = process.env.BENCH_DATABASE_URL || DEFAULT_URL;
const force = args.includes('--force');
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

/**
 * What of the bench database's settings makes PostgreSQL write every statement, or every write, to its log
 * (log_statement all or mod, or a log_min_duration_statement of 0), or null. PostgreSQL then writes a log line
 * per statement (one run of every shape wrote 8 GB), work the database CPU and req/s figures include, so the
 * report says so.
 */
async function statementLogging(client: pg.Client): Promise<string | null> {
  const { rows } = await client.query<{ statement: string; duration: string }>(
    "SELECT current_setting('log_statement') AS statement, current_setting('log_min_duration_statement') AS duration",
  );
  const on = [
    ['all', 'mod'].includes(rows[0].statement) ? `log_statement = ${rows[0].statement}` : null,
    rows[0].duration === '0' ? 'log_min_duration_statement = 0' : null,
  ];
  return on.filter(Boolean).join(', ') || null;
}

async function machine(): Promise<Results['machine']> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const { rows } = await client.query<{ v: string }>('SELECT version() AS v');
  const logging = await statementLogging(client);
  await client.end();
  if (logging) console.warn(`warning: PostgreSQL logs statements on the bench database (${logging}): its CPU and every req/s include the logging`);
  return {
    ...(logging ? { statementLogging: logging } : {}),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cpus: cpus().length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    os: `${type()} ${release()}`,
    node: process.versions.node,
    postgres: rows[0].v.split(' on ')[0],
    loadAverage: loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
  };
}

/** Req/s medians of an earlier run's JSON: `--baseline FILE`, else bench/results/baseline-issue12.json when present. */
function readBaseline(): Baseline | null {
  const file = option(args, '--baseline') ?? join(ROOT, 'bench', 'results', 'baseline-issue12.json');
  if (!existsSync(file)) return null;
  const json = JSON.parse(readFileSync(file, 'utf8')) as Partial<Results>;
  const reqPerSec = Object.fromEntries((json.summary ?? []).map((s) => [s.key, s.reqPerSec]));
  return { file: relative(ROOT, file), date: json.date ?? '?', reqPerSec };
}

/** SQL statements per request: our shapes in process (graphql and rest at page sizes 1, 25 and 200), the peers' through their counters. */
async function statementCounts(shapes: Shape[], viewer: Viewer): Promise<StatementCount[]> {
  const counts: StatementCount[] = [];
  const counted = (shape: Shape, target: Shape['targets'][number]): Counted => ({ target, ...(shape.prepare ? { prepare: () => shape.prepare!(target) } : {}) });
  try {
    const sized = (key: string) => [1, 25, 200].map((first) => ({ target: ourReadTargets('http://x', viewer, first)[key], pageSize: first }));
    const ours: Counted[] = shapes.flatMap((shape) =>
      shape.targets.filter((t) => t.server === 'ours').flatMap((t) => (t.key === 'graphql' || t.key === 'rest' ? sized(t.key) : [counted(shape, t)])),
    );
    counts.push(...(await countStatements(databaseUrl, ours)));
  } catch (error) {
    failures.push(`statement count (ours): ${(error as Error).message}`);
  }
  for (const shape of shapes) {
    for (const target of shape.targets.filter((t) => t.server !== 'ours')) {
      try {
        counts.push(await countPeerStatements(counted(shape, target)));
      } catch (error) {
        failures.push(`statement count (${target.key}): ${(error as Error).message}`);
      }
    }
  }
  say(`SQL statements per request: ${counts.map((s) => `${s.key}${s.pageSize ? `@${s.pageSize}` : ''}=${s.statements}`).join(', ')}`);
  return counts;
}

async function main() {
  const t0 = performance.now();
  const server = ourCommand()
    .map((a) => a.replace(ROOT + '/', ''))
    .join(' ');
  await createDatabaseIfMissing(databaseUrl); // a fresh machine has no bench database yet
  const env = await machine();
  const shapeNames = [...selection].map(([q, keys]) => `${q} (${keys.join(', ') || 'peers only'})`);
  say(`relation-gateway benchmark: ${relations.toLocaleString('en')} relations, ${rounds} rounds of ${load.seconds} s per target, ${load.connections} connections`);
  say(`shapes: ${shapeNames.join('; ')}`);

  const seeded: Seeded = await seedPostgres(databaseUrl, relations, { force, log: say });
  say(`seeded in ${seeded.seconds.toFixed(1)} s${seeded.reused ? ' (data reused)' : ''}`);
  const viewer: Viewer = { userId: seeded.userId, email: seeded.email, token: seeded.token, fixtures: seeded.fixtures, writer: seeded.writer };

  const [ours, graphile, limitPeer] = await Promise.all([started(startOurs({ databaseUrl })), started(startPostgraphile(databaseUrl)), started(startLimit(databaseUrl))]);
  const anyWrites = [...selection.keys()].some((q) => ['putExisting', 'putNew', 'delete'].includes(q));
  const writes = anyWrites ? await Writes.open(databaseUrl) : undefined;
  const shapes = buildShapes(selection, { ours: ours?.url, postgraphile: graphile?.url, limit: limitPeer?.url }, viewer, writes);
  const pids = { ours: ours?.process.pid, postgraphile: graphile?.process.pid, limit: limitPeer?.process.pid };
  const outcome = await runRounds(shapes, { rounds, load, pidOf: (s) => pids[s], say, failures, afterRound: writes && (() => writes.settle()) });

  const statements = await statementCounts(shapes, viewer);
  await Promise.all([stop(graphile), stop(limitPeer)]);

  const solo: SoloContext = { load, say, failures, started, stop };
  // Deep enough to matter, shallow enough that the bench user still sees a full page there.
  const deepOffset = seeded.benchLikes >= 12_500 ? 10_000 : scaleDeepOffset;
  let deep: Results['deep'] = [];
  if (ours && !args.includes('--no-deep') && selection.has('fromCurrent')) {
    say(`deep page, offset ${deepOffset.toLocaleString('en')}:`);
    deep = await deepPages(ours, seeded, deepOffset, solo);
  }
  const pglite = ours && !args.includes('--no-pglite') && readKeys.length ? await pgliteRun({ child: ours, seeded }, readKeys, force, solo) : null;
  await stop(ours);

  const deepAtScale = args.includes('--no-deep') || !selection.has('fromCurrent') ? null : scaleDeepOffset;
  const scale = args.includes('--no-scale') || !readKeys.length ? null : await scaleRuns(databaseUrl, readKeys, deepAtScale, force, solo);
  const profiles = args.includes('--profile') ? await profileRuns(databaseUrl, selection, seeded, writes, solo) : [];
  await writes?.close();

  const partial: Omit<Results, 'targets'> = {
    date: new Date().toISOString(),
    machine: {
      ...env,
      loadAverageEnd: loadavg()
        .map((l) => l.toFixed(2))
        .join(' '),
    },
    options: {
      relations,
      seconds: load.seconds,
      warmupSeconds: load.warmupSeconds,
      connections: load.connections,
      rounds,
      shapes: [...selection.values()].flat(),
      deepOffset,
    },
    server,
    seed: { relations, benchLikes: seeded.benchLikes, seconds: Math.round(seeded.seconds * 10) / 10, reused: seeded.reused },
    summary: outcome.summary,
    rounds: outcome.rounds,
    statements,
    agreement: outcome.agreement,
    deep,
    pglite,
    scale,
    profiles,
    baseline: readBaseline(),
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
  // Issue 15's figures (delivery latency, the event log's write cost) run on a database of their own; --no-events skips them.
  if (!args.includes('--no-events')) {
    say('\n==> relation events (bench/events.ts)');
    const events = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'events.ts')], { stdio: 'inherit' });
    if (events.status !== 0) process.exitCode = 1;
  }
  // Issue 16's figures (replica, pgbouncer session and transaction mode against direct) on clusters of their own; --no-topology skips them.
  if (!args.includes('--no-topology')) {
    say('\n==> deployment topologies (bench/topology.ts)');
    const topology = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'topology.ts')], { stdio: 'inherit' });
    if (topology.status !== 0) process.exitCode = 1;
  }
}

await main();
