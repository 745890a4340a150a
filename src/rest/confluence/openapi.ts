// The OpenAPI 3.1 description of everything the Confluence face serves (GET /rest/api/openapi.json).
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const param = (name: string) => ({ $ref: `#/components/parameters/${name}` });
const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const error = (description: string) => ({ description, ...json(ref('Error')) });

const ERRORS = {
  '400': error('The request is invalid: a bad entity type, a malformed integer, a negative start, a bad name or body.'),
  '401': error('No valid credentials; carries `WWW-Authenticate`.'),
  '403': error('The caller may not do this; or a write whose body is a form or plain text lacks `X-Atlassian-Token: no-check` ("XSRF check failed").'),
  '404': error('An entity (or the relation) does not exist or may not be viewed.'),
  '503': error('The database is unavailable.'),
};

const path = (name: string, description: string, schema: object = { type: 'string' }) => ({ name, in: 'path', required: true, description, schema });
const queryParam = (name: string, description: string, schema: object = { type: 'string' }) => ({ name, in: 'query', description, schema });
const entityType = { type: 'string', enum: ['user', 'content', 'space'] };
const relationPath = [
  path('relationName', 'The relation name: 1-255 characters; a new one must also be NFC, without surrounding whitespace or invisible characters, and no lookalike of favourite or watch.'),
  path('sourceType', 'user, content or space.', entityType),
  path('sourceKey', 'current, an accountId, userKey or username; a content id; a space key.'),
  path('targetType', 'user, content or space.', entityType),
  path('targetKey', 'As sourceKey, for the target.'),
];
const selectors = [param('sourceStatus'), param('targetStatus'), param('sourceVersion'), param('targetVersion')];
const paging = [param('start'), param('limit')];
const userSelector = [
  queryParam('accountId', 'The user (default: the caller). Only site admins may name another user when writing.'),
  queryParam('key', 'The user by userKey.'),
  queryParam('username', 'The user by username.'),
];

const links = {
  type: 'object',
  properties: Object.fromEntries(['base', 'context', 'self', 'next', 'prev', 'collection'].map((k) => [k, { type: 'string' }])),
  additionalProperties: false,
};
const expandable = { type: 'object', additionalProperties: { type: 'string' } };
const arrayOf = (item: string) => ({
  type: 'object',
  required: ['results', 'start', 'limit', 'size', '_links'],
  properties: { results: { type: 'array', items: ref(item) }, start: { type: 'integer' }, limit: { type: 'integer' }, size: { type: 'integer' }, _links: ref('GenericLinks') },
  additionalProperties: false,
});

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
    properties: { by: ref('User'), when: { type: 'string', format: 'date-time' }, message: { type: 'string' }, number: { type: 'integer', minimum: 1 }, minorEdit: { type: 'boolean' } },
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
  SpaceCreate: {
    type: 'object',
    required: ['key', 'name'],
    properties: {
      key: { type: 'string' },
      name: { type: 'string' },
      description: { type: 'object', properties: { plain: { type: 'object', properties: { value: { type: 'string' }, representation: { type: 'string' } } } } },
    },
  },
  ContentCreate: {
    type: 'object',
    required: ['title', 'space'],
    properties: {
      type: { type: 'string', default: 'page' },
      title: { type: 'string' },
      status: { type: 'string', default: 'current' },
      space: { type: 'object', required: ['key'], properties: { key: { type: 'string' } } },
    },
  },
  ContentUpdate: {
    type: 'object',
    required: ['version'],
    properties: {
      title: { type: 'string' },
      status: { type: 'string' },
      type: { type: 'string' },
      version: {
        type: 'object',
        required: ['number'],
        properties: { number: { type: 'integer', description: 'The latest version number + 1' }, message: { type: 'string' }, minorEdit: { type: 'boolean' } },
      },
    },
  },
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
  UserWatch: { type: 'object', required: ['watching'], properties: { watching: { type: 'boolean' } }, additionalProperties: false },
};

const parameters = {
  sourceStatus: queryParam('sourceStatus', 'Status of a content source: current (default), draft, trashed, archived, historical, any.'),
  targetStatus: queryParam('targetStatus', 'Status of a content target, as sourceStatus.'),
  sourceVersion: queryParam('sourceVersion', 'With sourceStatus=historical: the content version the source is pinned to.', { type: 'integer', minimum: 1 }),
  targetVersion: queryParam('targetVersion', 'With targetStatus=historical: the content version the target is pinned to.', { type: 'integer', minimum: 1 }),
  expand: {
    name: 'expand',
    in: 'query',
    description: 'Comma-separated (or repeated) parts to expand: relationData, source, target; dot paths relationData.createdBy, source.space, target.space.',
    style: 'form',
    explode: false,
    schema: { type: 'array', items: { type: 'string' } },
  },
  start: queryParam('start', 'Index of the first result.', { type: 'integer', minimum: 0, default: 0 }),
  limit: queryParam('limit', 'Page size; values above 200 are capped to 200 (and echoed); 0 gives an empty page.', { type: 'integer', minimum: 0, default: 25 }),
  cursor: queryParam('cursor', 'Opaque keyset cursor carried by `next` links; keeps deep pages fast.'),
  noCheck: {
    name: 'X-Atlassian-Token',
    in: 'header',
    description: 'no-check lets a write through whose Content-Type a plain HTML form can send (form-urlencoded, multipart/form-data, text/plain, or none with a body); without it such a write is a 403. JSON writes need no header.',
    schema: { type: 'string', enum: ['no-check'] },
  },
};

const op = (summary: string, params: object[], responses: object, extra: object = {}) => ({ summary, parameters: params, responses: { ...responses, ...ERRORS }, ...extra });
/** A state-changing operation: it takes the XSRF opt-out header. */
const write = (summary: string, params: object[], responses: object, extra: object = {}) => op(summary, [...params, param('noCheck')], responses, extra);
const ok = (schema: string, description = 'OK') => ({ '200': { description, ...json(ref(schema)) } });
const noContent = (description: string) => ({ '204': { description } });

const paths = {
  '/relation/{relationName}/from/{sourceType}/{sourceKey}/to/{targetType}': {
    get: op(
      'Find target entities related to a source entity',
      [...relationPath.filter((p) => p.name !== 'targetKey'), ...selectors, param('expand'), ...paging, param('cursor')],
      ok('RelationArray'),
    ),
  },
  '/relation/{relationName}/to/{targetType}/{targetKey}/from/{sourceType}': {
    get: op(
      'Find source entities related to a target entity',
      [...relationPath.filter((p) => p.name !== 'sourceKey'), ...selectors, param('expand'), ...paging, param('cursor')],
      ok('RelationArray'),
    ),
  },
  '/relation/{relationName}/from/{sourceType}/{sourceKey}/to/{targetType}/{targetKey}': {
    get: op('Find the relation from a source to a target (404 when absent)', [...relationPath, ...selectors, param('expand')], ok('Relation')),
    put: write('Create the relation, or return the existing one (relationData expanded by default)', [...relationPath, ...selectors, param('expand')], ok('Relation')),
    delete: write('Delete the relation (204 whether or not it existed)', [...relationPath, ...selectors], noContent('Deleted, or there was nothing to delete')),
  },
  '/space': {
    get: op(
      'List the spaces the caller may view',
      [queryParam('spaceKey', 'Only these keys (repeat or comma-separate).'), queryParam('type', 'global or personal'), queryParam('status', 'current or archived'), queryParam('favourite', 'true: only spaces the caller favourited', { type: 'boolean' }), ...paging],
      ok('SpaceArray'),
    ),
    post: write('Create a public space (the caller becomes its admin)', [], ok('Space'), { requestBody: { required: true, ...json(ref('SpaceCreate')) } }),
  },
  '/space/_private': {
    post: write('Create a private space only its creator can see', [], ok('Space'), { requestBody: { required: true, ...json(ref('SpaceCreate')) } }),
  },
  '/space/{spaceKey}': {
    get: op('A space by key', [path('spaceKey', 'The space key.')], ok('Space')),
    delete: write('Delete a space with its content and relations', [path('spaceKey', 'The space key.')], {
      '202': { description: 'Deleted; the long task reports it finished', ...json(ref('LongTask')) },
    }),
  },
  '/longtask/{id}': { get: op('The status of a long task', [path('id', 'The task id.')], ok('LongTaskStatus')) },
  '/content': {
    get: op(
      'List the content the caller may view',
      [queryParam('spaceKey', 'Only content of this space.'), queryParam('type', 'page, blogpost, ...'), queryParam('title', 'Exact title.'), queryParam('status', 'current (default), draft, trashed, archived or any.'), ...paging],
      ok('ContentArray'),
    ),
    post: write('Create content (needs EDIT in the space)', [queryParam('status', 'Initial status (default current).')], ok('Content'), {
      requestBody: { required: true, ...json(ref('ContentCreate')) },
    }),
  },
  '/content/{id}': {
    get: op(
      'Content by id, at a status and version',
      [path('id', 'The content id.'), queryParam('status', 'current (default), trashed, draft, archived, historical or any.'), queryParam('version', 'A version number.', { type: 'integer', minimum: 1 })],
      ok('Content'),
    ),
    put: write('Update title or status; version.number must be the latest + 1', [path('id', 'The content id.'), queryParam('status', 'Accepted and ignored.')], {
      ...ok('Content'),
      '409': error('version.number is not the latest version + 1.'),
    }, { requestBody: { required: true, ...json(ref('ContentUpdate')) } }),
    delete: write('Trash current content (200), or purge trashed content with status=trashed (204)', [path('id', 'The content id.'), queryParam('status', 'trashed: purge')], {
      ...ok('Content', 'Trashed'),
      ...noContent('Purged'),
    }),
  },
  '/user': { get: op('A user by accountId, key or username', userSelector, ok('User')) },
  '/user/current': { get: op('The caller', [], ok('User')) },
  '/user/watch/content/{contentId}': {
    get: op('Whether the user watches the content', [path('contentId', 'The content id.'), ...userSelector], ok('UserWatch')),
    post: write('Watch the content', [path('contentId', 'The content id.'), ...userSelector], noContent('Watching')),
    delete: write('Stop watching the content', [path('contentId', 'The content id.'), ...userSelector], noContent('Not watching')),
  },
  '/user/watch/space/{spaceKey}': {
    get: op('Whether the user watches the space', [path('spaceKey', 'The space key.'), ...userSelector], ok('UserWatch')),
    post: write('Watch the space', [path('spaceKey', 'The space key.'), ...userSelector], noContent('Watching')),
    delete: write('Stop watching the space', [path('spaceKey', 'The space key.'), ...userSelector], noContent('Not watching')),
  },
};

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'relation-gateway: Confluence-compatible REST API',
    version: '1.0.0',
    description:
      'Confluence Cloud/Server relation API and the entities it relates (users, spaces, content). Served under /wiki/rest/api (Cloud) and /rest/api (Server). Authenticate with Basic (email or username : API token) or Bearer (API token).',
  },
  servers: [{ url: '/wiki/rest/api', description: 'Confluence Cloud paths' }, { url: '/rest/api', description: 'Confluence Server/Data Center paths' }],
  security: [{ basicAuth: [] }, { bearerAuth: [] }],
  paths,
  components: {
    securitySchemes: { basicAuth: { type: 'http', scheme: 'basic' }, bearerAuth: { type: 'http', scheme: 'bearer' } },
    parameters,
    schemas,
  },
};
