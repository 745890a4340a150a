// API tokens: random, shown once, stored only as a SHA-256 hash found by index.
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Ctx } from '../context.js';
import { Prisma, type ApiToken, type PrismaClient, type User } from '../generated/prisma/client.js';
import type { Viewer } from '../domain/access.js';
import { NotFoundError, UnauthenticatedError } from '../domain/errors.js';
import { validateText } from '../domain/names.js';
import type { Database } from '../db/database.js';
import { columnsOf, rowOf } from './row-columns.js';

const PREFIX = 'rg_';

// Every request hashes its token: the one-shot hash() is a third of createHash().update().digest() here.
export function hashToken(token: string): string {
  return hash('sha256', token, 'hex');
}

/** Creates a token for a user; the plain token exists only in the return value. */
export async function issueToken(prisma: PrismaClient, userId: number, name = 'default'): Promise<{ token: string; record: ApiToken }> {
  const token = PREFIX + randomBytes(24).toString('base64url'); // 192 bits
  const record = await prisma.apiToken.create({
    data: { userId, name: validateText(name, 'name', 100), hash: hashToken(token), prefix: token.slice(0, PREFIX.length + 6) },
  });
  return { token, record };
}

export async function createApiToken({ ctx, name }: { ctx: Ctx; name?: string | null }) {
  return issueToken(ctx.prisma, ctx.viewer.id, name ?? 'api token');
}

export async function listApiTokens({ ctx }: { ctx: Ctx }): Promise<ApiToken[]> {
  return ctx.prisma.apiToken.findMany({ where: { userId: ctx.viewer.id }, orderBy: { id: 'asc' } });
}

/** Revokes one of the viewer's tokens (site admins: anyone's); effective on the next request. */
export async function revokeApiToken({ ctx, id }: { ctx: Ctx; id: number }): Promise<ApiToken> {
  const token = Number.isSafeInteger(id) ? await ctx.prisma.apiToken.findUnique({ where: { id } }) : null;
  if (!token || (token.userId !== ctx.viewer.id && !ctx.viewer.siteAdmin)) throw new NotFoundError(`No API token with id '${id}'`);
  await ctx.prisma.apiToken.deleteMany({ where: { id } });
  return token;
}

export interface Credentials {
  token: string;
  /** For Basic auth: the e-mail or username the token must belong to. */
  identity?: string;
}

/** Reads credentials from the headers the three faces' clients send; null when there are none. */
export function readCredentials(headers: Headers): Credentials | null {
  const authorization = headers.get('authorization')?.trim();
  if (authorization) {
    const [scheme, ...rest] = authorization.split(/\s+/);
    const value = rest.join(' ');
    if (/^bearer$/i.test(scheme) && value) return { token: value };
    if (/^basic$/i.test(scheme) && value) {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) return { token: '' };
      return { identity: decoded.slice(0, colon), token: decoded.slice(colon + 1) };
    }
    // The Umbraco client may send the key itself as the Authorization header.
    if (!value) return { token: scheme };
    return { token: '' };
  }
  const apiKey = headers.get('api-key')?.trim();
  return apiKey ? { token: apiKey } : null;
}

/** The hash the credentials' token is stored under; every malformed token is the same 'unauthenticated'. */
export function hashOf(credentials: Credentials | null): string {
  if (!credentials) throw new UnauthenticatedError();
  const { token } = credentials;
  if (!token.startsWith(PREFIX) || token.length > 200) throw new UnauthenticatedError('Invalid API token');
  return hashToken(token);
}

/** Basic auth names the token's user too, by e-mail or username. */
export function identityMatches(user: User, identity: string | undefined): boolean {
  if (identity === undefined) return true;
  const who = identity.toLowerCase();
  return who === user.email || who === user.username.toLowerCase();
}

// The token's id and the transaction that wrote its user's row as it is now (the row version's xmin): the same
// stamp means the same token of an unchanged user. Every UPDATE of the row writes a new version with its own
// xmin, even one that changes no value (which only costs a second read of the token). An md5 of the row's text
// said the same at about 30 µs of database CPU per statement (pgbench, 10 clients): the row's text is every
// column through its output function, timestamps included.
const STAMP = Prisma.raw(`t.id::text || ':' || u.xmin::text`);

/** The stamp of the token stored under `hash`, as a scalar subquery (PostgreSQL runs it once per statement); NULL once revoked. */
export function stampOf(hash: string): Prisma.Sql {
  return Prisma.sql`(SELECT ${STAMP} FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = ${hash})`;
}

export interface Authenticated {
  viewer: Viewer;
  user: User;
  /** See stampOf. */
  stamp: string;
}

/** The viewer (and user row) the credentials belong to, through the prepared hot read path; every failure is the same 'unauthenticated'. */
export async function authenticateRequest(db: Database, credentials: Credentials | null, hash = hashOf(credentials)): Promise<Authenticated> {
  // One statement: the token and its user, joined. Always on the primary: a revoked token fails on the next
  // request, and the WAL position of the caller's last write is current (src/db/replicas.ts).
  const [row] = await db.read(
    Prisma.sql`SELECT t.id AS "tokenId", t.hash, t.write_lsn::text AS "writeLsn", ${STAMP} AS stamp, ${columnsOf('users', 'u')}
      FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = ${hash}`,
    { primary: true },
  );
  const user = row && rowOf(row, 'users', 'u');
  if (!user || !timingSafeEqual(Buffer.from(String(row.hash)), Buffer.from(hash))) throw new UnauthenticatedError('Invalid API token');
  if (!identityMatches(user, credentials?.identity)) throw new UnauthenticatedError('Invalid API token');
  db.caller?.(Number(row.tokenId), row.writeLsn as string | null);
  return { viewer: { id: user.id, siteAdmin: user.siteAdmin, tokenId: Number(row.tokenId) }, user, stamp: String(row.stamp) };
}
