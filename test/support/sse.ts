// A small Server-Sent Events client, as a browser reads a stream (fields per message, blank line between messages,
// `:` comments ignored), over a real port; and the app listening on one.
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';

export interface SseMessage {
  id?: string;
  event?: string;
  data: string;
}

export interface SseStream {
  status: number;
  headers: Headers;
  /** The next message; null once the stream has ended; 'quiet' when none comes within `quietMs`. */
  next(quietMs?: number): Promise<SseMessage | null | 'quiet'>;
  /** Up to `count` `next` messages, fewer when the stream ends or stays quiet for `quietMs`. */
  take(count: number, quietMs?: number): Promise<SseMessage[]>;
  /** Whether the stream has ended (the server closed it). */
  ended(): boolean;
  close(): Promise<void>;
}

function parse(block: string): SseMessage | null {
  const message: Partial<SseMessage> & { data?: string } = {};
  for (const line of block.split(/\r?\n/)) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') message.data = message.data === undefined ? value : `${message.data}\n${value}`;
    else if (field === 'id' || field === 'event') message[field] = value;
  }
  return Object.keys(message).length === 0 ? null : { data: '', ...message };
}

/** Opens an event stream with fetch; a non-stream answer comes back with `status` and no messages. */
export async function openSse(url: string, init: RequestInit = {}): Promise<SseStream> {
  const abort = new AbortController();
  const response = await fetch(url, { ...init, signal: abort.signal });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const queue: SseMessage[] = [];
  let buffer = '';
  let finished = false;
  let pending: Promise<void> | undefined;

  // One read at a time, kept across a 'quiet' answer so no bytes are lost.
  const read = () =>
    (pending ??= reader.read().then(
      ({ done, value }) => {
        pending = undefined;
        if (done) finished = true;
        else buffer += decoder.decode(value, { stream: true });
        let end = buffer.search(/\r?\n\r?\n/);
        while (end >= 0) {
          const message = parse(buffer.slice(0, end));
          buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
          if (message) queue.push(message);
          end = buffer.search(/\r?\n\r?\n/);
        }
      },
      () => {
        pending = undefined;
        finished = true;
      },
    ));

  const next = async (quietMs = 2_000): Promise<SseMessage | null | 'quiet'> => {
    const deadline = Date.now() + quietMs;
    for (;;) {
      const message = queue.shift();
      if (message) return message;
      if (finished) return null;
      const left = deadline - Date.now();
      if (left <= 0) return 'quiet';
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'quiet'>((resolve) => (timer = setTimeout(() => resolve('quiet'), left)));
      const got = await Promise.race([read(), timeout]);
      clearTimeout(timer);
      if (got === 'quiet' && queue.length === 0) return 'quiet';
    }
  };

  const take = async (count: number, quietMs = 2_000): Promise<SseMessage[]> => {
    const got: SseMessage[] = [];
    while (got.length < count) {
      const message = await next(quietMs);
      if (message === null || message === 'quiet') break;
      if (message.event === 'next') got.push(message);
    }
    return got;
  };

  return {
    status: response.status,
    headers: response.headers,
    next,
    take,
    ended: () => finished,
    close: async () => {
      abort.abort();
      await reader.cancel().catch(() => {});
    },
  };
}

/** Listens on a free port of 127.0.0.1; `close` ends open connections too. */
export async function listen(app: Hono): Promise<{ url: string; server: ServerType; close(): Promise<void> }> {
  const server = await new Promise<ServerType>((resolve) => {
    const started: ServerType = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        (server as import('node:http').Server).closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
