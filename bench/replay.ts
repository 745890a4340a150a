// What one request's SQL costs PostgreSQL, without HTTP or either server in the way: each read shape's
// statement, ours and PostGraphile's, captured at the driver and replayed by pgbench (10 clients), the two
// taking turns; machine CPU (/proc/stat) per statement. docs/performance.md, "The page statement's own cost".
//   npx tsx bench/replay.ts [--shapes toContent,umbracoParent,one] [--seconds 5] [--rounds 3] [--clients 10]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Sent } from './peers/count.js';
import { DEFAULT_URL, option, seedPostgres } from './seed.js';
import { startPostgraphile } from './servers.js';
import { buildShapes, selectShapes, type Viewer } from './shapes.js';
import { sendToPeer, withOurApp } from './statements.js';
import type { Target } from './targets.js';

const args = process.argv.slice(2);
const seconds = Number(option(args, '--seconds') ?? 5);
const rounds = Number(option(args, '--rounds') ?? 3);
const clients = Number(option(args, '--clients') ?? 10);
const databaseUrl = process.env.BENCH_DATABASE_URL || DEFAULT_URL;
const selection = selectShapes(option(args, '--shapes') ?? 'toContent,umbracoParent,one');

const require = createRequire(import.meta.url);
// pg's own conversion of a parameter to its text form (dates, arrays, buffers), so pgbench sends what pg sent.
const { prepareValue } = require('pg/lib/utils') as { prepareValue: (v: unknown) => unknown };

/** Our statements: the in-process app on the bench database, the driver's queries recorded around one request. */
async function captureOurs(targets: Target[]): Promise<Map<string, Sent[]>> {
  const sent: Sent[] = [];
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...a: unknown[]) {
    const [q] = a as [{ text?: string; values?: unknown[]; name?: string } | string];
    if (typeof q === 'object' && q.text) sent.push({ text: q.text, values: q.values ?? [], named: Boolean(q.name) });
    return (query as (...x: unknown[]) => unknown).apply(this, a);
  } as typeof query;
  try {
    return await withOurApp(databaseUrl, async (send) => {
      const captured = new Map<string, Sent[]>();
      for (const target of targets) {
        await send(target); // the token is remembered after the first request: a read is one statement from then on
        sent.length = 0;
        await send(target);
        captured.set(target.key, [...sent]);
      }
      return captured;
    });
  } finally {
    pg.Client.prototype.query = query;
  }
}

/** PostGraphile's statements: its recorder (bench/peers/count.ts) around one request, after a warm-up one. */
async function capturePeer(target: Target): Promise<Sent[]> {
  const base = new URL(target.url).origin;
  const state = async () => (await (await fetch(`${base}/__statements`)).json()) as { count: number; recent: Sent[] };
  await sendToPeer(target);
  const before = (await state()).count;
  await sendToPeer(target);
  const after = await state();
  const n = after.count - before;
  if (n < 1 || n > after.recent.length) throw new Error(`${target.label}: ${n} statements, more than the recorder keeps`);
  return after.recent.slice(-n);
}

/** Machine CPU time so far, ms (every core, every process: PostgreSQL's backends and pgbench alike). */
function busyMs(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = fields;
  return (user + nice + system + irq + softirq + steal) * 10; // USER_HZ is 100 on Linux
}

interface Script {
  key: string;
  file: string;
  defines: string[];
  mode: 'prepared' | 'extended';
  genericPlans: boolean;
  statements: number;
}

/** A pgbench script of the statements, their `$n` as `:pn` variables with the values given by -D. */
function scriptOf(dir: string, key: string, statements: Sent[], genericPlans: boolean): Script {
  const defines: string[] = [];
  const lines = statements.map((s, i) => {
    // pgbench takes every `:name` for a variable, inside a string literal too (PostGraphile's to_char format):
    // such a literal becomes the same text built with chr(58), folded once when the statement is planned.
    const literalsSafe = s.text.replace(/'(?:[^']|'')*'/g, (literal) => (literal.includes(':') ? `(${literal.split(':').join(`' || chr(58) || '`)})` : literal));
    const text = literalsSafe.replace(/\$(\d+)/g, (_, n: string) => {
      const value = prepareValue(s.values[Number(n) - 1]);
      if (value === null || value === undefined) return 'NULL';
      defines.push(`s${i}p${n}=${String(value)}`);
      return `:s${i}p${n}`;
    });
    return `${text.trim().replace(/;$/, '')};`;
  });
  const file = join(dir, `${key}.sql`);
  writeFileSync(file, lines.join('\n') + '\n');
  return { key, file, defines, mode: statements.every((s) => s.named) ? 'prepared' : 'extended', genericPlans, statements: statements.length };
}

/** One pgbench run: requests (script executions) per second and machine CPU µs per request. */
function run(script: Script): { tps: number; cpuUs: number } {
  const before = busyMs();
  const args = ['-h', '127.0.0.1', '-U', 'postgres', '-n', '-M', script.mode, '-c', String(clients), '-j', '2', '-T', String(seconds), '-f', script.file];
  for (const d of script.defines) args.push('-D', d);
  const env = { ...process.env, PGOPTIONS: script.genericPlans ? '-c plan_cache_mode=force_generic_plan' : '' };
  const out = spawnSync('pgbench', [...args, new URL(databaseUrl).pathname.slice(1)], { encoding: 'utf8', env });
  const used = busyMs() - before;
  const done = /number of transactions actually processed: (\d+)/.exec(out.stdout);
  if (out.status !== 0 || !done) throw new Error(`pgbench ${script.key} failed: ${out.stderr || out.stdout}`);
  const n = Number(done[1]);
  return { tps: n / seconds, cpuUs: (used * 1000) / n };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  if (spawnSync('pgbench', ['--version']).status !== 0) throw new Error('pgbench is missing (Debian: postgresql-client)');
  const seeded = await seedPostgres(databaseUrl, 100_000, { log: (s) => console.log(s) });
  const viewer: Viewer = { userId: seeded.userId, email: seeded.email, token: seeded.token, fixtures: seeded.fixtures, writer: seeded.writer };
  const dir = mkdtempSync(join(tmpdir(), 'rg-replay-'));
  try {
    const scripts: Script[] = [];
    const graphile = await startPostgraphile(databaseUrl);
    try {
      const shapes = buildShapes(selection, { ours: 'http://bench', postgraphile: graphile.url }, viewer).filter((s) => s.kind === 'read');
      const ours = await captureOurs(shapes.flatMap((s) => s.targets.filter((t) => t.server === 'ours')));
      for (const target of shapes.flatMap((s) => s.targets)) {
        const statements = target.server === 'ours' ? ours.get(target.key)! : await capturePeer(target);
        // Ours as our server runs them: named, with generic plans (src/db/database.ts); PostGraphile's as it sends them.
        scripts.push(scriptOf(dir, target.key, statements, target.server === 'ours'));
      }
    } finally {
      await graphile.stop();
    }
    const results = new Map<string, { tps: number[]; cpuUs: number[] }>(scripts.map((s) => [s.key, { tps: [], cpuUs: [] }]));
    for (let round = 1; round <= rounds; round++) {
      for (const script of round % 2 ? scripts : [...scripts].reverse()) {
        const r = run(script);
        results.get(script.key)!.tps.push(r.tps);
        results.get(script.key)!.cpuUs.push(r.cpuUs);
        console.log(`round ${round}: ${script.key}: ${Math.round(r.tps)} requests/s, ${Math.round(r.cpuUs)} µs machine CPU per request`);
      }
    }
    const table = [
      `## pgbench replays, ${new Date().toISOString()}`,
      '',
      `pgbench -M prepared|extended, ${clients} clients, ${rounds} rounds of ${seconds} s, taking turns; machine CPU from /proc/stat per request (its statements).`,
      '',
      '| target | statements | protocol | requests/s (median) | machine CPU µs per request: median (runs) |',
      '| --- | --- | --- | --- | --- |',
      ...scripts.map((s) => {
        const r = results.get(s.key)!;
        const plan = s.genericPlans ? ', generic plans' : '';
        return `| ${s.key} | ${s.statements} | ${s.mode}${plan} | ${Math.round(median(r.tps))} | ${Math.round(median(r.cpuUs))} (${r.cpuUs.map(Math.round).join(', ')}) |`;
      }),
    ].join('\n');
    console.log(`\n${table}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
process.exit(0);
