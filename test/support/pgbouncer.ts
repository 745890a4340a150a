// A real pgbouncer, started by a test on a spare port in front of a PostgreSQL server: Debian's package (1.18 on
// Debian 12), or for prepared statements in transaction mode a 1.21 or later (scripts/pgbouncer-build.sh).
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, createConnection } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

const BINARY = ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer'].find((path) => existsSync(path));

/** Why pgbouncer tests cannot run here, or undefined when they can. */
export const pgbouncerMissing = BINARY ? undefined : 'pgbouncer is not installed (apt-get install pgbouncer; .ci/run installs it)';

/** "PgBouncer 1.24.1" → [1, 24]; undefined when the binary does not run. */
function versionOf(binary: string): [number, number] | undefined {
  const match = /PgBouncer (\d+)\.(\d+)/.exec(spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout ?? '');
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/** Where scripts/pgbouncer-build.sh installs the pgbouncer it builds from Debian's source package. */
const BUILT = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'relation-gateway', 'pgbouncer', 'bin', 'pgbouncer');

/** A pgbouncer that keeps prepared statements in transaction mode (`max_prepared_statements`, 1.21 or later). */
const PREPARED_BINARY = [process.env.PGBOUNCER_BINARY, BUILT, BINARY].find((path) => {
  const version = path && existsSync(path) ? versionOf(path) : undefined;
  return version !== undefined && (version[0] > 1 || version[1] >= 21);
});

/** Why the tests of named statements through transaction mode cannot run here, or undefined when they can. */
export const preparedPgbouncerMissing = PREPARED_BINARY
  ? undefined
  : `no pgbouncer 1.21 or later (Debian 12 ships 1.18): run scripts/pgbouncer-build.sh (.ci/run does), or set PGBOUNCER_BINARY`;

/** The version of the pgbouncer startPgbouncer starts, e.g. "1.24". */
export function pgbouncerVersion(preparedStatements = false): string {
  const binary = preparedStatements ? PREPARED_BINARY : BINARY;
  return binary ? (versionOf(binary)?.join('.') ?? '?') : 'none';
}

/** A port nothing listens on right now. */
export function sparePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port });
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nothing listens on ${port} after ${ms} ms`);
}

export interface Pgbouncer {
  port: number;
  /** `server` with pgbouncer's host and port instead (same database and user). */
  url(server: string): string;
  /** Everything pgbouncer logged. */
  log(): string;
  stop(): Promise<void>;
}

/**
 * pgbouncer in `mode` in front of the server of `server` (a postgres:// URL); every database name passes through.
 * `maxPreparedStatements`: a pgbouncer 1.21 or later that keeps that many prepared statements per server connection.
 */
export async function startPgbouncer(server: string, mode: 'session' | 'transaction', { maxPreparedStatements = 0 } = {}): Promise<Pgbouncer> {
  const binary = maxPreparedStatements ? PREPARED_BINARY : BINARY;
  if (!binary) throw new Error(maxPreparedStatements ? preparedPgbouncerMissing : pgbouncerMissing);
  const target = new URL(server);
  const dir = mkdtempSync(join(tmpdir(), 'rg-pgbouncer-'));
  chmodSync(dir, 0o777);
  const port = await sparePort();
  const ini = join(dir, 'pgbouncer.ini');
  writeFileSync(
    ini,
    [
      '[databases]',
      `* = host=${target.hostname} port=${target.port || 5432} user=${decodeURIComponent(target.username || 'postgres')}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      // Any client user name is accepted and every server connection logs in as the user above: a test-only setup.
      'auth_type = any',
      `pool_mode = ${mode}`,
      'max_client_conn = 500',
      'default_pool_size = 20',
      'ignore_startup_parameters = extra_float_digits,options',
      // The admin console (database `pgbouncer`, SHOW STATS) for any user: test-only, like auth_type.
      'admin_users = postgres',
      ...(maxPreparedStatements ? [`max_prepared_statements = ${maxPreparedStatements}`] : []),
      `logfile = ${join(dir, 'pgbouncer.log')}`,
      `pidfile = ${join(dir, 'pgbouncer.pid')}`,
      '',
    ].join('\n'),
  );
  chmodSync(ini, 0o644);
  // As root, pgbouncer switches to the postgres user itself (-u), so signals reach it directly.
  const child = spawn(binary, process.getuid?.() === 0 ? ['-u', 'postgres', ini] : [ini], { stdio: 'ignore' });
  process.once('exit', () => child.kill('SIGKILL'));
  const log = () => (existsSync(join(dir, 'pgbouncer.log')) ? readFileSync(join(dir, 'pgbouncer.log'), 'utf8') : '');
  try {
    await waitForPort(port);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`pgbouncer did not start: ${(error as Error).message}\n${log()}`);
  }
  return {
    port,
    url(of: string) {
      const url = new URL(of);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      return url.toString();
    },
    log,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
