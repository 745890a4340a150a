// LISTEN on PostgreSQL on a connection of its own, kept up: a lost connection is reopened, and every opening
// counts as a notification, since whatever was notified while it was down is gone (listeners then read the rows).
import pg from 'pg';

const RETRY_MS = 1_000;

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
    const next = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000, keepAlive: true });
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
