// What a webhook must look like (docs/events.md, "Webhooks"): checked before anything is stored or resolved.
import { randomBytes } from 'node:crypto';
import { ValidationError } from './errors.js';
import { validateText } from './names.js';
import { validateNameShape } from './relation-names.js';

export type WebhookEventType = 'CREATED' | 'DELETED';
const EVENT_TYPES: WebhookEventType[] = ['CREATED', 'DELETED'];

export const MAX_URL_LENGTH = 2048;
/** Per owner: webhooks are queues the gateway works on, not free storage. */
export const MAX_WEBHOOKS_PER_OWNER = 50;

const SECRET_PREFIX = 'whsec_';
// Standard Webhooks: a secret of 24 to 64 random bytes.
const SECRET_BYTES = { min: 24, max: 64, generated: 32 };

/** An http(s) URL without credentials or a fragment, at most MAX_URL_LENGTH characters. */
export function validateWebhookUrl(value: unknown): URL {
  if (typeof value !== 'string' || value.trim() === '') throw new ValidationError('url must be an http or https URL', 'url');
  if (value.length > MAX_URL_LENGTH) throw new ValidationError(`url must be at most ${MAX_URL_LENGTH} characters`, 'url');
  if (/[\u0000-\u0020\u007f-\u009f]/.test(value)) throw new ValidationError('url must not contain spaces or control characters', 'url');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ValidationError(`url is not a URL: '${value}'`, 'url');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ValidationError('url must be an http or https URL', 'url');
  if (url.username || url.password) throw new ValidationError('url must not contain credentials; the signature authenticates deliveries', 'url');
  if (url.hash) throw new ValidationError('url must not contain a fragment', 'url');
  if (!url.hostname) throw new ValidationError('url must name a host', 'url');
  return url;
}

export function validateWebhookName(value: unknown): string {
  return validateText(value, 'name', 255);
}

/** A non-empty list of CREATED and DELETED, each at most once, in that order. */
export function validateEventTypes(value: unknown): WebhookEventType[] {
  if (!Array.isArray(value) || value.length === 0) throw new ValidationError('events must list CREATED, DELETED or both', 'events');
  for (const type of value) {
    if (!EVENT_TYPES.includes(type)) throw new ValidationError(`events must list CREATED, DELETED or both, got '${String(type)}'`, 'events');
  }
  return EVENT_TYPES.filter((type) => value.includes(type));
}

/** A relation name to filter by: the shape every addressable name has (it need not exist yet). */
export function validateRelationNameFilter(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return validateNameShape(value, 'relationName');
}

/** A supplied secret must be whsec_ and the base64 of 24 to 64 bytes; none supplied: a new one of 32 random bytes. */
export function webhookSecret(value: unknown): string {
  if (value === undefined || value === null) return SECRET_PREFIX + randomBytes(SECRET_BYTES.generated).toString('base64');
  const hint = `secret must be ${SECRET_PREFIX} followed by the base64 of ${SECRET_BYTES.min} to ${SECRET_BYTES.max} random bytes, or omitted to get one`;
  if (typeof value !== 'string' || !value.startsWith(SECRET_PREFIX)) throw new ValidationError(hint, 'secret');
  const encoded = value.slice(SECRET_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0) throw new ValidationError(hint, 'secret');
  const bytes = Buffer.from(encoded, 'base64').length;
  if (bytes < SECRET_BYTES.min || bytes > SECRET_BYTES.max) throw new ValidationError(hint, 'secret');
  return value;
}
