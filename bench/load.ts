// One load generator for every target: autocannon, same connections and duration for all.
import autocannon from 'autocannon';
import type { Target } from './targets.js';
import { cpuMs, databaseCpu, databaseCpuSince, round } from './processes.js';

export interface LoadResult {
  key: string;
  label: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
  non2xx: number;
  seconds: number;
  /** CPU time the server used per request during the measured run (not the warm-up), when its pid is known. */
  cpuMsPerRequest?: number;
  /** CPU time every PostgreSQL process used per request during the measured run (the server under load is the only client then). */
  dbCpuMsPerRequest?: number;
}

export interface LoadOptions {
  connections: number;
  seconds: number;
}

/** Loads the target for `seconds`; a target with `vary` builds every request anew. */
export function fire(target: Target, opts: LoadOptions): Promise<autocannon.Result> {
  const common = { connections: opts.connections, duration: opts.seconds };
  if (!target.vary) return autocannon({ ...common, url: target.url, method: target.method, headers: target.headers, body: target.body });
  const vary = target.vary;
  return autocannon({
    ...common,
    url: new URL(target.url).origin,
    requests: [
      {
        method: target.method,
        headers: target.headers,
        setupRequest: (request) => {
          const { path, body } = vary();
          return { ...request, path, ...(body === undefined ? {} : { body }) };
        },
      },
    ],
  });
}

/** The measured run (no warm-up: the caller warms up); `pid`: the server whose CPU time is counted. */
export async function load(target: Target, opts: LoadOptions, pid?: number): Promise<LoadResult> {
  const cpuBefore = pid ? cpuMs(pid) : NaN;
  const dbBefore = databaseCpu();
  const r = await fire(target, opts);
  const cpu = pid ? cpuMs(pid) - cpuBefore : NaN;
  const db = databaseCpuSince(dbBefore);
  return {
    key: target.key,
    label: target.label,
    reqPerSec: round(r.requests.total / r.duration, 0),
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    seconds: round(r.duration, 2),
    ...(Number.isFinite(cpu) && r.requests.total > 0 ? { cpuMsPerRequest: round(cpu / r.requests.total, 2) } : {}),
    ...(Number.isFinite(db) && r.requests.total > 0 ? { dbCpuMsPerRequest: round(db / r.requests.total, 2) } : {}),
  };
}
