import { builder } from '../builder.js';
import type { User } from '../../generated/prisma/client.js';
import { createUser, getUser, me } from '../../services/users.js';
import { resultOf } from './errors.js';

export const UserRef = builder.objectRef<User>('User');

const ProfilePicture = builder.objectRef<{ path: string; width: number; height: number; isDefault: boolean }>('ProfilePicture').implement({
  fields: (t) => ({
    path: t.exposeString('path'),
    width: t.exposeInt('width'),
    height: t.exposeInt('height'),
    isDefault: t.exposeBoolean('isDefault'),
  }),
});

const DEFAULT_PICTURE = { path: '/images/icons/profilepics/default.svg', width: 48, height: 48, isDefault: true };

UserRef.implement({
  description: 'A person (or app) who can authenticate and be an end of relations',
  fields: (t) => ({
    type: t.string({ description: 'Always `known`', resolve: () => 'known' }),
    accountId: t.exposeString('accountId'),
    accountType: t.exposeString('accountType', { description: '`atlassian` or `app`' }),
    email: t.exposeString('email'),
    publicName: t.exposeString('username'),
    displayName: t.exposeString('displayName'),
    profilePicture: t.field({ type: ProfilePicture, resolve: () => DEFAULT_PICTURE }),
    userKey: t.exposeString('userKey'),
    username: t.exposeString('username'),
    siteAdmin: t.exposeBoolean('siteAdmin'),
  }),
});

builder.queryFields((t) => ({
  me: t.field({ type: UserRef, description: 'The authenticated caller', resolve: (_, __, ctx) => me({ ctx }) }),
  user: t.field({
    type: UserRef,
    nullable: true,
    description: 'A user by `current`, accountId, userKey or username; null when there is none',
    args: { key: t.arg.string({ required: true }) },
    resolve: (_, { key }, ctx) => getUser({ ctx, key }),
  }),
}));

const CreateUserInput = builder.inputType('CreateUserInput', {
  fields: (t) => ({
    email: t.string({ required: true }),
    displayName: t.string({ required: true }),
    admin: t.boolean({ description: 'Make the user a site admin (default false)' }),
  }),
});

const CreateUserSuccess = builder.objectRef<{ user: User; token: string }>('CreateUserSuccess').implement({
  fields: (t) => ({
    user: t.field({ type: UserRef, resolve: (r) => r.user }),
    token: t.exposeString('token', { description: "The new user's first API token, shown only here" }),
  }),
});

builder.mutationField('createUser', (t) =>
  t.field({
    type: CreateUserSuccess,
    description: 'Site admins create users',
    errors: resultOf('CreateUser'),
    args: { input: t.arg({ type: CreateUserInput, required: true }) },
    resolve: (_, { input }, ctx) => createUser({ ctx, email: input.email, displayName: input.displayName, admin: input.admin ?? false }),
  }),
);
