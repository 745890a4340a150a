// How each server under test is started: ours from compiled JavaScript, the peers from bench/peers.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startChild, type Child } from './processes.js';

export const ROOT = join(import.meta.dirname, '..');

/** Our production entry point, compiled (`npm run build`). */
export function ourCommand(): string[] {
  const cli = join(ROOT, 'dist', 'cli.js');
  if (existsSync(cli)) return [cli, 'serve'];
  const server = join(ROOT, 'dist', 'server.js');
  if (existsSync(server)) return [server];
  throw new Error('dist/cli.js is missing: run `npm run build` first (npm run bench does)');
}

/** Starts our server; with `profileDir`, under `node --cpu-prof` (the profile is written when it stops). */
export function startOurs(db: { databaseUrl?: string; dataDir?: string; profileDir?: string }, name = 'ours'): Promise<Child> {
  const env: Record<string, string> = { LOG_LEVEL: 'warn', DEMO: 'false', NODE_ENV: 'production' };
  if (db.databaseUrl) env.DATABASE_URL = db.databaseUrl;
  if (db.dataDir) env.DATA_DIR = db.dataDir;
  const profile = db.profileDir ? ['--cpu-prof', '--cpu-prof-dir', db.profileDir] : [];
  return startChild(name, [...profile, ...ourCommand()], env, '/readyz');
}

const peer = (file: string) => ['--import', 'tsx', join(ROOT, 'bench', 'peers', file)];

/**
 * PostGraphile lives in bench/peers/package.json, not in the project's dependencies: it declares Node >= 22,
 * and `npm install` of the gateway should print no engine warnings. Installed from its lockfile on first use.
 */
function installPeers(): void {
  const peers = join(ROOT, 'bench', 'peers');
  if (existsSync(join(peers, 'node_modules', 'postgraphile', 'package.json'))) return;
  console.log('installing the PostGraphile peer into bench/peers/node_modules (once) ...');
  const npm = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error', '--engine-strict=false'], { cwd: peers, stdio: 'inherit' });
  if (npm.status !== 0) throw new Error(`npm ci in bench/peers failed (exit ${npm.status})`);
}

export function startPostgraphile(databaseUrl: string): Promise<Child> {
  installPeers();
  return startChild('postgraphile', peer('postgraphile.ts'), { DATABASE_URL: databaseUrl, GRAPHILE_ENV: 'production', NODE_ENV: 'production' }, '/graphql');
}

export function startLimit(databaseUrl: string): Promise<Child> {
  return startChild('limit', peer('limit.ts'), { DATABASE_URL: databaseUrl, NODE_ENV: 'production' }, '/?user=0&first=1');
}
