import { ValidationError } from './errors.js';

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** A human-readable single-line text: a title, a display name, a space name. */
export function validateText(value: unknown, field: string, max = 255): string {
  if (typeof value !== 'string') throw new ValidationError(`${field} must be a string`, field);
  const trimmed = value.trim();
  if (trimmed.length === 0) throw new ValidationError(`${field} must not be empty`, field);
  if (trimmed.length > max) throw new ValidationError(`${field} must be at most ${max} characters`, field);
  if (CONTROL.test(trimmed)) throw new ValidationError(`${field} must not contain control characters`, field);
  if (!trimmed.isWellFormed()) throw new ValidationError(`${field} must be valid Unicode`, field);
  return trimmed;
}

export function validateEmail(value: unknown): string {
  const email = validateText(value, 'email', 254).toLowerCase();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new ValidationError(`'${email}' is not an e-mail address`, 'email');
  return email;
}

/** Confluence space keys: letters and digits (personal spaces start with ~). */
export function validateSpaceKey(value: unknown): string {
  if (typeof value !== 'string' || !/^~?[A-Za-z0-9]{1,255}$/.test(value)) {
    throw new ValidationError('A space key must be 1 to 255 letters or digits', 'key');
  }
  return value;
}

/** Usernames default to the e-mail's local part, reduced to safe characters; `current` is reserved. */
export function usernameBase(email: string): string {
  const base =
    email
      .split('@')[0]
      .toLowerCase()
      .replace(/[^a-z0-9._-]/g, '')
      .slice(0, 60) || 'user';
  return base === 'current' ? 'current-user' : base;
}
