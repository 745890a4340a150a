import { builder } from '../builder.js';
import { EVENT_TYPES } from '../../events/log.js';

// Shared by webhooks and the relationEvents subscription (DESIGN.md, "Live relation events"): one definition.
export const RelationEventTypeEnum = builder.enumType('RelationEventType', {
  description: 'What happened to a relation',
  values: EVENT_TYPES,
});
