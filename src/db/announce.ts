// After a write commits, this instance sends NOTIFY on the event log's channel, which wakes the event hubs and
// webhook workers of every instance (src/events/hub.ts). The notification used to come from the event trigger,
// inside the writing transaction, where PostgreSQL serializes every notifying commit behind the one before it,
// fsync included: the create-relation rate fell by a fifth. Sent afterwards, on its own, it waits for nothing.
//
// At most one per GAP_MS per instance: the first write after a quiet spell is announced at once; the writes made
// while one is on its way, or within GAP_MS after it, share the next one, sent when that time is up. Any
// statement but a SELECT counts as a write (a content edit wakes the listeners for nothing; they read no new
// rows). Not counted as a request's statement: it belongs to no request, and is sent after the answer. Writes
// made elsewhere (psql) are found by the hubs' poll.

/** The channel the event hubs listen on. */
export const EVENTS_CHANNEL = 'relation_events';
const GAP_MS = 25;

export interface Announcer {
  /** A write committed: a notification goes out now, or after the one on its way. */
  wrote(): void;
  /** Waits for the notification on its way, if any (before the connection closes). */
  flush(): Promise<void>;
}

/** With `on` false (EVENT_NOTIFY=false) nothing is sent: the instances find new events by their poll. */
export function announcer(on: boolean, notify: () => Promise<unknown>): Announcer {
  if (!on) return { wrote: () => {}, flush: async () => {} };
  let sending: Promise<void> | undefined;
  let again = false;
  const send = async () => {
    do {
      again = false;
      await notify().catch(() => {}); // a lost notification delays delivery to the next poll, nothing more
      await new Promise((resolve) => setTimeout(resolve, GAP_MS).unref());
    } while (again);
    sending = undefined;
  };
  return {
    wrote() {
      if (sending) again = true;
      else sending = send();
    },
    flush: async () => {
      await sending;
    },
  };
}
