// The OpenAPI 3.1 description of everything the Confluence face serves (GET /rest/api/openapi.json).
// Parameters and request bodies are generated from the request schemas that params.ts checks
// (schemas.ts); the response schemas stay declared here as JSON Schema, since they describe what the
// serializers write rather than anything parsed.
import { createDocument, type ZodOpenApiObject } from 'zod-openapi';
import type { RequestSchema } from './params.js';
import * as requests from './schemas.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const error = (description: string) => ({ description, ...json(ref('Error')) });

const ERRORS = {
  '400': error('The request is invalid: a bad entity type, a malformed integer, a negative start, a bad name or body.'),
  '401': error('No valid credentials; carries `WWW-Authenticate`.'),
  '403': error('The caller may not do this; or a write whose body is a form or plain text lacks `X-Atlassian-Token: no-check` ("XSRF check failed").'),
  '404': error('An entity (or the relation) does not exist or may not be viewed.'),
  '503': error('The database is unavailable.'),
};

const links = {
  type: 'object',
  properties: Object.fromEntries(['base', 'context', 'self', 'next', 'prev', 'collection'].map((k) => [k, { type: 'string' }])),
  additionalProperties: false,
};
const expandable = { type: 'object', additionalProperties: { type: 'string' } };
const arrayOf = (item: string) => ({
  type: 'object',
  required: ['results', 'start', 'limit', 'size', '_links'],
  properties: {
    results: { type: 'array', items: ref(item) },
    start: { type: 'integer' },
    limit: { type: 'integer' },
    size: { type: 'integer' },
    _links: ref('GenericLinks'),
  },
  additionalProperties: false,
});

const webhook = {
  type: 'object',
  required: ['id', 'name', 'url', 'events', 'relationName', 'createdAt', 'failingSince', '_links'],
  properties: {
    id: { type: 'integer' },
    name: { type: 'string' },
    url: { type: 'string' },
    events: { type: 'array', items: { type: 'string', enum: ['CREATED', 'DELETED'] }, minItems: 1 },
    relationName: { type: ['string', 'null'] },
    createdAt: { type: 'string', format: 'date-time' },
    failingSince: { type: ['string', 'null'], format: 'date-time', description: 'When the event at the head of its queue first failed' },
    _links: ref('GenericLinks'),
  },
  additionalProperties: false,
};

const schemas = {
  GenericLinks: links,
  Error: {
    type: 'object',
    required: ['statusCode', 'data', 'message'],
    properties: {
      statusCode: { type: 'integer' },
      data: {
        type: 'object',
        required: ['authorized', 'valid', 'errors', 'successful'],
        properties: {
          authorized: { type: 'boolean' },
          valid: { type: 'boolean' },
          errors: {
            type: 'array',
            items: {
              type: 'object',
              required: ['message'],
              properties: { message: { type: 'object', required: ['translation', 'args'], properties: { translation: { type: 'string' }, args: { type: 'array' } } } },
            },
          },
          successful: { const: false },
        },
        additionalProperties: false,
      },
      message: { type: 'string' },
    },
    additionalProperties: false,
  },
  User: {
    type: 'object',
    required: ['type', 'accountId', 'accountType', 'email', 'publicName', 'profilePicture', 'displayName', 'userKey', 'username', '_expandable', '_links'],
    properties: {
      type: { const: 'known' },
      accountId: { type: 'string' },
      accountType: { type: 'string', enum: ['atlassian', 'app'] },
      email: { type: 'string' },
      publicName: { type: 'string' },
      profilePicture: {
        type: 'object',
        required: ['path', 'width', 'height', 'isDefault'],
        properties: { path: { type: 'string' }, width: { type: 'integer' }, height: { type: 'integer' }, isDefault: { type: 'boolean' } },
      },
      displayName: { type: 'string' },
      userKey: { type: 'string' },
      username: { type: 'string' },
      _expandable: expandable,
      _links: ref('GenericLinks'),
    },
    additionalProperties: false,
  },
  Space: {
    type: 'object',
    required: ['id', 'key', 'name', 'type', 'status', 'description', '_expandable', '_links'],
    properties: {
      id: { type: 'integer' },
      key: { type: 'string' },
      name: { type: 'string' },
      type: { type: 'string', enum: ['global', 'personal'] },
      status: { type: 'string', enum: ['current', 'archived'] },
      description: {
        type: 'object',
        required: ['plain'],
        properties: {
          plain: {
            type: 'object',
            required: ['value', 'representation'],
            properties: { value: { type: 'string' }, representation: { const: 'plain' }, embeddedContent: { type: 'array' } },
          },
        },
      },
      _expandable: expandable,
      _links: ref('GenericLinks'),
    },
    additionalProperties: false,
  },
  Version: {
    type: 'object',
    required: ['when', 'message', 'number', 'minorEdit'],
    properties: {
      by: ref('User'),
      when: { type: 'string', format: 'date-time' },
      message: { type: 'string' },
      number: { type: 'integer', minimum: 1 },
      minorEdit: { type: 'boolean' },
    },
    additionalProperties: false,
  },
  Content: {
    type: 'object',
    required: ['id', 'type', 'status', 'title', 'version', '_expandable', '_links'],
    properties: {
      id: { type: 'string' },
      type: { type: 'string', enum: ['page', 'blogpost', 'comment', 'attachment', 'whiteboard', 'database', 'embed', 'folder'] },
      status: { type: 'string', enum: ['current', 'draft', 'trashed', 'archived', 'historical'] },
      title: { type: 'string' },
      space: ref('Space'),
      version: ref('Version'),
      _expandable: expandable,
      _links: ref('GenericLinks'),
    },
    additionalProperties: false,
  },
  RelationData: {
    type: 'object',
    required: ['createdDate', 'friendlyCreatedDate'],
    properties: { createdBy: ref('User'), createdDate: { type: 'string', format: 'date-time' }, friendlyCreatedDate: { type: 'string' } },
    additionalProperties: false,
  },
  Relation: {
    type: 'object',
    required: ['name', '_expandable', '_links'],
    properties: {
      name: { type: 'string' },
      relationData: ref('RelationData'),
      source: { oneOf: [ref('Content'), ref('User'), ref('Space')] },
      target: { oneOf: [ref('Content'), ref('User'), ref('Space')] },
      _expandable: {
        type: 'object',
        properties: { relationData: { type: 'string', minLength: 1 }, source: { type: 'string', minLength: 1 }, target: { type: 'string', minLength: 1 } },
        additionalProperties: false,
      },
      _links: ref('GenericLinks'),
    },
    additionalProperties: false,
  },
  RelationArray: arrayOf('Relation'),
  SpaceArray: arrayOf('Space'),
  ContentArray: arrayOf('Content'),
  LongTask: {
    type: 'object',
    required: ['id', 'links'],
    properties: { id: { type: 'string' }, links: { type: 'object', required: ['status'], properties: { status: { type: 'string' } } } },
    additionalProperties: false,
  },
  LongTaskStatus: {
    type: 'object',
    required: ['id', 'name', 'elapsedTime', 'percentageComplete', 'successful', 'finished', 'messages', '_links'],
    properties: {
      id: { type: 'string' },
      name: { type: 'object', required: ['key', 'args'], properties: { key: { type: 'string' }, args: { type: 'array' } } },
      elapsedTime: { type: 'integer' },
      percentageComplete: { type: 'integer' },
      successful: { type: 'boolean' },
      finished: { type: 'boolean' },
      status: { type: 'string' },
      messages: { type: 'array' },
      _links: ref('GenericLinks'),
    },
    additionalProperties: false,
  },
  Webhook: webhook,
  WebhookCreated: {
    ...webhook,
    required: [...webhook.required, 'secret'],
    properties: { ...webhook.properties, secret: { type: 'string', pattern: '^whsec_', description: 'The signing secret, shown only in this answer' } },
  },
  WebhookArray: {
    type: 'object',
    required: ['results', 'size'],
    properties: { results: { type: 'array', items: ref('Webhook') }, size: { type: 'integer' } },
    additionalProperties: false,
  },
  WebhookDelivery: {
    type: 'object',
    required: ['eventId', 'status', 'attempts', 'lastStatus', 'lastError', 'createdAt', 'updatedAt'],
    properties: {
      eventId: { type: 'string' },
      status: { type: 'string', enum: ['delivered', 'retrying', 'failed'] },
      attempts: { type: 'integer', minimum: 1 },
      lastStatus: { type: ['integer', 'null'] },
      lastError: { type: ['string', 'null'] },
      createdAt: { type: 'string', format: 'date-time' },
      updatedAt: { type: 'string', format: 'date-time' },
    },
    additionalProperties: false,
  },
  WebhookDeliveryArray: {
    type: 'object',
    required: ['results', 'size'],
    properties: { results: { type: 'array', items: ref('WebhookDelivery') }, size: { type: 'integer' } },
    additionalProperties: false,
  },
  UserWatch: { type: 'object', required: ['watching'], properties: { watching: { type: 'boolean' } }, additionalProperties: false },
};

// Checked by the XSRF middleware (http/csrf.ts) before any route, so it is declared here rather than parsed.
const noCheck = {
  name: 'X-Atlassian-Token',
  in: 'header',
  description:
    'no-check lets a write through whose Content-Type a plain HTML form can send (form-urlencoded, multipart/form-data, text/plain, or none with a body); without it such a write is a 403. JSON writes need no header.',
  schema: { type: 'string', enum: ['no-check'] },
};

/** An operation: its parameters and body come from its request schema. */
function op(summary: string, request: RequestSchema, responses: object, headers: object[] = []) {
  return {
    summary,
    requestParams: { ...(request.params ? { path: request.params } : {}), ...(request.query ? { query: request.query } : {}) },
    parameters: headers,
    ...(request.body ? { requestBody: { required: true, ...json(request.body) } } : {}),
    responses: { ...responses, ...ERRORS },
  };
}
/** A state-changing operation: it takes the XSRF opt-out header. */
const write = (summary: string, request: RequestSchema, responses: object) => op(summary, request, responses, [{ $ref: '#/components/parameters/noCheck' }]);
const ok = (schema: string, description = 'OK') => ({ '200': { description, ...json(ref(schema)) } });
const noContent = (description: string) => ({ '204': { description } });

const paths = {
  '/relation/{relationName}/from/{sourceType}/{sourceKey}/to/{targetType}': {
    get: op('Find target entities related to a source entity', requests.relationsFromRequest, ok('RelationArray')),
  },
  '/relation/{relationName}/to/{targetType}/{targetKey}/from/{sourceType}': {
    get: op('Find source entities related to a target entity', requests.relationsToRequest, ok('RelationArray')),
  },
  '/relation/{relationName}/from/{sourceType}/{sourceKey}/to/{targetType}/{targetKey}': {
    get: op('Find the relation from a source to a target (404 when absent)', requests.relationRequest, ok('Relation')),
    put: write('Create the relation, or return the existing one (relationData expanded by default)', requests.relationRequest, ok('Relation')),
    delete: write('Delete the relation (204 whether or not it existed)', requests.relationDeleteRequest, noContent('Deleted, or there was nothing to delete')),
  },
  '/space': {
    get: op('List the spaces the caller may view', requests.spacesRequest, ok('SpaceArray')),
    post: write('Create a public space (the caller becomes its admin)', requests.spaceCreateRequest, ok('Space')),
  },
  '/space/_private': {
    post: write('Create a private space only its creator can see', requests.spaceCreateRequest, ok('Space')),
  },
  '/space/{spaceKey}': {
    get: op('A space by key', requests.spaceRequest, ok('Space')),
    delete: write('Delete a space with its content and relations', requests.spaceRequest, {
      '202': { description: 'Deleted; the long task reports it finished', ...json(ref('LongTask')) },
    }),
  },
  '/longtask/{id}': { get: op('The status of a long task', requests.longTaskRequest, ok('LongTaskStatus')) },
  '/content': {
    get: op('List the content the caller may view', requests.contentsRequest, ok('ContentArray')),
    post: write('Create content (needs EDIT in the space)', requests.contentCreateRequest, ok('Content')),
  },
  '/content/{id}': {
    get: op('Content by id, at a status and version', requests.contentRequest, ok('Content')),
    put: write('Update title or status; version.number must be the latest + 1', requests.contentUpdateRequest, {
      ...ok('Content'),
      '409': error('version.number is not the latest version + 1.'),
    }),
    delete: write('Trash current content (200), or purge trashed content with status=trashed (204)', requests.contentDeleteRequest, {
      ...ok('Content', 'Trashed'),
      ...noContent('Purged'),
    }),
  },
  '/user': { get: op('A user by accountId, key or username', requests.userRequest, ok('User')) },
  '/user/current': { get: op('The caller', {}, ok('User')) },
  '/user/watch/content/{contentId}': {
    get: op('Whether the user watches the content', requests.watchContentRequest, ok('UserWatch')),
    post: write('Watch the content', requests.watchContentRequest, noContent('Watching')),
    delete: write('Stop watching the content', requests.watchContentRequest, noContent('Not watching')),
  },
  '/user/watch/space/{spaceKey}': {
    get: op('Whether the user watches the space', requests.watchSpaceRequest, ok('UserWatch')),
    post: write('Watch the space', requests.watchSpaceRequest, noContent('Watching')),
    delete: write('Stop watching the space', requests.watchSpaceRequest, noContent('Not watching')),
  },
  '/webhooks': {
    get: op("The caller's webhooks (a site admin's: everyone's)", {}, ok('WebhookArray')),
    post: write('Create a webhook of the caller; it delivers the relation events from now on', requests.webhookCreateRequest, {
      '201': { description: 'Created; the answer alone carries the secret', ...json(ref('WebhookCreated')) },
    }),
  },
  '/webhooks/{id}': {
    get: op('A webhook of the caller (any, for a site admin)', requests.webhookRequest, ok('Webhook')),
    delete: write('Delete a webhook of the caller (any, for a site admin)', requests.webhookRequest, noContent('Deleted')),
  },
  '/webhooks/{id}/deliveries': {
    get: op("A webhook's latest deliveries, newest first (its owner only)", requests.webhookDeliveriesRequest, ok('WebhookDeliveryArray')),
  },
};

const document = createDocument({
  openapi: '3.1.0',
  info: {
    title: 'relation-gateway: Confluence-compatible REST API',
    version: '1.0.0',
    description:
      'Confluence Cloud/Server relation API and the entities it relates (users, spaces, content). Served under /wiki/rest/api (Cloud) and /rest/api (Server). Authenticate with Basic (email or username : API token) or Bearer (API token).',
  },
  servers: [
    { url: '/wiki/rest/api', description: 'Confluence Cloud paths' },
    { url: '/rest/api', description: 'Confluence Server/Data Center paths' },
  ],
  security: [{ basicAuth: [] }, { bearerAuth: [] }],
  paths,
  components: {
    securitySchemes: { basicAuth: { type: 'http', scheme: 'basic' }, bearerAuth: { type: 'http', scheme: 'bearer' } },
    parameters: { noCheck },
    schemas,
  },
} as ZodOpenApiObject);

/** Built once at start-up; the parts declared above are always there. */
export const openApiDocument = document as typeof document & Required<Pick<typeof document, 'paths' | 'components' | 'servers'>>;
