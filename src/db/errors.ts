// Recognises database errors by their codes, the one place that knows how each path reports them:
// - Prisma's own operations throw PrismaClientKnownRequestError with a Prisma code (P2002, P2003, P2028,
//   P1001 …); its driver adapters (@prisma/adapter-pg, pglite-prisma-adapter) put what PostgreSQL said in
//   `meta.driverAdapterError.cause` (`originalCode` is the SQLSTATE, `constraint` names the index or fields).
// - `$queryRaw` failures are P2010 ("raw query failed") with the same `meta.driverAdapterError`.
// - The hot path (Database.read, Database.write) talks to pg or PGlite directly: their errors carry the SQLSTATE
//   as `code`, and the constraint's name as `constraint`.
import { isDriverAdapterError } from '@prisma/driver-adapter-utils';
import { Prisma } from '../generated/prisma/client.js';

interface AdapterCause {
  kind?: string;
  originalCode?: string;
  constraint?: { fields?: string[]; index?: string };
}

const prismaCode = (error: unknown): string | undefined => (error instanceof Prisma.PrismaClientKnownRequestError ? error.code : undefined);

function adapterCause(error: unknown): AdapterCause | undefined {
  const wrapped = (error as { meta?: { driverAdapterError?: unknown } } | null)?.meta?.driverAdapterError;
  return typeof wrapped === 'object' && wrapped !== null && isDriverAdapterError(wrapped) ? (wrapped.cause as AdapterCause) : undefined;
}

/** The SQLSTATE PostgreSQL answered with, on any path; undefined when the error did not come from the server. */
export function sqlState(error: unknown): string | undefined {
  const fromAdapter = adapterCause(error)?.originalCode;
  if (fromAdapter) return fromAdapter;
  // pg's DatabaseError and PGlite's both carry a severity; the adapters recognise them the same way.
  const e = error as { code?: unknown; severity?: unknown } | null;
  return typeof e?.code === 'string' && typeof e.severity === 'string' ? e.code : undefined;
}

/** A unique index refused the row; with `column`, only when that column's index did. */
export function isUniqueViolation(error: unknown, column?: string): boolean {
  if (prismaCode(error) !== 'P2002' && sqlState(error) !== '23505') return false;
  if (column === undefined) return true;
  // PGlite's adapter names the fields, pg's the index (`{table}_{column}_key`, Prisma's naming).
  const constraint = adapterCause(error)?.constraint;
  return (constraint?.fields?.includes(column) ?? false) || (constraint?.index?.endsWith(`_${column}_key`) ?? false);
}

/** A foreign key refused the row: what it pointed at was deleted after we read it. */
export function isForeignKeyViolation(error: unknown): boolean {
  return prismaCode(error) === 'P2003' || sqlState(error) === '23503';
}

/** The foreign key that refused the row (its constraint name), when the driver says. */
export function violatedForeignKey(error: unknown): string | undefined {
  if (!isForeignKeyViolation(error)) return undefined;
  // The direct path's errors (pg's and PGlite's DatabaseError) name the constraint themselves.
  const direct = (error as { constraint?: unknown }).constraint;
  return adapterCause(error)?.constraint?.index ?? (typeof direct === 'string' ? direct : undefined);
}

// Can't reach the server, connection closed, socket timeout, pool timeout, and a transaction that could
// not start (or finish) in time: every connection was busy for longer than a client should wait.
const UNAVAILABLE_PRISMA = new Set(['P1001', 'P1008', 'P1017', 'P2024', 'P2028']);
// admin_shutdown, crash_shutdown, cannot_connect_now (starting up or shutting down).
const UNAVAILABLE_SQLSTATE = new Set(['57P01', '57P02', '57P03']);
// Socket errors from pg on the direct read path (the adapter turns them into P1001/P1017/P1008).
const UNAVAILABLE_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']);
// Connection-level failures that pg, its pool and PGlite throw as plain Errors with no code at all (the
// adapters rethrow them unchanged), so only their message tells them apart.
// 'timeout expired' is pg's client giving up on opening a connection (its own connectionTimeoutMillis).
const UNAVAILABLE_MESSAGE =
  /Connection terminated|connection .*closed|timeout exceeded when trying to connect|timeout expired|Cannot use a pool after calling end|PGlite is closed/i;

function unavailableItself(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && UNAVAILABLE_ERRNO.has(code)) return true;
  const prisma = prismaCode(error);
  if (prisma && UNAVAILABLE_PRISMA.has(prisma)) return true;
  const state = sqlState(error);
  if (state) return UNAVAILABLE_SQLSTATE.has(state);
  return !prisma && UNAVAILABLE_MESSAGE.test(String((error as { message?: unknown } | null)?.message ?? ''));
}

/** The database cannot be reached or is going away: worth a retry, not a bug. */
export function isUnavailable(error: unknown): boolean {
  return unavailableItself(error) || unavailableItself((error as { cause?: unknown } | null)?.cause);
}

/** PostgreSQL failed this statement to break a cycle of lock waits (deadlock_detected): nothing of it was written. */
export function isDeadlock(error: unknown): boolean {
  return sqlState(error) === '40P01';
}

const DEADLOCK_ATTEMPTS = 3;

/**
 * Runs a write (one statement, or a whole transaction) again when PostgreSQL chose it to break a deadlock. A new
 * relation's foreign-key checks lock the content it points at, while a space's or a content's delete locks that
 * content and then, cascading, the relations on it: each can wait on the other, and PostgreSQL fails one of them,
 * which is rolled back whole. Run again, it sees what the other did (an end gone answers 404).
 */
export async function retryingDeadlocks<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (!isDeadlock(error) || attempt >= DEADLOCK_ATTEMPTS) throw error;
    }
  }
}
