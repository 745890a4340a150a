// A real webhook receiver on 127.0.0.1: records every POST; `answer` decides each reply (status, delay, headers).
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Reply {
  status: number;
  delayMs?: number;
  headers?: Record<string, string>;
}

export interface Receiver {
  url: string;
  port: number;
  received: Received[];
  /** The most requests it was ever answering at once. */
  mostAtOnce: number;
  answer: (request: Received) => Reply;
  /** Stops listening (deliveries then fail to connect) and listens again on the same port. */
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(port = 0): Promise<Receiver> {
  let server: Server;
  const receiver: Receiver = {
    url: '',
    port,
    received: [],
    mostAtOnce: 0,
    answer: () => ({ status: 204 }),
    down: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
    up: () => listen(receiver.port),
    close: () => receiver.down(),
  };
  let open = 0;
  const listen = (at: number) =>
    new Promise<void>((resolve, reject) => {
      server = createServer((req, res) => {
        receiver.mostAtOnce = Math.max(receiver.mostAtOnce, ++open);
        res.on('close', () => open--);
        let body = '';
        req.on('data', (chunk) => (body += chunk));
        req.on('end', () => {
          const request = { path: req.url ?? '', headers: req.headers, body };
          receiver.received.push(request);
          const reply = receiver.answer(request);
          setTimeout(() => res.writeHead(reply.status, reply.headers).end(), reply.delayMs ?? 0);
        });
      });
      server.once('error', reject);
      server.listen(at, '127.0.0.1', () => {
        receiver.port = (server.address() as AddressInfo).port;
        receiver.url = `http://127.0.0.1:${receiver.port}`;
        resolve();
      });
    });
  await listen(port);
  return receiver;
}

/** The payload of a received delivery, after its signature is verified with the webhook's secret (throws otherwise). */
export function verified(secret: string, request: Received): any {
  return new Webhook(secret).verify(request.body, request.headers as Record<string, string>);
}

/** Waits until `check` holds, polling; fails with `what` after `timeoutMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
