// The results as JSON and as markdown tables, plus the issues' targets, met or not.
import type { LoadResult } from './load.js';
import { profileMarkdown, type ProfileSummary } from './profile.js';
import type { RoundResult, Summary } from './rounds.js';
import { OUR_KEYS, READ_KEYS } from './shapes.js';
import type { StatementCount } from './statements.js';

export interface Rss {
  startMb: number;
  peakMb: number;
  meanMb: number;
  samples: number;
}

/** Req/s medians of an earlier run (the baseline the write targets are judged against). */
export interface Baseline {
  file: string;
  date: string;
  reqPerSec: Record<string, number>;
}

export interface Results {
  date: string;
  machine: Record<string, string | number>;
  options: { relations: number; seconds: number; warmupSeconds: number; connections: number; rounds: number; shapes: string[]; deepOffset: number };
  server: string;
  seed: { relations: number; benchLikes: number; seconds: number; reused: boolean };
  /** Medians across rounds, one row per target. */
  summary: Summary[];
  rounds: RoundResult[];
  statements: StatementCount[];
  agreement: Record<string, string>;
  deep: LoadResult[];
  /** Each read shape on PGlite, and just before it on PostgreSQL (our server, the main data set). */
  pglite: { relations: number; results: LoadResult[]; postgres: LoadResult[]; ratioToPostgres: Record<string, number | null> } | null;
  scale: { relations: number; results: LoadResult[] }[] | null;
  profiles: (ProfileSummary & { key: string; file: string })[];
  baseline: Baseline | null;
  failures: string[];
  targets: { target: string; value: string; met: boolean | null }[];
}

export const ratio = (a?: { reqPerSec: number }, b?: { reqPerSec: number }) => (a && b && b.reqPerSec > 0 ? Math.round((a.reqPerSec / b.reqPerSec) * 100) / 100 : null);

const WRITE_KEYS = [...OUR_KEYS.putExisting, ...OUR_KEYS.putNew, ...OUR_KEYS.delete];

function perRequest(statements: StatementCount[], key: string): string {
  const rows = statements.filter((s) => s.key === key);
  return rows.length ? rows.map((s) => (s.pageSize === undefined ? String(s.statements) : `${s.statements} (first ${s.pageSize})`)).join(', ') : '–';
}

/** The issues' targets, judged from the numbers of this run (null: not measured). */
export function judge(r: Omit<Results, 'targets'>): Results['targets'] {
  const t: Results['targets'] = [];
  const add = (target: string, value: number | null | undefined, ok: (v: number) => boolean, fmt = (v: number) => `${v}`) =>
    t.push({ target, value: value == null || Number.isNaN(value) ? 'not measured' : fmt(value), met: value == null || Number.isNaN(value) ? null : ok(value) });
  const x = (v: number) => `${v}×`;
  const row = (key: string) => r.summary.find((s) => s.key === key);
  const peerOf = (s: Summary, server: string) => r.summary.find((p) => p.question === s.question && p.server === server);

  for (const key of READ_KEYS) {
    const s = row(key);
    if (!s) continue;
    // Issue 12's floor for GraphQL, issue 13's for the nested walk.
    const floor = key === 'graphql' || key === 'graphqlNested' ? 1.5 : 1.2;
    add(`${key}: ≥ ${floor}× PostGraphile req/s`, s.vsPostgraphile, (v) => v >= floor, x);
    const pg = peerOf(s, 'postgraphile');
    const cpu = s.cpuMsPerRequest !== undefined && pg?.cpuMsPerRequest !== undefined ? s.cpuMsPerRequest / pg.cpuMsPerRequest : null;
    add(
      `${key}: server CPU/request ≤ PostGraphile's`,
      cpu === null ? null : Math.round(cpu * 100) / 100,
      (v) => v <= 1,
      (v) => `${s.cpuMsPerRequest} vs ${pg?.cpuMsPerRequest} ms (${v}×)`,
    );
  }
  for (const s of r.summary.filter((s) => s.server === 'ours')) {
    const counts = r.statements.filter((c) => c.key === s.key).map((c) => c.statements);
    // The nested walk: the token lookup and one statement per level (issue 13).
    const limit = WRITE_KEYS.includes(s.key) ? 3 : s.key === 'graphqlNested' ? 4 : 2;
    add(`${s.key}: ≤ ${limit} SQL statements per request`, counts.length ? Math.max(...counts) : null, (v) => v <= limit);
  }
  for (const key of ['putExisting', 'delete']) {
    const base = r.baseline?.reqPerSec[key];
    const now = row(key)?.reqPerSec;
    const value = base && now ? Math.round((now / base) * 100) / 100 : null;
    add(
      `${key}: ≥ 2× the baseline's req/s`,
      value,
      (v) => v >= 2,
      (v) => `${v}× (${now} vs ${base} req/s)`,
    );
  }
  add('graphql: ≥ 0.4× the limit (issue 6)', row('graphql')?.vsLimit, (v) => v >= 0.4, x);
  if (r.scale && r.scale.length === 2) {
    const [small, big] = r.scale;
    for (const key of [...READ_KEYS, 'graphqlDeep', 'restDeep']) {
      const a = small.results.find((s) => s.key === key);
      const b = big.results.find((s) => s.key === key);
      if (!a && !b) continue;
      add(
        `${key}: p50 at ${big.relations.toLocaleString('en')} ≤ 1.3× p50 at ${small.relations.toLocaleString('en')}`,
        a && b && a.p50 > 0 ? Math.round((b.p50 / a.p50) * 100) / 100 : null,
        (v) => v <= 1.3,
        x,
      );
    }
  } else {
    add('p50 at 1M ≤ 1.3× p50 at 10k', null, () => false);
  }
  for (const [key, value] of Object.entries(r.pglite?.ratioToPostgres ?? { graphql: null })) add(`${key}: PGlite ≥ 0.35× PostgreSQL req/s`, value, (v) => v >= 0.35, x);
  const rss = Math.max(...r.summary.map((m) => m.rss?.peakMb ?? -Infinity));
  add(
    'RSS ≤ 250 MB under load',
    Number.isFinite(rss) ? rss : null,
    (v) => v <= 250,
    (v) => `${v} MB peak`,
  );
  return t;
}

function table(rows: LoadResult[]): string[] {
  const head = ['target', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'non-2xx', 'server CPU ms/request'];
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${[`${r.label} (\`${r.key}\`)`, r.reqPerSec, r.p50, r.p99, r.errors, r.non2xx, r.cpuMsPerRequest ?? '–'].join(' | ')} |`),
  ];
}

const times = (v: number | null | undefined) => (v == null ? '–' : `${v}×`);

function summaryTable(r: Results): string[] {
  const head = [
    'shape',
    'server',
    'req/s',
    'req/s by round',
    'p50 ms',
    'p99 ms',
    'server CPU ms/request',
    'database CPU ms/request',
    'SQL/request',
    '÷ PostGraphile',
    '÷ limit',
    'errors / non-2xx',
    'RSS MB (before → peak)',
  ];
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`];
  for (const s of r.summary) {
    const rss = s.rss ? `${s.rss.startMb} → ${s.rss.peakMb}` : '–';
    lines.push(
      `| ${[s.question, `${s.label} (\`${s.key}\`)`, s.reqPerSec, s.perRound.join(', '), s.p50, s.p99, s.cpuMsPerRequest ?? '–', s.dbCpuMsPerRequest ?? '–', perRequest(r.statements, s.key), times(s.vsPostgraphile), times(s.vsLimit), `${s.errors} / ${s.non2xx}`, rss].join(' | ')} |`,
    );
  }
  return lines;
}

function scaleTable(r: Results): string[] {
  if (r.scale?.length !== 2) return [];
  const [small, big] = r.scale;
  const keys = [...new Set([...small.results, ...big.results].map((s) => s.key))];
  const lines = [
    `### ${small.relations.toLocaleString('en')} against ${big.relations.toLocaleString('en')} relations (our server, two instances side by side; each shape on the smaller, then at once on the larger)`,
    '',
    `| target | req/s at ${small.relations.toLocaleString('en')} | at ${big.relations.toLocaleString('en')} | p50 ms at ${small.relations.toLocaleString('en')} | at ${big.relations.toLocaleString('en')} | p50 ratio | server CPU ms/request, both |`,
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const key of keys) {
    const a = small.results.find((s) => s.key === key);
    const b = big.results.find((s) => s.key === key);
    const p = a && b && a.p50 > 0 ? `${Math.round((b.p50 / a.p50) * 100) / 100}×` : '–';
    lines.push(
      `| ${(a ?? b)!.label.replace(/, at [\d,]+$/, '')} (\`${key}\`) | ${a?.reqPerSec ?? '–'} | ${b?.reqPerSec ?? '–'} | ${a?.p50 ?? '–'} | ${b?.p50 ?? '–'} | ${p} | ${a?.cpuMsPerRequest ?? '–'} / ${b?.cpuMsPerRequest ?? '–'} |`,
    );
  }
  return [...lines, ''];
}

function pgliteTable(r: Results): string[] {
  if (!r.pglite) return [];
  const lines = [
    `### Embedded PGlite (${r.pglite.relations.toLocaleString('en')} relations) against PostgreSQL (our server; each shape on PostgreSQL, then at once on PGlite)`,
    '',
    '| target | PGlite req/s | p50 ms | server CPU ms/request | PostgreSQL req/s | p50 ms | server CPU ms/request | PGlite ÷ PostgreSQL, req/s |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const p of r.pglite.results) {
    const pg = r.pglite.postgres.find((s) => s.key === p.key);
    lines.push(
      `| ${p.label} (\`${p.key}\`) | ${p.reqPerSec} | ${p.p50} | ${p.cpuMsPerRequest ?? '–'} | ${pg?.reqPerSec ?? '–'} | ${pg?.p50 ?? '–'} | ${pg?.cpuMsPerRequest ?? '–'} | ${times(r.pglite.ratioToPostgres[p.key])} |`,
    );
  }
  return [...lines, ''];
}

export function markdown(r: Results): string {
  const lines: string[] = [];
  const m = r.machine;
  const o = r.options;
  lines.push(`## Benchmark, ${r.date}`, '');
  lines.push(
    `Machine: ${m.cpuModel}, ${m.cpus} cores, ${m.memoryGb} GB, ${m.os}; Node ${m.node}; ${m.postgres}. ` +
      `Load average at start: ${m.loadAverage}; at the end: ${m.loadAverageEnd ?? '–'}. Server, database, peers and load generator share the machine.` +
      (m.statementLogging ? ` **PostgreSQL logged every statement during this run (${m.statementLogging}): the figures include that cost.**` : ''),
  );
  lines.push(
    `Data: ${r.seed.relations.toLocaleString('en')} relations; the bench user (not an admin) likes ${r.seed.benchLikes.toLocaleString('en')} pages, ` +
      `some in private spaces it cannot see. autocannon, ${o.connections} connections; ${o.rounds} interleaved rounds of ${o.seconds} s per target ` +
      `(each target warmed up for ${o.warmupSeconds} s before its first round). Our server: \`${r.server}\`. ` +
      `Figures are medians across the rounds; a ratio is the median of the per-round ratios of req/s. ` +
      `Server CPU ms/request: the user + system time of the server's process during the measured run (from /proc/<pid>/stat) divided by the requests it answered; it moves far less with the machine's load than req/s. ` +
      `Database CPU ms/request: the same for every PostgreSQL process on the machine (the server under load is the database's only client while it runs), so it shows what each server's SQL costs the database, which shares the two cores. ` +
      `SQL/request: statements sent to the database for one request, counted at the driver.`,
    '',
  );
  lines.push(...summaryTable(r), '');
  lines.push(
    `Same answer from every server: ${
      Object.entries(r.agreement)
        .map(([q, a]) => `${q} ${a}`)
        .join(', ') || '–'
    }.`,
    '',
  );
  if (r.deep.length) lines.push(`### Deep page (offset ${o.deepOffset.toLocaleString('en')}), our server`, '', ...table(r.deep), '');
  lines.push(...pgliteTable(r), ...scaleTable(r));
  lines.push('### Targets (issues 12 and 13, and issue 6 where still tracked)', '', '| target | this run | met |', '| --- | --- | --- |');
  for (const t of r.targets) lines.push(`| ${t.target} | ${t.value} | ${t.met === null ? '–' : t.met ? 'yes' : 'no'} |`);
  if (r.baseline) lines.push('', `Baseline for the write targets: \`${r.baseline.file}\` (${r.baseline.date}).`);
  for (const p of r.profiles) lines.push('', profileMarkdown(`\`${p.key}\` under load (\`${p.file}\`)`, p).trimEnd());
  if (r.failures.length) lines.push('', '### Failures', '', ...r.failures.map((f) => `- ${f.replaceAll('\n', ' ').slice(0, 500)}`));
  return lines.join('\n') + '\n';
}
