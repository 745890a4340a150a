// A caller whose token this process has already seen is taken on trust until the request's first read confirms
// it: that read carries the token's check as one more column (stampOf, a scalar subquery PostgreSQL runs once
// per statement), so a read request costs its page statement alone instead of the token's statement and then
// the page's. Revocation stays effective on the next request, because nothing is answered or written on trust:
// - every face confirms the caller before it answers (the REST faces after their handler: asCaller, the GraphQL route
//   once yoga is done: src/graphql/caller.ts); a request whose reads carried no check (an empty page, a read
//   through the ORM) is confirmed there by the token's own statement, as it would have been without a known
//   caller;
// - a request that may write (a REST write, a GraphQL mutation or subscription) is confirmed before it runs, but
//   for a Confluence PUT or DELETE of one relation, whose one write is a statement of its own (writeAs): that is
//   confirmed before its write, by the ends' lookup that carried the check (or else the token's statement);
// - site admins are never taken on trust, so a demotion never answers one more request with admin rights;
// - with read replicas (DATABASE_READ_URL) no caller is, since the token's row also routes the caller's reads.
// A stamp that changed (the user's row was edited) is confirmed by the token's own statement at once; the
// request then goes on as the non-admin it started as, and the next one sees the new row.
import type { Ctx } from '../context.js';
import type { Database } from '../db/database.js';
import { UnauthenticatedError } from '../domain/errors.js';
import { Prisma } from '../generated/prisma/client.js';
import { type Authenticated, authenticateRequest, type Credentials, stampOf } from './tokens.js';

// Bounded by the tokens in active use; the oldest is dropped first.
const MAX_KNOWN = 10_000;

/** The callers this process has authenticated, by token hash: who each was, and the stamp that says it still is. */
export class KnownCallers {
  private readonly byHash = new Map<string, Authenticated>();

  get(hash: string): Authenticated | undefined {
    return this.byHash.get(hash);
  }

  remember(hash: string, authenticated: Authenticated): void {
    this.byHash.delete(hash);
    if (authenticated.viewer.siteAdmin) return;
    this.byHash.set(hash, authenticated);
    if (this.byHash.size > MAX_KNOWN) this.byHash.delete(this.byHash.keys().next().value as string);
  }

  forget(hash: string): void {
    this.byHash.delete(hash);
  }
}

const known = new WeakMap<Database, KnownCallers>();

export function knownCallersOf(db: Database): KnownCallers {
  let callers = known.get(db);
  if (!callers) known.set(db, (callers = new KnownCallers()));
  return callers;
}

const refused = () => new UnauthenticatedError('Invalid API token');

/** One request's caller, taken on trust from `expected` until a read's stamp or the token's own statement confirms it. */
export class CallerCheck {
  private state: 'pending' | 'confirmed' | 'refused' = 'pending';
  private confirming: Promise<void> | undefined;

  constructor(
    private readonly db: Database,
    private readonly credentials: Credentials,
    private readonly hash: string,
    private readonly expected: Authenticated,
    /** Called with the user's current row when the stamp had changed. */
    private readonly changed: (fresh: Authenticated) => void,
  ) {}

  get pending(): boolean {
    return this.state === 'pending';
  }

  /** The column a read adds to carry the check. */
  column(): Prisma.Sql {
    return stampOf(this.hash);
  }

  /** What a read that carried the check found: undefined when it returned no row. */
  settle(stamp: unknown): Promise<void> | undefined {
    if (this.state === 'pending' && stamp === this.expected.stamp) {
      this.state = 'confirmed';
      return undefined;
    }
    if (stamp === null) this.refuse();
    return this.confirm();
  }

  /** Resolves once the caller is confirmed (at once when it is); rejects with 'unauthenticated' when its token is gone. */
  confirm(): Promise<void> | undefined {
    if (this.state === 'confirmed') return undefined;
    if (this.state === 'refused') return Promise.reject(refused());
    this.confirming ??= authenticateRequest(this.db, this.credentials, this.hash).then(
      (fresh) => {
        if (fresh.viewer.id !== this.expected.viewer.id) this.refuse();
        knownCallersOf(this.db).remember(this.hash, fresh);
        if (fresh.stamp !== this.expected.stamp) this.changed(fresh);
        this.state = 'confirmed';
      },
      (error: unknown) => {
        if (error instanceof UnauthenticatedError) this.refuse();
        throw error;
      },
    );
    return this.confirming;
  }

  private refuse(): never {
    this.state = 'refused';
    knownCallersOf(this.db).forget(this.hash);
    throw refused();
  }
}

/** Resolves once the request's caller is confirmed; undefined (no promise) when it already is. */
export function confirmCaller(ctx: Ctx | undefined): Promise<void> | undefined {
  return ctx?.caller?.confirm();
}

const carrying = (statement: Prisma.Sql, check: CallerCheck) => Prisma.sql`SELECT q.*, ${check.column()} AS rg_caller FROM (${statement}) q`;

/** `ctx.db.readRows`, carrying the caller's check while it is pending (rows keep the statement's order: nothing above it sorts or joins). */
export async function readRowsAs(ctx: Ctx, statement: Prisma.Sql): Promise<{ columns: readonly string[]; rows: unknown[][] }> {
  const check = ctx.caller;
  if (!check?.pending) return ctx.db.readRows(statement);
  const read = await ctx.db.readRows(carrying(statement, check));
  let stamp: unknown;
  for (const row of read.rows) stamp = row.pop();
  await check.settle(stamp);
  // A copy: the driver's column list may be shared with other results of the statement (db/read.ts).
  return { columns: read.columns.slice(0, -1), rows: read.rows };
}

/** `ctx.db.write`, once the caller is confirmed: a write never runs on trust. */
export async function writeAs<T = Record<string, unknown>>(ctx: Ctx, statement: Prisma.Sql): Promise<{ rows: T[]; count: number }> {
  await confirmCaller(ctx);
  return ctx.db.write<T>(statement);
}

/** `ctx.db.read`, carrying the caller's check while it is pending. */
export async function readAs<T = Record<string, unknown>>(ctx: Ctx, statement: Prisma.Sql): Promise<T[]> {
  const check = ctx.caller;
  if (!check?.pending) return ctx.db.read<T>(statement);
  const rows = await ctx.db.read<Record<string, unknown>>(carrying(statement, check));
  const stamp = rows.length > 0 ? rows[0].rg_caller : undefined;
  for (const row of rows) delete row.rg_caller;
  await check.settle(stamp);
  return rows as T[];
}
