// Recognises infrastructure failures so every face can answer them as domain errors.
import { DomainError, UnavailableError } from '../domain/errors.js';

const UNAVAILABLE = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|Connection terminated|connection .*closed|terminating connection|the database system is (starting up|shutting down)|Can't reach database|Timed out fetching a new connection|timeout exceeded when trying to connect|P1001|P1017|P2024|PGlite is closed|Cannot use a pool after calling end|57P01|57P03/i;

/** The domain error an unexpected error stands for, or null when it is a real bug. */
export function asDomainError(error: unknown): DomainError | null {
  if (error instanceof DomainError) return error;
  const e = error as { message?: string; code?: string; cause?: unknown };
  const text = `${e?.code ?? ''} ${e?.message ?? ''} ${String((e?.cause as { message?: string })?.message ?? '')}`;
  if (UNAVAILABLE.test(text)) return new UnavailableError();
  return null;
}
