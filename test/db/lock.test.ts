import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { acquireDataDirLock, adoptParentLock } from '../../src/db/lock.js';

const fixture = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'open.ts');
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'rg-lock-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Starts the fixture; resolves once it prints "ready" or exits. */
function child(dataDir: string, mode: 'hold' | 'try' | 'write') {
  const proc = spawn(process.execPath, ['--import', 'tsx', fixture, dataDir, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    proc.stdout.on('data', (d) => ((out += d), out.includes('ready') && resolve()));
    proc.stderr.on('data', (d) => (err += d));
    void exited.then((code) => reject(new Error(`child exited ${code}: ${err}`)));
  });
  ready.catch(() => {});
  return { proc, ready, exited, stderr: () => err };
}

describe('data folder lock', () => {
  it('refuses a second process and names the holder', async () => {
    const dataDir = tempDir();
    const db = await openDatabase({ dataDir, migrate: false });
    try {
      const second = child(dataDir, 'try');
      expect(await second.exited).toBe(3);
      expect(second.stderr()).toContain(`Data directory ${dataDir} is in use by process ${process.pid} (`);
      expect(second.stderr()).toContain('stop it or use another DATA_DIR');
    } finally {
      await db.close();
    }
    // Released on close: the next process gets it.
    expect(await child(dataDir, 'try').exited).toBe(0);
  });

  it('takes over from a holder killed with SIGKILL, data intact', async () => {
    const dataDir = tempDir();
    const holder = child(dataDir, 'write');
    await holder.ready;
    const lock = JSON.parse(readFileSync(join(dataDir, 'gateway.lock'), 'utf8'));
    expect(lock.pid).toBe(holder.proc.pid);
    await new Promise((r) => setTimeout(r, 300)); // let it write some more
    holder.proc.kill('SIGKILL');
    await holder.exited;
    const db = await openDatabase({ dataDir });
    try {
      expect(JSON.parse(readFileSync(join(dataDir, 'gateway.lock'), 'utf8')).pid).toBe(process.pid);
      expect(await db.prisma.user.findUnique({ where: { username: 'first' } })).toMatchObject({ email: 'first@example.com' });
      await db.prisma.user.create({ data: { accountId: 'x', userKey: 'x', username: 'after', email: 'after@example.com', displayName: 'After' } });
    } finally {
      await db.close();
    }
  }, 90_000);

  it('lets exactly one of two newcomers take over a stale lock', async () => {
    const dataDir = tempDir();
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => dead.on('exit', r));
    const stale = { pid: dead.pid, hostname: (await import('node:os')).hostname(), startedAt: 'then', command: 'dead' };
    writeFileSync(join(dataDir, 'gateway.lock'), JSON.stringify(stale));
    const [a, b] = [child(dataDir, 'hold'), child(dataDir, 'hold')];
    const results = await Promise.allSettled([a.ready, b.ready]);
    try {
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const loser = results[0].status === 'rejected' ? a : b;
      const winner = loser === a ? b : a;
      expect(loser.stderr()).toContain(`is in use by process ${winner.proc.pid} (`);
    } finally {
      a.proc.kill('SIGKILL');
      b.proc.kill('SIGKILL');
    }
  });

  it('releases in process and refuses a second lock in the same process', async () => {
    const dataDir = tempDir();
    const lock = await acquireDataDirLock(dataDir);
    await expect(acquireDataDirLock(dataDir)).rejects.toThrow(`is in use by process ${process.pid}`);
    lock.release();
    (await acquireDataDirLock(dataDir)).release();
  });

  it("a first-start child works only under its parent's lock", async () => {
    const dataDir = tempDir();
    expect(() => adoptParentLock(dataDir)).toThrow('is not locked by this process');
    const lock = await acquireDataDirLock(dataDir); // held by this process, which is not the parent of itself
    try {
      expect(() => adoptParentLock(dataDir)).toThrow('is not locked by this process');
    } finally {
      lock.release();
    }
  });
});
