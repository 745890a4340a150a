// Resident memory of `node dist/cli.js serve` on the embedded database: idle after the first start,
// under load (the README's example query through GraphQL), idle after the load, and idle after a
// warm restart; VmRSS and VmHWM from /proc/<pid>/status.
//   npm run build && npx tsx bench/footprint.ts [seconds of load=15] [connections=10]
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { EXAMPLE_QUERY } from '../src/graphql/graphiql.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
// The node flags `npm start` runs with (package.json), so these are the figures of the real start.
const START = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
const NODE_FLAGS = START.split(/\s+/).filter((arg) => arg.startsWith('--'));
const seconds = Number(process.argv[2] ?? 15);
const connections = Number(process.argv[3] ?? 10);

interface Served {
  child: ChildProcess;
  url: string;
  output: string;
}

function serve(dataDir: string): Promise<Served> {
  const child = spawn(process.execPath, [...NODE_FLAGS, join(ROOT, 'dist', 'cli.js'), 'serve'], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', DATABASE_URL: '', LOG_LEVEL: 'info' },
  });
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
      if (url) resolve({ child, url, output });
    });
    child.stderr!.on('data', (chunk) => (output += chunk));
    child.once('close', (code) => reject(new Error(`serve exited with ${code}:\n${output}`)));
  });
}

function stop(served: Served): Promise<void> {
  return new Promise((resolve) => {
    served.child.removeAllListeners('close');
    served.child.once('close', () => resolve());
    served.child.kill('SIGTERM');
  });
}

/** VmRSS and VmHWM in MB. */
function memory(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)![1]);
  return { rss: Math.round(kb('VmRSS') / 1024), hwm: Math.round(kb('VmHWM') / 1024) };
}

console.log(`node ${[...NODE_FLAGS, 'dist/cli.js', 'serve'].join(' ')}`);
const dataDir = mkdtempSync(join(tmpdir(), 'rg-footprint-'));
try {
  let served = await serve(dataDir);
  const token = /rg_[A-Za-z0-9_-]{20,}/.exec(served.output)![0];
  const pid = served.child.pid!;
  await sleep(3000);
  const idle = memory(pid);
  console.log(`idle after the first start: VmRSS ${idle.rss} MB (VmHWM ${idle.hwm} MB)`);

  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, memory(pid).rss)), 250);
  const result = await autocannon({
    url: `${served.url}/graphql`,
    method: 'POST',
    connections,
    duration: seconds,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: EXAMPLE_QUERY }),
  });
  clearInterval(sampler);
  const loaded = memory(pid);
  console.log(
    `under load (${connections} connections, ${seconds} s, ${Math.round(result.requests.average)} req/s, ${result.non2xx} non-2xx): ` +
      `VmRSS peak ${Math.max(peak, loaded.rss)} MB, VmHWM ${loaded.hwm} MB`,
  );
  await sleep(5000);
  console.log(`idle 5 s after the load: VmRSS ${memory(pid).rss} MB`);
  await stop(served);

  served = await serve(dataDir);
  await sleep(3000);
  const warm = memory(served.child.pid!);
  console.log(`idle after a warm restart: VmRSS ${warm.rss} MB (VmHWM ${warm.hwm} MB)`);
  await stop(served);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
