// Interleaved rounds: in each round every shape's targets run one after the other (ours, PostGraphile, the
// limit), so a slow minute of the shared machine hits all of them alike; figures are medians across rounds,
// and a ratio is the median of the per-round ratios.
import { fire, load, type LoadOptions, type LoadResult } from './load.js';
import { sampleRss } from './processes.js';
import type { Rss } from './report.js';
import type { Shape } from './shapes.js';
import { verify, type Server, type Target } from './targets.js';

export interface RoundResult extends LoadResult {
  round: number;
}

export interface Summary {
  key: string;
  label: string;
  server: Server;
  question: string;
  rounds: number;
  /** Medians across rounds. */
  reqPerSec: number;
  p50: number;
  p99: number;
  cpuMsPerRequest?: number;
  /** Median CPU of the PostgreSQL processes per request. */
  dbCpuMsPerRequest?: number;
  errors: number;
  non2xx: number;
  perRound: number[];
  /** Medians of the per-round ratios of req/s (ours only). */
  vsPostgraphile?: number | null;
  vsLimit?: number | null;
  rss?: Rss;
}

export interface RoundsOutcome {
  rounds: RoundResult[];
  summary: Summary[];
  /** Per question: whether every server's answer agreed, e.g. "yes (4 servers)". */
  agreement: Record<string, string>;
}

export interface RoundsContext {
  rounds: number;
  load: LoadOptions & { warmupSeconds: number };
  pidOf(server: Server): number | undefined;
  say(line: string): void;
  failures: string[];
  /** Run after each round (the writes' cleanup). */
  afterRound?: () => Promise<void>;
}

export function median(values: number[]): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

function mergeRss(a: Rss | undefined, b: Rss): Rss {
  if (!a) return b;
  return { startMb: Math.min(a.startMb, b.startMb), peakMb: Math.max(a.peakMb, b.peakMb), meanMb: round2((a.meanMb + b.meanMb) / 2), samples: a.samples + b.samples };
}

export async function runRounds(shapes: Shape[], ctx: RoundsContext): Promise<RoundsOutcome> {
  const results: RoundResult[] = [];
  const rss = new Map<string, Rss>();
  const answers = new Map<string, Map<string, string>>();
  const broken = new Set<string>();
  const started = new Set<string>();
  for (let round = 1; round <= ctx.rounds; round++) {
    ctx.say(`round ${round} of ${ctx.rounds}:`);
    for (const shape of shapes) {
      for (const target of shape.targets) {
        if (broken.has(target.key)) continue;
        const r = await measureOnce(shape, target, round, !started.has(target.key), ctx, answers);
        started.add(target.key);
        if (!r) {
          broken.add(target.key);
          continue;
        }
        results.push({ ...r.result, round });
        if (r.rss) rss.set(target.key, mergeRss(rss.get(target.key), r.rss));
      }
    }
    await ctx.afterRound?.();
  }
  const agreement: Record<string, string> = {};
  for (const [question, pages] of answers) {
    const same = new Set(pages.values()).size <= 1;
    agreement[question] = same ? `yes (${pages.size} servers)` : 'NO';
    if (!same) ctx.failures.push(`${question}: servers disagree: ${JSON.stringify(Object.fromEntries(pages)).slice(0, 600)}`);
  }
  return { rounds: results, summary: summarise(shapes, results, rss), agreement };
}

async function measureOnce(
  shape: Shape,
  target: Target,
  round: number,
  first: boolean,
  ctx: RoundsContext,
  answers: Map<string, Map<string, string>>,
): Promise<{ result: LoadResult; rss?: Rss } | null> {
  const fail = (what: string) => {
    ctx.failures.push(`round ${round}, ${target.label}: ${what}`);
    ctx.say(`  ✗ ${target.label}: ${what.split('\n')[0].slice(0, 300)}`);
  };
  try {
    await shape.prepare?.(target);
    let answered = 0;
    if (first) {
      const keys = await verify(target);
      answered++;
      const page = answers.get(shape.question) ?? new Map<string, string>();
      page.set(target.label, keys.join());
      answers.set(shape.question, page);
      if (ctx.load.warmupSeconds > 0) answered += (await fire(target, { ...ctx.load, seconds: ctx.load.warmupSeconds })).requests.total;
    }
    const pid = ctx.pidOf(target.server);
    const sampler = target.server === 'ours' && pid ? sampleRss(pid) : undefined;
    const result = await load(target, ctx.load, pid);
    const rss = sampler?.stop();
    answered += result.requests;
    const problem = await shape.audit?.(target, answered);
    if (problem) fail(problem);
    const cpu =
      (result.cpuMsPerRequest === undefined ? '' : `, server CPU ${result.cpuMsPerRequest} ms/request`) +
      (result.dbCpuMsPerRequest === undefined ? '' : `, database CPU ${result.dbCpuMsPerRequest} ms/request`);
    ctx.say(`  ${target.label}: ${result.reqPerSec} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, errors ${result.errors}, non-2xx ${result.non2xx}${cpu}`);
    return { result, ...(rss ? { rss } : {}) };
  } catch (error) {
    fail(String((error as Error).message ?? error));
    return null;
  }
}

function summarise(shapes: Shape[], results: RoundResult[], rss: Map<string, Rss>): Summary[] {
  const summary: Summary[] = [];
  for (const shape of shapes) {
    const byKey = new Map(shape.targets.map((t) => [t.key, results.filter((r) => r.key === t.key)]));
    const peer = (server: Server) => shape.targets.find((t) => t.server === server)?.key;
    const ratio = (rows: RoundResult[], other?: string) => {
      if (!other) return null;
      const theirs = byKey.get(other) ?? [];
      const per = rows.flatMap((r) => {
        const t = theirs.find((x) => x.round === r.round);
        return t && t.reqPerSec > 0 ? [r.reqPerSec / t.reqPerSec] : [];
      });
      return per.length ? round2(median(per)) : null;
    };
    for (const target of shape.targets) {
      const rows = byKey.get(target.key) ?? [];
      if (!rows.length) continue;
      const cpu = median(rows.map((r) => r.cpuMsPerRequest ?? NaN));
      const dbCpu = median(rows.map((r) => r.dbCpuMsPerRequest ?? NaN));
      const ours = target.server === 'ours';
      summary.push({
        key: target.key,
        label: target.label,
        server: target.server,
        question: shape.question,
        rounds: rows.length,
        reqPerSec: Math.round(median(rows.map((r) => r.reqPerSec))),
        p50: median(rows.map((r) => r.p50)),
        p99: median(rows.map((r) => r.p99)),
        ...(Number.isFinite(cpu) ? { cpuMsPerRequest: round2(cpu) } : {}),
        ...(Number.isFinite(dbCpu) ? { dbCpuMsPerRequest: round2(dbCpu) } : {}),
        errors: rows.reduce((n, r) => n + r.errors, 0),
        non2xx: rows.reduce((n, r) => n + r.non2xx, 0),
        perRound: rows.map((r) => r.reqPerSec),
        ...(ours ? { vsPostgraphile: ratio(rows, peer('postgraphile')), vsLimit: ratio(rows, peer('limit')) } : {}),
        ...(rss.has(target.key) ? { rss: rss.get(target.key) } : {}),
      });
    }
  }
  return summary;
}
