import { builder } from '../builder.js';
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
