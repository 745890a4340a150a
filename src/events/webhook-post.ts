// One delivery attempt: a POST signed per Standard Webhooks, connected only to an address the target guard accepted,
// within ATTEMPT_TIMEOUT_MS, never following a redirect (a 3xx is a failed attempt like any other non-2xx).
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Webhook } from 'standardwebhooks';
import { guardTarget, RefusedTargetError } from '../services/webhook-targets.js';

export const ATTEMPT_TIMEOUT_MS = 10_000;
/** What is read of a receiver's answer; the rest is dropped with the connection. */
const MAX_ANSWER_BYTES = 64 * 1024;

export interface Attempt {
  ok: boolean;
  /** The receiver's HTTP status; null when there was no answer. */
  status: number | null;
  error: string | null;
}

export interface Message {
  url: string;
  secret: string;
  /** Stable per webhook and event, so a receiver can drop a redelivery. */
  id: string;
  body: string;
}

/** The Standard Webhooks headers of `message`, signed now. */
export function signedHeaders(message: Message, now = new Date()): Record<string, string> {
  return {
    'webhook-id': message.id,
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
    'webhook-signature': new Webhook(message.secret).sign(message.id, now, message.body),
  };
}

/** POSTs `message`; never throws. `signal` aborts the attempt (the worker stopping). */
export function post(message: Message, allowHosts: string[], signal?: AbortSignal): Promise<Attempt> {
  const url = new URL(message.url);
  let lookup: ReturnType<typeof guardTarget>;
  try {
    lookup = guardTarget(url, allowHosts);
  } catch (error) {
    return Promise.resolve({ ok: false, status: null, error: `refused: ${(error as Error).message}` });
  }
  const body = Buffer.from(message.body);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const timeout = AbortSignal.timeout(ATTEMPT_TIMEOUT_MS);
  return new Promise((resolve) => {
    let settled = false;
    const done = (attempt: Attempt) => {
      if (settled) return;
      settled = true;
      resolve(attempt);
    };
    const request = send(
      url,
      {
        method: 'POST',
        agent: false,
        lookup,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        headers: {
          'content-type': 'application/json',
          'content-length': body.length,
          'user-agent': 'relation-gateway-webhooks/1.0',
          ...signedHeaders(message),
        },
      },
      (response: IncomingMessage) => {
        const status = response.statusCode ?? 0;
        let read = 0;
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_ANSWER_BYTES) response.destroy();
        });
        response.on('error', () => {});
        response.on('close', () => {
          if (status >= 200 && status < 300) done({ ok: true, status, error: null });
          else if (status >= 300 && status < 400)
            done({ ok: false, status, error: `redirect to ${(response.headers.location ?? 'nowhere').slice(0, 300)} not followed` });
          else done({ ok: false, status, error: `the receiver answered ${status}` });
        });
      },
    );
    request.on('error', (error: NodeJS.ErrnoException) => {
      const refused = error instanceof RefusedTargetError || error.cause instanceof RefusedTargetError;
      const message = timeout.aborted
        ? `no answer within ${ATTEMPT_TIMEOUT_MS / 1000} s`
        : refused
          ? `refused: ${error.message}`
          : error.message || (error.code ?? 'the request failed');
      done({ ok: false, status: null, error: message });
    });
    request.end(body);
  });
}
