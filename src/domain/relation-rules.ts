import { ValidationError } from './errors.js';
import type { EntityType } from './entities.js';
import { lookalikeKeys, validateNameShape, validateNameText } from './relation-names.js';

export const FAVOURITE = 'favourite';
export const WATCH = 'watch';

/** Names with rules of their own; every other name is free-form. */
interface NameRule {
  sources: EntityType[];
  targets: EntityType[];
  /** Only the source user and site admins ever see it. */
  private: boolean;
  /** A space admin may also delete it when it targets their space or its content. */
  spaceAdminMayDelete: boolean;
}

const RULES: Record<string, NameRule> = {
  [FAVOURITE]: { sources: ['USER'], targets: ['SPACE', 'CONTENT'], private: true, spaceAdminMayDelete: true },
  [WATCH]: { sources: ['USER'], targets: ['SPACE', 'CONTENT'], private: false, spaceAdminMayDelete: false },
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

/** What reads, lists and deletes accept: any name a relation may already carry. */
export function validateRelationName(name: string, field = 'name'): string {
  return validateNameShape(name, field);
}

// A lookalike of any name with rules of its own would dodge those rules (a public "Favourite"), so all are reserved.
const RESERVED = new Map(Object.keys(RULES).flatMap((name) => lookalikeKeys(name).map((key) => [key, name] as const)));

/** What a new relation's name must be: the text rules, and no lookalike of a reserved name but the name itself. */
export function validateNewRelationName(name: string, field = 'name'): string {
  const text = validateNameText(name, field);
  const reserved = lookalikeKeys(text)
    .map((key) => RESERVED.get(key))
    .find((name) => name !== undefined);
  if (reserved !== undefined && reserved !== text) {
    throw new ValidationError(
      `This name looks like the reserved name '${reserved}' (names are compared ignoring case and lookalike characters): use '${reserved}' itself or another name`,
      field,
    );
  }
  return text;
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
