import { builder } from '../builder.js';
import type { ApiToken } from '../../generated/prisma/client.js';
import { createApiToken, listApiTokens, revokeApiToken } from '../../services/tokens.js';
import { resultOf } from './errors.js';

const ApiTokenRef = builder.objectRef<ApiToken>('ApiToken').implement({
  description: 'An API token of the caller; the secret itself is shown only once, at creation',
  fields: (t) => ({
    id: t.exposeInt('id'),
    name: t.exposeString('name'),
    prefix: t.exposeString('prefix', { description: 'The first characters of the token, to tell tokens apart' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.queryField('apiTokens', (t) => t.field({ type: [ApiTokenRef], description: "The caller's API tokens", resolve: (_, __, ctx) => listApiTokens({ ctx }) }));

const CreateApiTokenInput = builder.inputType('CreateApiTokenInput', {
  fields: (t) => ({ name: t.string() }),
});

const CreateApiTokenSuccess = builder.objectRef<{ token: string; record: ApiToken }>('CreateApiTokenSuccess').implement({
  fields: (t) => ({
    token: t.exposeString('token', { description: 'The secret, shown only here' }),
    apiToken: t.field({ type: ApiTokenRef, resolve: (r) => r.record }),
  }),
});

const RevokeApiTokenInput = builder.inputType('RevokeApiTokenInput', {
  fields: (t) => ({ id: t.int({ required: true }) }),
});

const RevokeApiTokenSuccess = builder.objectRef<{ apiToken: ApiToken }>('RevokeApiTokenSuccess').implement({
  fields: (t) => ({ apiToken: t.field({ type: ApiTokenRef, resolve: (r) => r.apiToken }) }),
});

builder.mutationFields((t) => ({
  createApiToken: t.field({
    type: CreateApiTokenSuccess,
    errors: resultOf('CreateApiToken'),
    args: { input: t.arg({ type: CreateApiTokenInput }) },
    resolve: (_, { input }, ctx) => createApiToken({ ctx, name: input?.name }),
  }),
  revokeApiToken: t.field({
    type: RevokeApiTokenSuccess,
    description: "Revokes one of your tokens (site admins: anyone's); effective on the next request",
    errors: resultOf('RevokeApiToken'),
    args: { input: t.arg({ type: RevokeApiTokenInput, required: true }) },
    resolve: async (_, { input }, ctx) => ({ apiToken: await revokeApiToken({ ctx, id: input.id }) }),
  }),
}));
