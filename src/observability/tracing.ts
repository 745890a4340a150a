// OpenTelemetry traces, loaded only when OTEL_EXPORTER_OTLP_ENDPOINT is set (server.ts imports this file on
// demand, so without it the SDK is never loaded): a span per request and, inside it, one per SQL statement.
import { context, type Span, SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Database } from '../db/database.js';

const MAX_STATEMENT = 2000;

/** What the request line knows once the response is ready. */
export interface RequestSummary {
  id: string;
  method: string;
  route: string;
  face: string;
  status: number;
  operation?: string;
}

export interface Tracing {
  /** Runs a request inside its span; `run` returns what the span is then named and labelled with. */
  request(run: () => Promise<RequestSummary>): Promise<void>;
  /** Sends what is still buffered. */
  shutdown(): Promise<void>;
}

/** The OTLP/HTTP exporter at `${endpoint}/v1/traces`, as the OTEL_EXPORTER_OTLP_ENDPOINT convention has it. */
export function otlpProcessor(endpoint: string): SpanProcessor {
  return new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` }));
}

function ended<T>(span: Span, run: () => Promise<T>): Promise<T> {
  return run().then(
    (value) => {
      span.end();
      return value;
    },
    (error: unknown) => {
      // No message: a database error may quote the values of the statement.
      span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
      throw error;
    },
  );
}

function statementSpans(tracer: Tracer) {
  return <T>(text: string, run: () => Promise<T>): Promise<T> => {
    const operation = /^\s*([A-Za-z]+)/.exec(text)?.[1]?.toUpperCase() ?? 'SQL';
    const attributes = { 'db.system.name': 'postgresql', 'db.operation.name': operation, 'db.query.text': text.slice(0, MAX_STATEMENT) };
    return tracer.startActiveSpan(operation, { kind: SpanKind.CLIENT, attributes }, (span) => ended(span, run));
  };
}

/** Starts tracing `db`'s statements and hands back the request wrapper for the app. */
export function startTracing(db: Database, processor: SpanProcessor): Tracing {
  // Spans follow the request through promises and callbacks; registered once per process.
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'relation-gateway' }),
    spanProcessors: [processor],
  });
  const tracer = provider.getTracer('relation-gateway');
  db.statements.around = statementSpans(tracer);
  return {
    request: (run) =>
      tracer.startActiveSpan('request', { kind: SpanKind.SERVER }, async (span) => {
        try {
          const summary = await run();
          span.updateName(`${summary.method} ${summary.route}`);
          span.setAttributes({
            'http.request.method': summary.method,
            'http.route': summary.route,
            'http.response.status_code': summary.status,
            'relation_gateway.face': summary.face,
            'relation_gateway.request_id': summary.id,
            ...(summary.operation ? { 'graphql.operation.name': summary.operation } : {}),
          });
          if (summary.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        } finally {
          span.end();
        }
      }),
    shutdown: async () => {
      db.statements.around = undefined;
      await provider.shutdown();
    },
  };
}
