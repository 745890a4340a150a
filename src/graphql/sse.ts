// Subscriptions over yoga's Server-Sent Events (docs/events.md): which requests may subscribe, the event id on
// each message (yoga's own writer has no `id:` line, so a reconnecting client could not say where it stopped),
// and an HTTP status for a subscription that never started (an EventSource retries any 200 that ends).
import type { GraphQLError } from 'graphql';
import { createGraphQLError, isAsyncIterable, processRegularResult, type Plugin, type YogaInitialContext } from 'graphql-yoga';
import type { Ctx } from '../context.js';
import { statusOfCode } from '../domain/errors.js';

const EVENT_STREAM = 'text/event-stream';
/** A comment line this often keeps proxies from closing an idle stream. */
const PING_MS = 12_000;

type Requested = Partial<Pick<YogaInitialContext, 'request'>>;

/** The HTTP request a GraphQL context serves (yoga puts it there), when there is one. */
export function requestOf(ctx: Ctx): Request | undefined {
  return (ctx as Ctx & Requested).request;
}

/** Last-Event-ID, from the header a reconnecting EventSource sends, or the `lastEventId` query parameter. */
export function lastEventIdOf(ctx: Ctx): string | null {
  const request = requestOf(ctx);
  if (!request) return null;
  return request.headers.get('last-event-id') ?? new URL(request.url).searchParams.get('lastEventId');
}

// The event each result was made from, noted by the subscription's resolver: results come one at a time, each
// executed from the event before the writer asks for the next, so the id noted last is the current result's.
const eventIds = new WeakMap<Request, string>();

export function noteEventId(ctx: Ctx, id: number): void {
  const request = requestOf(ctx);
  if (request) eventIds.set(request, String(id));
}

/** Accept's media types, as yoga reads them (only UTF-8 ones). */
function acceptedTypes(request: Request): string[] {
  return (request.headers.get('accept') || '*/*')
    .replace(/\s/g, '')
    .toLowerCase()
    .split(',')
    .filter((part) => (part.split(';').find((p) => p.startsWith('charset=')) ?? 'charset=utf-8') === 'charset=utf-8')
    .map((part) => part.split(';')[0]);
}

const accepts = (types: string[], mediaType: string) => {
  const [pre, suf] = mediaType.split('/');
  return types.some((type) => {
    const [askedPre, askedSuf] = type.split('/');
    return (askedPre === '*' || askedPre === pre) && (askedSuf === '*' || askedSuf === suf);
  });
};

/**
 * Whether yoga answers this request as an event stream (its useResultProcessors): it tries SSE, then multipart
 * (not for subscriptions), then JSON (not for a stream of results), and the last one the client accepts wins.
 */
function answersAsEventStream(request: Request, { stream, subscription }: { stream: boolean; subscription: boolean }): boolean {
  const types = acceptedTypes(request);
  if (!accepts(types, EVENT_STREAM)) return false;
  if (!subscription && accepts(types, 'multipart/mixed')) return false;
  return stream || !['application/graphql-response+json', 'application/json'].some((type) => accepts(types, type));
}

/** The HTTP status of a request that failed before it ran: its errors' own, or their codes' (src/domain/errors.ts). */
function statusOf(errors: readonly GraphQLError[]): number | undefined {
  const statuses = errors.map((e) => {
    const http = e.extensions?.http as { status?: number } | undefined;
    return http?.status ?? statusOfCode(String(e.extensions?.code));
  });
  return statuses.every((s) => s !== undefined) ? Math.max(...(statuses as number[])) : undefined;
}

const notAcceptable = () =>
  createGraphQLError(`Subscriptions are served as Server-Sent Events: send the request with 'Accept: ${EVENT_STREAM}'`, {
    extensions: { code: 'NOT_ACCEPTABLE', http: { status: 406, headers: { accept: EVENT_STREAM } } },
  });

const inBatch = () =>
  createGraphQLError('A subscription cannot be part of a batch: send it as a request of its own', {
    extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
  });

/** What setResultProcessor takes (yoga does not export the type). */
type ResultProcessor = Parameters<Parameters<NonNullable<Plugin['onResultProcess']>>[0]['setResultProcessor']>[0];

/** Yoga's SSE framing (a `next` event per result, `complete` at the end), with the event id as each message's `id:`. */
function eventStream(request: Request): ResultProcessor {
  return (result, fetchAPI) => {
    const encoder = new TextEncoder();
    // Only ever given a subscription's stream of results (onResultProcess below).
    const iterator = (result as AsyncIterable<unknown>)[Symbol.asyncIterator]();
    let ping: NodeJS.Timeout | undefined;
    const body = new fetchAPI.ReadableStream<Uint8Array>({
      start(controller) {
        // Some clients see no headers until the first bytes arrive.
        controller.enqueue(encoder.encode(':\n\n'));
        ping = setInterval(() => {
          if (controller.desiredSize !== null && controller.desiredSize > 0) controller.enqueue(encoder.encode(':\n\n'));
        }, PING_MS);
      },
      async pull(controller) {
        try {
          const { done, value } = await iterator.next();
          if (value !== undefined && value !== null) {
            const id = eventIds.get(request);
            eventIds.delete(request);
            controller.enqueue(encoder.encode(`${id === undefined ? '' : `id: ${id}\n`}event: next\ndata: ${JSON.stringify(value)}\n\n`));
          }
          if (done) {
            controller.enqueue(encoder.encode('event: complete\ndata:\n\n'));
            clearInterval(ping);
            controller.close();
          }
        } catch (error) {
          clearInterval(ping);
          controller.error(error);
        }
      },
      async cancel() {
        clearInterval(ping);
        await iterator.return?.();
      },
    });
    return new fetchAPI.Response(body, {
      status: 200,
      // No buffering by a proxy (nginx reads X-Accel-Buffering), no caching, no compression of a stream.
      headers: { 'Content-Type': EVENT_STREAM, 'Cache-Control': 'no-cache', 'Content-Encoding': 'none', 'X-Accel-Buffering': 'no' },
    });
  };
}

export function eventStreams(): Plugin<Ctx & Requested> {
  const batched = new WeakSet<Request>();
  return {
    onRequestParse({ request }) {
      return {
        onRequestParseDone({ requestParserResult }) {
          if (Array.isArray(requestParserResult)) batched.add(request);
        },
      };
    },
    // Refused before the subscription's resolver runs: nothing is resolved and no stream is opened.
    onSubscribe({ args, setResultAndStopExecution }) {
      const request = args.contextValue.request;
      if (!request) return;
      if (batched.has(request)) setResultAndStopExecution({ errors: [inBatch()] });
      else if (!answersAsEventStream(request, { stream: true, subscription: true })) setResultAndStopExecution({ errors: [notAcceptable()] });
    },
    onResultProcess({ request, result, setResult, setResultProcessor }) {
      if (Array.isArray(result)) return;
      if (isAsyncIterable(result)) {
        if (answersAsEventStream(request, { stream: true, subscription: true })) {
          setResultProcessor(eventStream(request), EVENT_STREAM);
          return;
        }
        // Not reached while onSubscribe refuses first; should it be, the stream is closed, not left open.
        void result[Symbol.asyncIterator]().return?.();
        setResult({ errors: [notAcceptable()] });
        setResultProcessor(processRegularResult, 'application/json');
        return;
      }
      const { errors } = result;
      if (!errors?.length || 'data' in result || !answersAsEventStream(request, { stream: false, subscription: false })) return;
      // Nothing ran (a bad document or argument, a subscription that could not start): a 4xx, so an EventSource gives up.
      const status = statusOf(errors);
      if (status) setResult({ ...result, extensions: { ...result.extensions, http: { ...(result.extensions?.http as object), status } } });
    },
  };
}
