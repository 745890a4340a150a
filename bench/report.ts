// The results as JSON and as a markdown table, plus the targets, met or not.
import type { LoadResult } from './load.js';
import { profileMarkdown, type ProfileSummary } from './profile.js';
import type { StatementCount } from './statements.js';

export interface Rss {
  startMb: number;
  peakMb: number;
  meanMb: number;
  samples: number;
}

export interface Results {
  date: string;
  machine: Record<string, string | number>;
  options: { relations: number; seconds: number; warmupSeconds: number; connections: number; deepOffset: number };
  server: string;
  seed: { relations: number; benchLikes: number; seconds: number; reused: boolean };
  main: (LoadResult & { rss?: Rss })[];
  ratios: Record<string, number | null>;
  statements: StatementCount[];
  agreement: string;
  deep: LoadResult[];
  pglite: { relations: number; results: LoadResult[]; ratioToPostgres: Record<string, number | null> } | null;
  scale: { relations: number; results: LoadResult[] }[] | null;
  profiles: (ProfileSummary & { face: string; file: string })[];
  failures: string[];
  targets: { target: string; value: string; met: boolean | null }[];
}

const find = (rows: LoadResult[], key: string) => rows.find((r) => r.key === key);

export const ratio = (a?: LoadResult, b?: LoadResult) => (a && b && b.reqPerSec > 0 ? Math.round((a.reqPerSec / b.reqPerSec) * 100) / 100 : null);

function perRequest(statements: StatementCount[], key: string): string {
  const rows = statements.filter((s) => s.key === key);
  return rows.length ? rows.map((s) => (rows.length > 1 ? `${s.statements} (first ${s.pageSize})` : String(s.statements))).join(', ') : '–';
}

/** The targets, judged from the numbers of this run (null: not measured). */
export function judge(r: Omit<Results, 'targets'>): Results['targets'] {
  const t: Results['targets'] = [];
  const add = (target: string, value: number | null | undefined, ok: (v: number) => boolean, fmt = (v: number) => `${v}`) =>
    t.push({ target, value: value == null || Number.isNaN(value) ? 'not measured' : fmt(value), met: value == null || Number.isNaN(value) ? null : ok(value) });
  const x = (v: number) => `${v}×`;
  add('GraphQL ≥ 1.0× PostGraphile req/s (stretch 1.5×)', r.ratios.graphqlVsPostgraphile, (v) => v >= 1, x);
  add('REST ≥ 1.2× PostGraphile req/s', r.ratios.restVsPostgraphile, (v) => v >= 1.2, x);
  add('GraphQL ≥ 0.4× the limit', r.ratios.graphqlVsLimit, (v) => v >= 0.4, x);
  const gql = r.statements.filter((s) => s.key === 'graphql');
  const flat = gql.length > 1 ? gql.every((s) => s.statements === gql[0].statements) : null;
  const at25 = gql.find((s) => s.pageSize === 25)?.statements;
  t.push({
    target: 'SQL statements per request independent of page size and ≤ 3 for (a)',
    value: at25 === undefined ? 'not measured' : gql.map((s) => `${s.statements} @${s.pageSize}`).join(', '),
    met: at25 === undefined ? null : at25 <= 3 && flat !== false,
  });
  if (r.scale && r.scale.length === 2) {
    const [small, big] = r.scale;
    for (const key of ['graphql', 'graphqlDeep', 'rest', 'restDeep']) {
      const a = find(small.results, key);
      const b = find(big.results, key);
      add(`p50 at ${big.relations.toLocaleString('en')} ≤ 1.3× p50 at ${small.relations.toLocaleString('en')} (${key})`, a && b && a.p50 > 0 ? Math.round((b.p50 / a.p50) * 100) / 100 : null, (v) => v <= 1.3, x);
    }
  } else {
    add('p50 at 1M ≤ 1.3× p50 at 10k (first and deep page)', null, () => false);
  }
  add('PGlite ≥ 0.35× PostgreSQL (GraphQL req/s)', r.pglite?.ratioToPostgres.graphql, (v) => v >= 0.35, x);
  const rss = Math.max(...r.main.map((m) => m.rss?.peakMb ?? -Infinity));
  add('RSS ≤ 250 MB under load', Number.isFinite(rss) ? rss : null, (v) => v <= 250, (v) => `${v} MB peak`);
  return t;
}

function table(rows: LoadResult[], extra?: (row: LoadResult) => string[], extraHead: string[] = []): string[] {
  const head = ['target', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'non-2xx', 'server CPU ms/request', ...extraHead];
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${[r.label, r.reqPerSec, r.p50, r.p99, r.errors, r.non2xx, r.cpuMsPerRequest ?? '–', ...(extra?.(r) ?? [])].join(' | ')} |`),
  ];
}

const rssCell = (rss?: Rss) => (rss ? `${rss.startMb} → ${rss.peakMb}` : '–');

export function markdown(r: Results): string {
  const lines: string[] = [];
  const m = r.machine;
  lines.push(`## Benchmark, ${r.date}`, '');
  lines.push(
    `Machine: ${m.cpuModel}, ${m.cpus} cores, ${m.memoryGb} GB, ${m.os}; Node ${m.node}; ${m.postgres}. ` +
      `Load average at start: ${m.loadAverage}. Server, database, peers and load generator share the machine.`,
  );
  lines.push(
    `Data: ${r.seed.relations.toLocaleString('en')} relations; the bench user (not an admin) likes ${r.seed.benchLikes.toLocaleString('en')} pages, ` +
      `some in private spaces it cannot see. autocannon, ${r.options.connections} connections, ${r.options.seconds} s per target after ${r.options.warmupSeconds} s warm-up. Our server: \`${r.server}\`. ` +
      `Server CPU ms/request: the user + system time of the server's process during the measured run (from /proc/<pid>/stat) divided by the requests it answered; it moves far less with the machine's load than req/s.`,
    '',
  );
  lines.push(
    ...table(
      r.main,
      (row) => [perRequest(r.statements, row.key), rssCell((row as Results['main'][number]).rss)],
      ['SQL/request', 'RSS MB (before → peak)'],
    ),
    '',
  );
  const ratio = (k: string) => (r.ratios[k] == null ? 'n/a' : `${r.ratios[k]}×`);
  lines.push(
    `Ratios (req/s): GraphQL / PostGraphile ${ratio('graphqlVsPostgraphile')}, REST / PostGraphile ${ratio('restVsPostgraphile')}, ` +
      `GraphQL / limit ${ratio('graphqlVsLimit')}, REST / limit ${ratio('restVsLimit')}. Same answer from every server: ${r.agreement}.`,
    '',
  );
  if (r.deep.length) lines.push(`### Deep page (offset ${r.options.deepOffset.toLocaleString('en')})`, '', ...table(r.deep), '');
  if (r.pglite) {
    lines.push(`### Embedded PGlite (${r.pglite.relations.toLocaleString('en')} relations) against PostgreSQL`, '', ...table(r.pglite.results), '');
    lines.push(`PGlite / PostgreSQL req/s: GraphQL ${r.pglite.ratioToPostgres.graphql ?? 'n/a'}×, REST ${r.pglite.ratioToPostgres.rest ?? 'n/a'}×.`, '');
  }
  for (const s of r.scale ?? []) lines.push(`### ${s.relations.toLocaleString('en')} relations`, '', ...table(s.results), '');
  lines.push('### Targets (issue 6)', '', '| target | this run | met |', '| --- | --- | --- |');
  for (const t of r.targets) lines.push(`| ${t.target} | ${t.value} | ${t.met === null ? '–' : t.met ? 'yes' : 'no'} |`);
  for (const p of r.profiles) lines.push('', profileMarkdown(`${p.face} under load (\`${p.file}\`)`, p).trimEnd());
  if (r.failures.length) lines.push('', '### Failures', '', ...r.failures.map((f) => `- ${f.replaceAll('\n', ' ').slice(0, 500)}`));
  return lines.join('\n') + '\n';
}
