// req/s of the flat GraphQL query (the bench user's likes) on the deployment topologies of docs/deployment.md:
// direct on the primary, reads on a streaming replica (DATABASE_READ_URL), and through pgbouncer in session and
// in transaction mode (PG_PREPARED_STATEMENTS=false, LISTEN direct). Its own throwaway clusters (initdb,
// pg_basebackup) on spare ports; never the server on 5432. Two cores cannot show scaling: this guards against
// regressions of one topology against the others, not for speed-up.
//   npm run bench:topology -- [--relations N] [--seconds S] [--connections C]
import { startClusters } from '../test/support/clusters.js';
import { startPgbouncer } from '../test/support/pgbouncer.js';
import { load } from './load.js';
import { startChild } from './processes.js';
import { option, relationsOption, seedPostgres } from './seed.js';
import { ourCommand } from './servers.js';
import { ourGraphql } from './targets.js';

const args = process.argv.slice(2);
const relations = relationsOption(args, 20_000);
const seconds = Number(option(args, '--seconds') ?? 10);
const connections = Number(option(args, '--connections') ?? 10);

const clusters = await startClusters();
const cleanups: (() => Promise<void> | void)[] = [() => clusters.destroy()];
try {
  const primary = clusters.primary.url('relation_gateway_bench');
  const seeded = await seedPostgres(primary, relations, { peers: false });
  const replica = (await clusters.addReplica()).url('relation_gateway_bench');
  const session = await startPgbouncer(primary, 'session');
  const transaction = await startPgbouncer(primary, 'transaction');
  cleanups.push(session.stop, transaction.stop);

  const topologies: { label: string; env: Record<string, string> }[] = [
    { label: 'direct, primary only', env: { DATABASE_URL: primary } },
    { label: 'direct, reads on a replica', env: { DATABASE_URL: primary, DATABASE_READ_URL: replica } },
    { label: 'pgbouncer session mode', env: { DATABASE_URL: session.url(primary) } },
    {
      label: 'pgbouncer transaction mode, unnamed statements',
      env: { DATABASE_URL: transaction.url(primary), DATABASE_LISTEN_URL: primary, PG_PREPARED_STATEMENTS: 'false' },
    },
  ];
  const rows: { label: string; reqPerSec: number; p50: number; p99: number; failed: number }[] = [];
  for (const topology of topologies) {
    const child = await startChild(topology.label, ourCommand(), { LOG_LEVEL: 'warn', DEMO: 'false', NODE_ENV: 'production', ...topology.env }, '/readyz');
    try {
      const target = ourGraphql(child.url, seeded.token);
      await load(target, { connections, seconds: Math.min(3, seconds) }); // warm-up: connections, plans, JIT
      const r = await load(target, { connections, seconds });
      rows.push({ label: topology.label, reqPerSec: r.reqPerSec, p50: r.p50, p99: r.p99, failed: r.errors + r.non2xx });
    } finally {
      await child.stop();
    }
  }
  const base = rows[0].reqPerSec;
  console.log(`\nflat GraphQL query, ${relations} relations, ${connections} connections, ${seconds} s each\n`);
  console.log('| topology | req/s | vs direct | p50 ms | p99 ms | failed |\n|---|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.label} | ${r.reqPerSec} | ${Math.round((r.reqPerSec / base) * 100)} % | ${r.p50} | ${r.p99} | ${r.failed} |`);
} finally {
  for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => {});
}
