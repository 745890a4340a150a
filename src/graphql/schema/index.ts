import type { GraphQLObjectType } from 'graphql';
import { builder } from '../builder.js';
import { relationGlobalId } from '../global-id.js';
import type { RelationRow } from '../../services/relations.js';
import './errors.js';
import './user.js';
import './space.js';
import './content.js';
import './entity-ref.js';
import './relation.js';
import './traversal.js';
import './browse.js';
import './api-token.js';
import './events.js';
import './webhooks.js';

export const schema = builder.toSchema({ sortSchema: false });

// The relay plugin resolves a node's id through two async functions, so each id costs promises and a later
// microtask; a nested page shows thousands of relations (1,525 in the bench's walk), and those ids were a tenth of
// what the walk allocated. The same global ID (base64 of `Relation:<id>`), computed at once (global-id.ts).
const relationId = (schema.getType('Relation') as GraphQLObjectType).getFields().id;
relationId.resolve = (relation: RelationRow) => relationGlobalId(relation.id);
