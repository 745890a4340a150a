import { builder } from '../builder.js';
import type { Space, SpaceMember, User } from '../../generated/prisma/client.js';
import { LEVELS, type Level } from '../../domain/access.js';
import { addSpaceMember, createSpace, deleteSpace, getSpace } from '../../services/spaces.js';
import { resultOf } from './errors.js';
import { UserRef } from './user.js';

export const SpaceRef = builder.objectRef<Space>('Space');

SpaceRef.implement({
  description: 'A space: a container of content with members',
  fields: (t) => ({
    id: t.exposeInt('id'),
    key: t.exposeString('key'),
    name: t.exposeString('name'),
    type: t.exposeString('type', { description: '`global` or `personal`' }),
    status: t.exposeString('status', { description: '`current` or `archived`' }),
    description: t.exposeString('description'),
    public: t.exposeBoolean('public', { description: 'Whether every authenticated user may view it' }),
  }),
});

builder.queryField('space', (t) =>
  t.field({
    type: SpaceRef,
    nullable: true,
    description: 'A space by key; null when it does not exist or the caller may not view it',
    args: { key: t.arg.string({ required: true }) },
    resolve: (_, { key }, ctx) => getSpace({ ctx, key }),
  }),
);

const SpaceLevel = builder.enumType('SpaceLevel', { values: LEVELS });

const CreateSpaceInput = builder.inputType('CreateSpaceInput', {
  fields: (t) => ({
    key: t.string({ required: true }),
    name: t.string({ required: true }),
    public: t.boolean({ description: 'Default true: every authenticated user may view it' }),
    description: t.string(),
  }),
});

const CreateSpaceSuccess = builder.objectRef<{ space: Space }>('CreateSpaceSuccess').implement({
  fields: (t) => ({ space: t.field({ type: SpaceRef, resolve: (r) => r.space }) }),
});

const AddSpaceMemberInput = builder.inputType('AddSpaceMemberInput', {
  fields: (t) => ({
    spaceKey: t.string({ required: true }),
    user: t.string({ required: true, description: 'Any user key form: current, accountId, userKey or username' }),
    level: t.field({ type: SpaceLevel, required: true }),
  }),
});

const AddSpaceMemberSuccess = builder.objectRef<SpaceMember & { space: Space }>('AddSpaceMemberSuccess').implement({
  fields: (t) => ({
    space: t.field({ type: SpaceRef, resolve: (r) => r.space }),
    user: t.field({ type: UserRef, resolve: async (r, _, ctx) => (await ctx.loaders.users.load(r.userId)) as User }),
    level: t.field({ type: SpaceLevel, resolve: (r) => r.level as Level }),
  }),
});

const DeleteSpaceInput = builder.inputType('DeleteSpaceInput', {
  fields: (t) => ({ key: t.string({ required: true }) }),
});

const DeleteSpaceSuccess = builder.objectRef<{ space: Space }>('DeleteSpaceSuccess').implement({
  description: 'The space as it was; its content and every relation touching them are gone',
  fields: (t) => ({ space: t.field({ type: SpaceRef, resolve: (r) => r.space }) }),
});

builder.mutationFields((t) => ({
  createSpace: t.field({
    type: CreateSpaceSuccess,
    description: 'Anyone may create a space and becomes its ADMIN',
    errors: resultOf('CreateSpace'),
    args: { input: t.arg({ type: CreateSpaceInput, required: true }) },
    resolve: async (_, { input }, ctx) => ({
      space: await createSpace({ ctx, key: input.key, name: input.name, public: input.public ?? true, description: input.description }),
    }),
  }),
  addSpaceMember: t.field({
    type: AddSpaceMemberSuccess,
    description: "A space ADMIN grants or changes a user's level",
    errors: resultOf('AddSpaceMember'),
    args: { input: t.arg({ type: AddSpaceMemberInput, required: true }) },
    resolve: (_, { input }, ctx) => addSpaceMember({ ctx, spaceKey: input.spaceKey, user: input.user, level: input.level }),
  }),
  deleteSpace: t.field({
    type: DeleteSpaceSuccess,
    description: 'A space ADMIN deletes the space, its content and their relations',
    errors: resultOf('DeleteSpace'),
    args: { input: t.arg({ type: DeleteSpaceInput, required: true }) },
    resolve: async (_, { input }, ctx) => {
      const space = await getSpace({ ctx, key: input.key });
      await deleteSpace({ ctx, key: input.key });
      return { space: space as Space };
    },
  }),
}));
