// Child processes under test: start on a free 127.0.0.1 port, wait until they answer, sample RSS, stop.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

export interface Child {
  name: string;
  url: string;
  process: ChildProcess;
  /** performance.now() when it was spawned. */
  startedAt: number;
  output(): string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Spawns `node args` with `env` + PORT/HOST and waits until `ready` (a path) answers below 500. */
export async function startChild(name: string, args: string[], env: Record<string, string>, ready: string, timeoutMs = 60_000): Promise<Child> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const startedAt = performance.now();
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (chunk: Buffer) => void (log = (log + chunk.toString()).slice(-20_000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode} before answering:\n${log}`);
    try {
      const res = await fetch(url + ready, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${name} did not answer ${ready} within ${timeoutMs / 1000} s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return { name, url, process: child, startedAt, output: () => log, stop };
}

/** Samples VmRSS of a process every `everyMs` until stopped; returns the RSS before, the peak and the mean, in MB. */
export function sampleRss(pid: number, everyMs = 200): { stop(): { startMb: number; peakMb: number; meanMb: number; samples: number } } {
  const samples: number[] = [];
  const read = () => {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (match) samples.push(Number(match[1]) / 1024);
    } catch {
      // the process is gone or /proc is missing (not Linux)
    }
  };
  read();
  const timer = setInterval(read, everyMs);
  return {
    stop() {
      clearInterval(timer);
      read();
      const peakMb = samples.length ? Math.max(...samples) : NaN;
      const meanMb = samples.length ? samples.reduce((a, b) => a + b, 0) / samples.length : NaN;
      return { startMb: round(samples[0] ?? NaN), peakMb: round(peakMb), meanMb: round(meanMb), samples: samples.length };
    },
  };
}

/** CPU time (user + system) the process has used so far, in ms; NaN where /proc is missing. */
export function cpuMs(pid: number): number {
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th, in clock ticks (100 Hz on Linux).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(')').pop()!.trim().split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

/**
 * CPU time (user + system) used so far by every `postgres` process on this machine, in ms, by pid. The bench's
 * servers share one PostgreSQL on one machine with the load generator, so the database's CPU for a request
 * decides req/s as much as the server's. A process started in between counts from zero; without /proc the map is empty.
 */
export function databaseCpu(): Map<number, number> {
  const cpu = new Map<number, number>();
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return cpu;
  }
  for (const pid of pids) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'postgres') continue;
      const used = cpuMs(Number(pid));
      if (Number.isFinite(used)) cpu.set(Number(pid), used);
    } catch {
      // gone in between
    }
  }
  return cpu;
}

/** The database CPU used between two `databaseCpu()` readings, in ms (NaN when /proc could not be read). */
export function databaseCpuSince(before: Map<number, number>): number {
  const after = databaseCpu();
  if (!after.size) return NaN;
  let used = 0;
  for (const [pid, ms] of after) used += ms - (before.get(pid) ?? 0);
  return used;
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
