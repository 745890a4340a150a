// What each Confluence operation takes, declared once: params.ts checks requests against these schemas
// and openapi.ts documents them. Every check keeps the message and field of the 400 it answers.
import * as z from 'zod';
import 'zod-openapi';
import { parseEntityType } from '../../domain/entities.js';
import { ValidationError } from '../../domain/errors.js';
import { readBoolean, readInteger } from './params.js';

type Schema = Record<string, unknown>;

/** A value read by `read`: the ValidationError it throws becomes the issue params.ts answers with. */
function reading<I extends z.ZodType, T>(base: I, read: (value: z.output<I>) => T) {
  return base.transform((value, ctx) => {
    try {
      return read(value);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      ctx.addIssue({ code: 'custom', message: error.message });
      return z.NEVER;
    }
  });
}

/** The document's schema for a value whose wire form is not what zod sees (an integer sent as text). */
const documented = (schema: Schema) => ({
  override: ({ jsonSchema }: { jsonSchema: Schema }) => {
    for (const key of Object.keys(jsonSchema)) delete jsonSchema[key];
    Object.assign(jsonSchema, schema);
  },
});

type Param = {
  description: string;
  /** Shared by several operations: documented once under components.parameters. */
  id?: string;
  style?: 'form';
  explode?: boolean;
};

// ---- Query and path parameters. Each query parameter arrives as all its values (see parseRequest):
// a single one takes the first, and empty is absent.

const first = (values: unknown) => (Array.isArray(values) && values[0] !== '' ? values[0] : undefined);

const text = (param: Param) => z.preprocess(first, z.string().optional()).meta({ param });

const integer = (name: string, param: Param, schema: Schema, options: { cap?: number } = {}) =>
  z
    .preprocess(
      first,
      reading(z.string().optional(), (raw) => readInteger(name, raw, options)),
    )
    .meta({ param, ...documented({ type: 'integer', ...schema }) });

const boolean = (name: string, param: Param) =>
  z
    .preprocess(
      first,
      reading(z.string().optional(), (raw) => readBoolean(name, raw)),
    )
    .meta({ param, ...documented({ type: 'boolean' }) });

/** Comma-separated, repeated, or both; optional (an empty list). */
const list = (param: Param, tidy: (part: string) => string, schema: Schema) =>
  z
    .preprocess(
      (values) =>
        (Array.isArray(values) ? (values as string[]) : [])
          .flatMap((v) => v.split(','))
          .map(tidy)
          .filter(Boolean),
      z.array(z.string()).default([]),
    )
    .meta({ param, ...documented(schema) });

const pathParam = (description: string) => z.string().meta({ param: { description } });

const entityType = (name: string) =>
  reading(z.string(), (value) => parseEntityType(value, name)).meta({
    param: { description: 'user, content or space.' },
    ...documented({ type: 'string', enum: ['user', 'content', 'space'] }),
  });

// ---- Bodies: a field of the wrong type is a 400 naming it; a missing one is left to the service, which
// refuses it in its own words (the document still shows what is required). `null` reads as absent.

const absentIfNull = (value: unknown) => (value === null ? undefined : value);

const optionalString = (name: string) => z.preprocess(absentIfNull, z.string({ error: `${name} must be a string` }).optional());

const optionalBoolean = (name: string) => z.preprocess(absentIfNull, z.boolean({ error: `${name} must be true or false` }).optional());

/** A nested object; anything else (a string, an array) reads as an empty one, so its fields read as absent. */
const nested = <S extends z.core.$ZodLooseShape>(shape: S, required: string[] = []) =>
  z
    .preprocess((value) => (typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {}), z.object(shape))
    .meta({
      override: ({ jsonSchema }: { jsonSchema: Schema }) => {
        if (required.length > 0) jsonSchema.required = required;
        else delete jsonSchema.required;
      },
    });

/** Documented, but not read by the gateway. */
const ignored = (schema: Schema) => z.unknown().optional().meta(documented(schema));

// ---- The relation operations (docs/confluence.md)

const relationPath = {
  relationName: pathParam(
    'The relation name: 1-255 characters; a new one must also be NFC, without surrounding whitespace or invisible characters, and no lookalike of favourite or watch.',
  ),
  sourceType: entityType('sourceType'),
  sourceKey: pathParam('current, an accountId, userKey or username; a content id; a space key.'),
  targetType: entityType('targetType'),
  targetKey: pathParam('As sourceKey, for the target.'),
};

const selectors = {
  sourceStatus: text({ id: 'sourceStatus', description: 'Status of a content source: current (default), draft, trashed, archived, historical, any.' }),
  targetStatus: text({ id: 'targetStatus', description: 'Status of a content target, as sourceStatus.' }),
  sourceVersion: integer(
    'sourceVersion',
    { id: 'sourceVersion', description: 'With sourceStatus=historical: the content version the source is pinned to.' },
    { minimum: 1 },
  ),
  targetVersion: integer(
    'targetVersion',
    { id: 'targetVersion', description: 'With targetStatus=historical: the content version the target is pinned to.' },
    { minimum: 1 },
  ),
};

const expand = list(
  {
    id: 'expand',
    description: 'Comma-separated (or repeated) parts to expand: relationData, source, target; dot paths relationData.createdBy, source.space, target.space.',
    style: 'form',
    explode: false,
  },
  (part) => part.trim(),
  { type: 'array', items: { type: 'string' } },
);

// paging.ts reads these (default, cap, cursor format); declared here, their form is checked with the rest.
const paging = {
  start: integer('start', { id: 'start', description: 'Index of the first result.' }, { minimum: 0, default: 0 }),
  limit: integer(
    'limit',
    { id: 'limit', description: 'Page size; values above 200 are capped to 200 (and echoed); 0 gives an empty page.' },
    { minimum: 0, default: 25 },
    // Any size is accepted here: paging.ts caps it.
    { cap: Number.POSITIVE_INFINITY },
  ),
};
const cursor = text({ id: 'cursor', description: 'Opaque keyset cursor carried by `next` links; keeps deep pages fast.' });

const { targetKey: _targetKey, ...fromPath } = relationPath;
const { sourceKey: _sourceKey, ...toPath } = relationPath;

export const relationsFromRequest = { params: z.object(fromPath), query: z.object({ ...selectors, expand, ...paging, cursor }) };
export const relationsToRequest = { params: z.object(toPath), query: z.object({ ...selectors, expand, ...paging, cursor }) };
export const relationRequest = { params: z.object(relationPath), query: z.object({ ...selectors, expand }) };
export const relationDeleteRequest = { params: z.object(relationPath), query: z.object(selectors) };

// ---- Spaces

const spaceKeyPath = z.object({ spaceKey: pathParam('The space key.') });

export const spacesRequest = {
  query: z.object({
    spaceKey: list({ description: 'Only these keys (repeat or comma-separate).' }, (part) => part, { type: 'string' }),
    type: text({ description: 'global or personal' }),
    status: text({ description: 'current or archived' }),
    favourite: boolean('favourite', { description: 'true: only spaces the caller favourited' }),
    ...paging,
  }),
};

const SpaceCreate = z
  .object({
    key: optionalString('key'),
    name: optionalString('name'),
    description: nested({
      plain: nested({ value: optionalString('description.plain.value'), representation: ignored({ type: 'string' }) }),
    }),
  })
  .meta({ id: 'SpaceCreate', override: { required: ['key', 'name'] } });

export const spaceCreateRequest = { body: SpaceCreate };
export const spaceRequest = { params: spaceKeyPath };

export const longTaskRequest = { params: z.object({ id: pathParam('The task id.') }) };

// ---- Content

const contentIdPath = z.object({ id: pathParam('The content id.') });

export const contentsRequest = {
  query: z.object({
    spaceKey: text({ description: 'Only content of this space.' }),
    type: text({ description: 'page, blogpost, ...' }),
    title: text({ description: 'Exact title.' }),
    status: text({ description: 'current (default), draft, trashed, archived or any.' }),
    ...paging,
  }),
};

// Checked in this order, so with several bad fields the first named here is the one reported.
const ContentCreate = z
  .object({
    space: nested({ key: optionalString('space.key') }, ['key']),
    title: optionalString('title'),
    type: optionalString('type').meta({ override: { default: 'page' } }),
    status: optionalString('status').meta({ override: { default: 'current' } }),
  })
  .meta({ id: 'ContentCreate', override: { required: ['title', 'space'] } });

export const contentCreateRequest = { query: z.object({ status: text({ description: 'Initial status (default current).' }) }), body: ContentCreate };

export const contentRequest = {
  params: contentIdPath,
  query: z.object({
    status: text({ description: 'current (default), trashed, draft, archived, historical or any.' }),
    version: integer('version', { description: 'A version number.' }, { minimum: 1 }),
  }),
};

const versionNumber = reading(z.unknown().optional(), (number) => {
  if (typeof number !== 'number' || !Number.isInteger(number)) {
    throw new ValidationError('version.number is required: send the latest version number + 1', 'version.number');
  }
  return number;
});

const ContentUpdate = z
  .object({
    version: nested(
      {
        number: versionNumber.meta(documented({ type: 'integer', description: 'The latest version number + 1' })),
        message: optionalString('version.message'),
        minorEdit: optionalBoolean('version.minorEdit'),
      },
      ['number'],
    ),
    title: optionalString('title'),
    status: optionalString('status'),
    type: ignored({ type: 'string' }),
  })
  .meta({ id: 'ContentUpdate', override: { required: ['version'] } });

export const contentUpdateRequest = { params: contentIdPath, query: z.object({ status: text({ description: 'Accepted and ignored.' }) }), body: ContentUpdate };

export const contentDeleteRequest = { params: contentIdPath, query: z.object({ status: text({ description: 'trashed: purge' }) }) };

// ---- Users and watches

const userSelector = {
  accountId: text({ description: 'The user (default: the caller). Only site admins may name another user when writing.' }),
  key: text({ description: 'The user by userKey.' }),
  username: text({ description: 'The user by username.' }),
};

/** One of accountId, key or username (or, unless `required`, none: the caller). */
const userQuery = (required: boolean) =>
  z.object(userSelector).superRefine((q, ctx) => {
    const given = [q.accountId, q.key, q.username].filter((v) => v !== undefined).length;
    if (given > 1) ctx.addIssue({ code: 'custom', message: 'Give only one of accountId, key or username', path: ['accountId'] });
    else if (given === 0 && required) ctx.addIssue({ code: 'custom', message: 'Give one of accountId, key or username', path: ['accountId'] });
  });

/** The user key a checked user query names; undefined when it names none. */
export const namedUser = (q: z.output<ReturnType<typeof userQuery>>) => q.accountId ?? q.key ?? q.username;

export const userRequest = { query: userQuery(true) };

export const watchContentRequest = { params: z.object({ contentId: pathParam('The content id.') }), query: userQuery(false) };
export const watchSpaceRequest = { params: spaceKeyPath, query: userQuery(false) };

// ---- Webhooks (docs/events.md)

const webhookIdPath = z.object({ id: pathParam('The webhook id.') });

const WebhookCreate = z
  .object({
    name: optionalString('name').meta({ description: 'A label, 1-255 characters.' }),
    url: optionalString('url').meta({
      description: 'http or https, without credentials; loopback, link-local and private addresses are refused unless the host is in WEBHOOK_ALLOW_HOSTS.',
    }),
    events: z
      .preprocess(absentIfNull, z.array(z.string({ error: 'events must list CREATED, DELETED or both' }), { error: 'events must be a list' }).optional())
      .meta({ override: { type: 'array', items: { type: 'string', enum: ['CREATED', 'DELETED'] }, minItems: 1 } }),
    secret: optionalString('secret').meta({ description: 'whsec_ + base64 of 24-64 bytes; omitted: one is generated and returned once.' }),
    relationName: optionalString('relationName').meta({ description: 'Only events of relations with this name.' }),
  })
  .meta({ id: 'WebhookCreate', override: { required: ['name', 'url', 'events'] } });

export const webhookCreateRequest = { body: WebhookCreate };
export const webhookRequest = { params: webhookIdPath };
export const webhookDeliveriesRequest = {
  params: webhookIdPath,
  query: z.object({ limit: integer('limit', { description: 'How many of the latest deliveries, 0 to 100.' }, { minimum: 0, maximum: 100, default: 20 }) }),
};
