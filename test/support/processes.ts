// The CLI as a real child process (from source, through tsx), on a temporary data folder or a fresh PostgreSQL database.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = [process.execPath, '--import', 'tsx', join(ROOT, 'src', 'cli.ts')];

/** Where a test's gateway keeps its data: always a temporary DATA_DIR, plus DATABASE_URL under TEST_DATABASE_URL. */
export interface Place {
  env: Record<string, string>;
  dataDir: string;
  kind: 'pglite' | 'postgres';
  cleanup(): Promise<void>;
}

export async function freshPlace(): Promise<Place> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rg-cli-'));
  const env: Record<string, string> = { DATA_DIR: dataDir };
  const base = process.env.TEST_DATABASE_URL;
  let drop = async () => {};
  if (base) {
    const name = `rg_cli_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(base);
    url.pathname = `/${name}`;
    env.DATABASE_URL = url.toString();
    drop = async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  }
  return {
    env,
    dataDir,
    kind: base ? 'postgres' : 'pglite',
    cleanup: async () => {
      await drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// A test that times out or a worker that exits must not leave gateways running.
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

function track<T extends ChildProcess>(child: T): T {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const { DATABASE_URL: _url, TEST_DATABASE_URL: _test, ADMIN_EMAIL: _admin, DEMO: _demo, ...rest } = process.env;
  return { ...rest, PORT: '0', LOG_LEVEL: 'info', ...env };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = track(spawn(CLI[0], [...CLI.slice(1), ...args], { cwd: ROOT, env: childEnv(env) }));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Spawns the CLI without waiting for anything (stopped with the worker if the test leaves it running). */
export function spawnCli(args: string[], env: Record<string, string>): ChildProcess {
  return track(spawn(CLI[0], [...CLI.slice(1), ...args], { cwd: ROOT, env: childEnv(env) }));
}

export interface Serving {
  url: string;
  child: ChildProcess;
  /** Everything printed so far. */
  output(): string;
  /** Resolves when `text` has been printed. */
  printed(text: string): Promise<void>;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `serve` and resolves once it listens; rejects with its output if it exits first. */
export function startServe(env: Record<string, string>, args: string[] = []): Promise<Serving> {
  const child = track(spawn(CLI[0], [...CLI.slice(1), 'serve', ...args], { cwd: ROOT, env: childEnv(env) }));
  let output = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  const onData = (d: Buffer) => {
    output += d;
    for (const w of waiters.splice(0)) {
      if (output.includes(w.text)) w.resolve();
      else waiters.push(w);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code, signal) => {
      if (signal) output += `\n[killed by ${signal}]`;
      resolve(code);
    }),
  );
  const printed = (text: string) => (output.includes(text) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ text, resolve })));
  return new Promise((resolve, reject) => {
    exited.then((code) => reject(new Error(`serve exited with ${code} before listening:\n${output}`)));
    printed(' (database: ').then(() => {
      const url = /listening on (http:\/\/\S+)/.exec(output)![1];
      resolve({
        url,
        child,
        output: () => output,
        printed,
        stop: (signal = 'SIGTERM') => {
          child.kill(signal);
          return exited;
        },
      });
    });
  });
}

export const TOKEN = /rg_[A-Za-z0-9_-]{20,}/g;

/** POSTs a GraphQL operation to a served gateway. */
export async function graphql(url: string, token: string, query: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: await response.json() };
}
