// How long `npm start` takes to listen: on an empty DATA_DIR (creates the database, the admin and the demo
// data) with an empty cache folder (initdb, then the empty migrated database is cached), on another empty
// DATA_DIR from that cached copy, then warm several times on the first folder with dist/ current.
//   npx tsx bench/startup.ts [runs=5]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv[2] ?? 5);

/** Milliseconds from spawning `npm start` to its "listening on" line; then stops it (the whole process group). */
function timeStart(dataDir: string, cache: string): Promise<number> {
  const started = performance.now();
  const child = spawn('npm', ['start', '--silent'], {
    cwd: ROOT,
    detached: true,
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', DATABASE_URL: '', XDG_CACHE_HOME: cache },
  });
  let output = '';
  let listened: number | undefined;
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (!output.includes('listening on')) return;
      listened = performance.now() - started;
      child.stdout.off('data', onData);
      process.kill(-child.pid!, 'SIGINT');
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('close', (code) => (listened === undefined ? reject(new Error(`npm start exited with ${code} before listening:\n${output}`)) : resolve(listened)));
  });
}

const dataDir = mkdtempSync(join(tmpdir(), 'rg-startup-'));
const secondDir = mkdtempSync(join(tmpdir(), 'rg-startup-'));
const cache = mkdtempSync(join(tmpdir(), 'rg-startup-cache-'));
try {
  const first = await timeStart(dataDir, cache);
  console.log(`first start (empty DATA_DIR, empty cache: initdb): ${(first / 1000).toFixed(1)} s`);
  const copied = await timeStart(secondDir, cache);
  console.log(`first start (empty DATA_DIR, from the cached empty database): ${(copied / 1000).toFixed(1)} s`);
  const warm: number[] = [];
  for (let i = 0; i < runs; i++) warm.push(await timeStart(dataDir, cache));
  warm.sort((a, b) => a - b);
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(`warm start, ${runs} runs: min ${s(warm[0])}, median ${s(warm[Math.floor(runs / 2)])}, max ${s(warm[runs - 1])}`);
} finally {
  for (const dir of [dataDir, secondDir, cache]) rmSync(dir, { recursive: true, force: true });
}
