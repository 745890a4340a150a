// One process per data folder: PGlite is single-user and two writers would corrupt it.
import { closeSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';

export interface LockInfo {
  pid: number;
  hostname: string;
  startedAt: string;
  command: string;
  bootId?: string;
}

const held = new Set<string>(); // lock files held by this process
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function bootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim(); // a reboot makes every old pid stale
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

/** Creates `path` with `content` only if it does not exist (atomic O_EXCL); false when it exists. */
function createExclusive(path: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return true;
}

function readLock(path: string): { raw: string; info?: LockInfo; ageMs: number } | undefined {
  try {
    const raw = readFileSync(path, 'utf8');
    const ageMs = Date.now() - statSync(path).mtimeMs;
    try {
      const info = JSON.parse(raw) as LockInfo;
      return { raw, info: typeof info.pid === 'number' ? info : undefined, ageMs };
    } catch {
      return { raw, ageMs };
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

function isStale(lockPath: string, info: LockInfo): boolean {
  const boot = bootId();
  if (info.bootId && boot && info.bootId !== boot) return true;
  if (info.hostname !== hostname()) return false; // cannot see processes on another host: assume alive
  if (info.pid === process.pid) return !held.has(lockPath); // e.g. pid 1 again after a container restart
  return !alive(info.pid);
}

/** Removes a stale lock file under a short-lived takeover mutex, so two newcomers cannot both take it over. */
async function removeStale(lockPath: string, staleRaw: string): Promise<void> {
  const mutex = `${lockPath}.takeover`;
  if (!createExclusive(mutex, String(process.pid))) {
    const m = readLock(mutex);
    if (m && m.ageMs > 10_000) unlinkSync(mutex); // a newcomer died mid-takeover
    await sleep(20);
    return;
  }
  try {
    if (readLock(lockPath)?.raw === staleRaw) unlinkSync(lockPath); // still the same stale holder
  } finally {
    unlinkSync(mutex);
  }
}

/** Takes `${dataDir}/gateway.lock`; throws naming the holder when a live process has it. */
export async function acquireDataDirLock(dataDir: string): Promise<{ release(): void }> {
  mkdirSync(dataDir, { recursive: true });
  const lockPath = resolve(join(dataDir, 'gateway.lock'));
  const info: LockInfo = {
    pid: process.pid,
    hostname: hostname(),
    startedAt: new Date().toISOString(),
    command: process.argv.join(' '),
    bootId: bootId(),
  };
  const content = JSON.stringify(info, null, 2) + '\n';
  for (let attempt = 0; attempt < 200; attempt++) {
    if (createExclusive(lockPath, content)) {
      held.add(lockPath);
      const onExit = () => release();
      const release = () => {
        if (!held.delete(lockPath)) return;
        process.removeListener('exit', onExit);
        try {
          if (readFileSync(lockPath, 'utf8') === content) unlinkSync(lockPath);
        } catch {
          // already gone
        }
      };
      process.on('exit', onExit);
      return { release };
    }
    const current = readLock(lockPath);
    if (!current) continue; // released meanwhile
    if (!current.info) {
      // Being written right now, or its writer died between create and write.
      if (current.ageMs < 2_000) await sleep(20);
      else await removeStale(lockPath, current.raw);
      continue;
    }
    const { pid, command, startedAt } = current.info;
    if (!isStale(lockPath, current.info)) {
      throw new Error(`Data directory ${dataDir} is in use by process ${pid} (${command}, started ${startedAt}); stop it or use another DATA_DIR`);
    }
    await removeStale(lockPath, current.raw);
  }
  throw new Error(`Could not take the lock ${lockPath}`);
}

/**
 * For the short-lived process a serving gateway starts to build its embedded database (src/first-start.ts):
 * the serving parent keeps `${dataDir}/gateway.lock` all along, so nothing else can take the folder
 * between the child's work and the parent's own open. The child works under it only when the lock
 * names its parent; releasing is left to the parent.
 */
export function adoptParentLock(dataDir: string): { release(): void } {
  const holder = readLock(resolve(join(dataDir, 'gateway.lock')))?.info;
  if (!holder || holder.pid !== process.ppid || holder.hostname !== hostname()) {
    throw new Error(`Data directory ${dataDir} is not locked by this process's parent; run \`relation-gateway serve\` instead`);
  }
  return { release: () => {} };
}
