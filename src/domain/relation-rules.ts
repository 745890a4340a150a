import { ValidationError } from './errors.js';
import type { EntityType } from './entities.js';

export const FAVOURITE = 'favourite';
export const WATCH = 'watch';

/** Names with rules of their own; every other name is free-form. */
interface NameRule {
  sources: EntityType[];
  targets: EntityType[];
  /** Only the source user (or a site admin) may create or delete it. */
  ownerOnly: boolean;
  /** Only the source user and site admins ever see it. */
  private: boolean;
  /** A space admin may also delete it when it targets their space or its content. */
  spaceAdminMayDelete: boolean;
}

const RULES: Record<string, NameRule> = {
  [FAVOURITE]: { sources: ['USER'], targets: ['SPACE', 'CONTENT'], ownerOnly: true, private: true, spaceAdminMayDelete: true },
  [WATCH]: { sources: ['USER'], targets: ['SPACE', 'CONTENT'], ownerOnly: true, private: false, spaceAdminMayDelete: false },
};

export function ruleFor(name: string): NameRule | undefined {
  return Object.hasOwn(RULES, name) ? RULES[name] : undefined;
}

export function isPrivateName(name: string): boolean {
  return ruleFor(name)?.private ?? false;
}

/** Every name whose relations are private, for lists that span all names. */
export function privateNames(): string[] {
  return Object.keys(RULES).filter(isPrivateName);
}

// Control characters (C0, DEL, C1) would corrupt logs and URLs; everything else is allowed.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export function validateRelationName(name: string, field = 'name'): string {
  if (typeof name !== 'string' || name.length === 0) throw new ValidationError('A relation name must not be empty', field);
  if ([...name].length > 255) throw new ValidationError('A relation name must be at most 255 characters', field);
  if (CONTROL.test(name)) throw new ValidationError('A relation name must not contain control characters', field);
  if (!name.isWellFormed()) throw new ValidationError('A relation name must be valid Unicode', field);
  return name;
}

/** Checks the entity types a named relation may join. */
export function validateRelationTypes(name: string, sourceType: EntityType, targetType: EntityType): void {
  const rule = ruleFor(name);
  if (!rule) return;
  if (!rule.sources.includes(sourceType)) {
    throw new ValidationError(`The source of a '${name}' relation must be a ${rule.sources.join(' or ').toLowerCase()}`, 'source');
  }
  if (!rule.targets.includes(targetType)) {
    throw new ValidationError(`The target of a '${name}' relation must be a ${rule.targets.join(' or ').toLowerCase()}`, 'target');
  }
}

/** Comments are free text for the Umbraco face; bounded so a row stays small. */
export function validateComment(comment: string | null | undefined): string | null {
  if (comment === undefined || comment === null) return null;
  if (typeof comment !== 'string') throw new ValidationError('A comment must be a string', 'comment');
  if (comment.length > 4000) throw new ValidationError('A comment must be at most 4000 characters', 'comment');
  if (/\u0000/.test(comment)) throw new ValidationError('A comment must not contain NUL characters', 'comment');
  return comment;
}
