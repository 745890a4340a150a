// When a failed webhook delivery is tried again: soon at first, then less and less often, never more than an hour
// apart, until the event has been failing for a day; then it is recorded as failed and the next event's turn comes.

const SECOND = 1_000;
const HOUR = 3_600_000;
/** The waits after the 1st, 2nd, … failure; past the end of the list, every wait is the last. */
const DELAYS = [5 * SECOND, 30 * SECOND, 2 * 60 * SECOND, 5 * 60 * SECOND, 15 * 60 * SECOND, 30 * 60 * SECOND, HOUR];
/** How long an event is retried after its first failure: at least this long. */
export const RETRY_WINDOW_MS = 24 * HOUR;

export type NextStep = { retryAt: number } | { giveUp: true };

/**
 * After the `failures`-th failed attempt (1 for the first) at `now`, of an event that first failed at
 * `firstFailure` (ms since the epoch): when to try again, or give up. `scale` shrinks the schedule and its window
 * alike (WEBHOOK_RETRY_SCALE, for tests).
 */
export function nextAttempt(failures: number, firstFailure: number, now: number, scale = 1): NextStep {
  if (now - firstFailure >= RETRY_WINDOW_MS * scale) return { giveUp: true };
  const delay = DELAYS[Math.min(Math.max(failures, 1), DELAYS.length) - 1] * scale;
  return { retryAt: now + Math.max(1, Math.round(delay)) };
}
