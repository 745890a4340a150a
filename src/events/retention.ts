// Keeps the event log to EVENT_RETENTION: every instance prunes now and then; deleting what another instance
// already deleted is harmless, so no coordination is needed.
import type { Database } from '../db/database.js';
import type { Logger } from '../observability/log.js';
import { pruneEvents } from './log.js';

const EVERY_MS = 10 * 60_000;
const STEP = 10_000;

/** Prunes once soon after the start, then every 10 minutes, until the database closes. */
export function keepEventRetention(db: Database, retentionMs: number, log: Logger): void {
  let stopped = false;
  const prune = async () => {
    let removed = 0;
    for (let step = STEP; step === STEP && !stopped; ) {
      step = await pruneEvents(db, retentionMs, STEP);
      removed += step;
    }
    if (removed > 0) log.info(`Pruned ${removed} relation events older than the retention`);
  };
  const run = () => void prune().catch((error: unknown) => !stopped && log.warn('Pruning relation events failed; trying again later', error));
  const first = setTimeout(run, 5_000);
  const timer = setInterval(run, EVERY_MS);
  first.unref();
  timer.unref();
  db.onClose(() => {
    stopped = true;
    clearTimeout(first);
    clearInterval(timer);
  });
}
