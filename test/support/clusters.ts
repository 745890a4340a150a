// Throwaway PostgreSQL clusters for deployment tests: a primary made with initdb and streaming replicas made
// with pg_basebackup -R, on spare ports in a temporary folder (never the server on 5432 or its data).
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sparePort } from './pgbouncer.js';

const BIN = ['/usr/lib/postgresql/15/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/17/bin'].find((dir) => existsSync(join(dir, 'initdb')));

/** Why clusters cannot be made here, or undefined when they can. */
export const clustersMissing = !BIN
  ? 'PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) are not installed (apt-get install postgresql; .ci/run installs them)'
  : process.getuid?.() === 0 && spawnSync('id', ['-u', 'postgres']).status !== 0
    ? 'there is no postgres OS user to run the clusters as'
    : undefined;

/** Runs one of the server programs as the postgres OS user when we are root (the server refuses root). */
function run(program: string, args: string[]): string {
  const command = join(BIN!, program);
  const [file, argv] = process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  try {
    return execFileSync(file, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    throw new Error(`${program} ${args.join(' ')} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

export interface Cluster {
  port: number;
  /** postgres://postgres@127.0.0.1:port/database */
  url(database: string): string;
  start(): void;
  /** A fast shutdown: connections are ended, as when a server goes away. */
  stop(): void;
}

export interface Clusters {
  primary: Cluster;
  /** A new streaming replica of the primary, started. */
  addReplica(): Promise<Cluster>;
  /** Stops every cluster and removes the folder. */
  destroy(): void;
}

export async function startClusters(): Promise<Clusters> {
  if (clustersMissing) throw new Error(clustersMissing);
  const root = mkdtempSync(join(tmpdir(), 'rg-clusters-'));
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    chownSync(root, uid, gid);
  }
  const clusters: Cluster[] = [];
  const make = (dir: string, port: number): Cluster => {
    const cluster: Cluster = {
      port,
      url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
      start: () => void run('pg_ctl', ['-D', dir, '-l', join(dir, 'server.log'), '-w', '-t', '30', 'start']),
      stop: () => void run('pg_ctl', ['-D', dir, '-m', 'fast', '-w', 'stop']),
    };
    clusters.push(cluster);
    return cluster;
  };
  const settings = (dir: string, port: number) =>
    appendFileSync(
      join(dir, 'postgresql.conf'),
      [
        '',
        `port = ${port}`,
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = '${root}'`,
        // A test cluster: nothing to keep after a crash.
        'fsync = off',
        'full_page_writes = off',
        '',
      ].join('\n'),
    );

  const primaryDir = join(root, 'primary');
  const primaryPort = await sparePort();
  run('initdb', ['-D', primaryDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  settings(primaryDir, primaryPort);
  appendFileSync(
    join(primaryDir, 'postgresql.conf'),
    ['wal_level = replica', 'max_wal_senders = 10', "shared_preload_libraries = 'pg_stat_statements'", 'pg_stat_statements.track = all', ''].join('\n'),
  );
  const primary = make(primaryDir, primaryPort);
  primary.start();
  let replicas = 0;
  return {
    primary,
    async addReplica() {
      const dir = join(root, `replica${++replicas}`);
      const port = await sparePort();
      run('pg_basebackup', ['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'postgres', '-D', dir, '-R', '-X', 'stream', '--checkpoint=fast', '--no-sync']);
      settings(dir, port);
      const replica = make(dir, port);
      replica.start();
      return replica;
    },
    destroy() {
      for (const cluster of clusters.reverse()) {
        try {
          cluster.stop();
        } catch {}
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}
