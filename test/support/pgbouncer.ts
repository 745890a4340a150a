// A real pgbouncer (Debian's package), started by a test on a spare port in front of a PostgreSQL server.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BINARY = ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer'].find((path) => existsSync(path));

/** Why pgbouncer tests cannot run here, or undefined when they can. */
export const pgbouncerMissing = BINARY ? undefined : 'pgbouncer is not installed (apt-get install pgbouncer; .ci/run installs it)';

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

/** pgbouncer in `mode` in front of the server of `server` (a postgres:// URL); every database name passes through. */
export async function startPgbouncer(server: string, mode: 'session' | 'transaction'): Promise<Pgbouncer> {
  if (!BINARY) throw new Error(pgbouncerMissing);
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
      `logfile = ${join(dir, 'pgbouncer.log')}`,
      `pidfile = ${join(dir, 'pgbouncer.pid')}`,
      '',
    ].join('\n'),
  );
  chmodSync(ini, 0o644);
  // As root, pgbouncer switches to the postgres user itself (-u), so signals reach it directly.
  const child = spawn(BINARY, process.getuid?.() === 0 ? ['-u', 'postgres', ini] : [ini], { stdio: 'ignore' });
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
