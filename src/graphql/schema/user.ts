import { builder } from '../builder.js';
import type { User } from '../../generated/prisma/client.js';
import { getUser, me } from '../../services/users.js';

export const UserRef = builder.objectRef<User>('User');

UserRef.implement({
  description: 'A person (or app) who can authenticate and be an end of relations',
  fields: (t) => ({
    type: t.string({ resolve: () => 'known' }),
    accountId: t.exposeString('accountId'),
    accountType: t.exposeString('accountType'),
    email: t.exposeString('email'),
    publicName: t.exposeString('username'),
    displayName: t.exposeString('displayName'),
    userKey: t.exposeString('userKey'),
    username: t.exposeString('username'),
    siteAdmin: t.exposeBoolean('siteAdmin'),
  }),
});

builder.queryFields((t) => ({
  me: t.field({ type: UserRef, resolve: (_, __, ctx) => me({ ctx }) }),
  user: t.field({
    type: UserRef,
    nullable: true,
    description: 'A user by accountId, userKey, username or `current`',
    args: { key: t.arg.string({ required: true }) },
    resolve: (_, { key }, ctx) => getUser({ ctx, key }),
  }),
}));
