// LISTEN on PostgreSQL on a connection of its own, kept up: a lost connection is reopened, and every opening
// counts as a notification, since whatever was notified while it was down is gone (listeners then read the rows).
import pg from 'pg';

const RETRY_MS = 1_000;

/** A connection outside the pool, with the settings both kinds here use. */
const direct = (url: string) => new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000, keepAlive: true });

export function listenPostgres(url: string, channel: string, onNotify: () => void): () => Promise<void> {
  let client: pg.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

  const reopen = () => {
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      void open(true);
    }, RETRY_MS);
    retry.unref();
  };

  const open = async (again: boolean) => {
    const next = direct(url);
    next.on('notification', (message) => message.channel === channel && onNotify());
    next.on('error', () => {
      next.end().catch(() => {});
      if (client === next) client = undefined;
      reopen();
    });
    next.on('end', () => {
      if (client === next) client = undefined;
      reopen();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      if (stopped) return void (await next.end().catch(() => {}));
      client = next;
      if (again) onNotify();
    } catch {
      await next.end().catch(() => {});
      reopen();
    }
  };

  // The first LISTEN counts as one too: whatever was notified before it took effect was not heard.
  const started = open(true);
  return async () => {
    stopped = true;
    clearTimeout(retry);
    await started;
    await client?.end().catch(() => {});
    client = undefined;
  };
}

/**
 * A connection of its own for sending NOTIFY (src/db/announce.ts), so a notification never waits for a pooled
 * connection or keeps a request from one. Opened on first use; a failed one is dropped and opened again next time.
 */
export function notifyPostgres(url: string): { notify(channel: string): Promise<void>; close(): Promise<void> } {
  let client: Promise<pg.Client> | undefined;
  const open = () => {
    const next = direct(url);
    next.on('error', () => {
      if (client === opened) client = undefined;
      next.end().catch(() => {});
    });
    const opened = next.connect().then(() => next);
    return opened;
  };
  return {
    async notify(channel) {
      const current = (client ??= open());
      try {
        await (await current).query('SELECT pg_notify($1, $2)', [channel, '']);
      } catch (error) {
        if (client === current) client = undefined;
        void current.then((c) => c.end()).catch(() => {});
        throw error;
      }
    },
    async close() {
      const current = client;
      client = undefined;
      await current?.then((c) => c.end()).catch(() => {});
    },
  };
}
