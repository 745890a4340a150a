import { randomBytes } from 'node:crypto';
import type { Ctx } from '../context.js';
import type { PrismaClient, User } from '../generated/prisma/client.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../domain/errors.js';
import { usernameBase, validateEmail, validateText } from '../domain/names.js';
import { isUniqueViolation } from '../db/errors.js';
import { issueToken } from './tokens.js';
import { findUser } from './resolve.js';

export interface NewUser {
  email: string;
  displayName: string;
  admin?: boolean;
}

/** Inserts a user with fresh identifiers; no permission check (the CLI and first start use it). */
export async function insertUser(prisma: PrismaClient, input: NewUser): Promise<User> {
  const email = validateEmail(input.email);
  const displayName = validateText(input.displayName, 'displayName');
  const base = usernameBase(email);
  for (let attempt = 0; attempt < 20; attempt++) {
    const taken = await prisma.user.findMany({ where: { username: { startsWith: base } }, select: { username: true } });
    const names = new Set(taken.map((u) => u.username));
    let username = base;
    for (let n = 2; names.has(username); n++) username = `${base}${n}`;
    try {
      return await prisma.user.create({
        data: {
          email,
          displayName,
          username,
          siteAdmin: input.admin ?? false,
          accountId: randomBytes(12).toString('hex'),
          userKey: randomBytes(16).toString('hex'),
        },
      });
    } catch (error) {
      if (isUniqueViolation(error, 'email')) throw new ValidationError(`A user with e-mail '${email}' already exists`, 'email');
      if (!isUniqueViolation(error)) throw error;
      // Another request took the same username at the same moment: pick again.
    }
  }
  throw new ValidationError('Could not pick a unique username; try again', 'email');
}

/** Site admins create users; the new user's first API token is returned once. */
export async function createUser({ ctx, ...input }: { ctx: Ctx } & NewUser): Promise<{ user: User; token: string }> {
  if (!ctx.viewer.siteAdmin) throw new ForbiddenError('Only site admins may create users');
  const user = await insertUser(ctx.prisma, input);
  const { token } = await issueToken(ctx.prisma, user.id, 'first token');
  return { user, token };
}

export async function getUser({ ctx, key }: { ctx: Ctx; key: string }): Promise<User | null> {
  return findUser(ctx, key);
}

export async function me({ ctx }: { ctx: Ctx }): Promise<User> {
  const user = await ctx.loaders.users.load(ctx.viewer.id);
  if (!user) throw new NotFoundError('The authenticated user no longer exists');
  return user;
}
