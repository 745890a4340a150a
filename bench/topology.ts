// req/s of the flat GraphQL query (the bench user's likes) on the deployment topologies of docs/deployment.md:
// direct on the primary, reads on a streaming replica (DATABASE_READ_URL), and through pgbouncer in session and
// in transaction mode (PG_PREPARED_STATEMENTS=false, LISTEN direct), and through a pgbouncer 1.21 or later in
// transaction mode with named statements (PG_PREPARED_STATEMENTS=pooled; scripts/pgbouncer-build.sh builds one,
// the row is left out without it). Its own throwaway clusters (initdb,
// pg_basebackup) on spare ports; never the server on 5432. Two cores cannot show scaling: this guards against
// regressions of one topology against the others, not for speed-up.
//   npm run bench:topology -- [--relations N] [--seconds S] [--connections C] [--rounds R]
import { startClusters } from '../test/support/clusters.js';
import { pgbouncerVersion, preparedPgbouncerMissing, startPgbouncer } from '../test/support/pgbouncer.js';
import { load } from './load.js';
import { startChild } from './processes.js';
import { option, relationsOption, seedPostgres } from './seed.js';
import { ourCommand } from './servers.js';
import { ourGraphql } from './targets.js';

const args = process.argv.slice(2);
const relations = relationsOption(args, 20_000);
const seconds = Number(option(args, '--seconds') ?? 10);
const connections = Number(option(args, '--connections') ?? 10);
const rounds = Math.max(1, Number(option(args, '--rounds') ?? 3));

const clusters = await startClusters();
const cleanups: (() => Promise<void> | void)[] = [() => clusters.destroy()];
try {
  const primary = clusters.primary.url('relation_gateway_bench');
  const seeded = await seedPostgres(primary, relations, { peers: false });
  const replica = (await clusters.addReplica()).url('relation_gateway_bench');
  const session = await startPgbouncer(primary, 'session');
  const transaction = await startPgbouncer(primary, 'transaction');
  cleanups.push(session.stop, transaction.stop);
  const pooled = preparedPgbouncerMissing ? undefined : await startPgbouncer(primary, 'transaction', { maxPreparedStatements: 100 });
  if (pooled) cleanups.push(pooled.stop);
  else console.log(`(the PG_PREPARED_STATEMENTS=pooled row is left out: ${preparedPgbouncerMissing})`);

  const topologies: { label: string; env: Record<string, string> }[] = [
    { label: 'direct, primary only', env: { DATABASE_URL: primary } },
    { label: 'direct, reads on a replica', env: { DATABASE_URL: primary, DATABASE_READ_URL: replica } },
    { label: `pgbouncer ${pgbouncerVersion()} session mode`, env: { DATABASE_URL: session.url(primary) } },
    {
      label: `pgbouncer ${pgbouncerVersion()} transaction mode, unnamed statements`,
      env: { DATABASE_URL: transaction.url(primary), DATABASE_LISTEN_URL: primary, PG_PREPARED_STATEMENTS: 'false' },
    },
    ...(pooled
      ? [
          {
            label: `pgbouncer ${pgbouncerVersion(true)} transaction mode, named statements (pooled)`,
            env: { DATABASE_URL: pooled.url(primary), DATABASE_LISTEN_URL: primary, PG_PREPARED_STATEMENTS: 'pooled' },
          },
        ]
      : []),
  ];
  // Interleaved rounds (every topology once per round), each figure the median of its rounds: one run on a shared
  // two-core machine swings by 10-20 %.
  const runs = new Map<string, { reqPerSec: number; p50: number; p99: number; failed: number }[]>(topologies.map((t) => [t.label, []]));
  for (let round = 1; round <= rounds; round++) {
    for (const topology of topologies) {
      const child = await startChild(topology.label, ourCommand(), { LOG_LEVEL: 'warn', DEMO: 'false', NODE_ENV: 'production', ...topology.env }, '/readyz');
      try {
        const target = ourGraphql(child.url, seeded.token);
        await load(target, { connections, seconds: Math.min(3, seconds) }); // warm-up: connections, plans, JIT
        const r = await load(target, { connections, seconds });
        runs.get(topology.label)!.push({ reqPerSec: r.reqPerSec, p50: r.p50, p99: r.p99, failed: r.errors + r.non2xx });
        console.log(`  round ${round}/${rounds}: ${topology.label}: ${r.reqPerSec} req/s`);
      } finally {
        await child.stop();
      }
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const rows = topologies.map(({ label }) => {
    const of = runs.get(label)!;
    return {
      label,
      reqPerSec: median(of.map((r) => r.reqPerSec)),
      p50: median(of.map((r) => r.p50)),
      p99: median(of.map((r) => r.p99)),
      failed: of.reduce((sum, r) => sum + r.failed, 0),
    };
  });
  const base = rows[0].reqPerSec;
  console.log(`\nflat GraphQL query, ${relations} relations, ${connections} connections, ${seconds} s each, medians of ${rounds} interleaved rounds\n`);
  console.log('| topology | req/s | vs direct | p50 ms | p99 ms | failed (all rounds) |\n|---|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.label} | ${r.reqPerSec} | ${Math.round((r.reqPerSec / base) * 100)} % | ${r.p50} | ${r.p99} | ${r.failed} |`);
} finally {
  for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => {});
}
