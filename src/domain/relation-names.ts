// How a relation name must be written, and when two names look alike (docs/access.md, "Relation names").
import unhomoglyph from 'unhomoglyph';
import { ValidationError } from './errors.js';

// Control characters (C0, DEL, C1) would corrupt logs and URLs.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// Characters that render as nothing or reorder text: format (Cf, bidi controls included), default-ignorable, line and paragraph separators.
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}\p{Zl}\p{Zp}]/u;
// Skeletons skip what the eye skips.
const IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;

const codePoint = (char: string) => `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** The shape every name that can be addressed has: what reads, lists and deletes accept. */
export function validateNameShape(name: unknown, field = 'name'): string {
  if (typeof name !== 'string' || name.length === 0) throw new ValidationError('A relation name must not be empty', field);
  if ([...name].length > 255) throw new ValidationError('A relation name must be at most 255 characters', field);
  if (CONTROL.test(name)) throw new ValidationError('A relation name must not contain control characters', field);
  if (!name.isWellFormed()) throw new ValidationError('A relation name must be valid Unicode', field);
  return name;
}

/** What a new name must also be: NFC, no surrounding whitespace, nothing invisible. */
export function validateNameText(name: unknown, field = 'name'): string {
  const text = validateNameShape(name, field);
  if (text.trim() !== text) throw new ValidationError('A relation name must not start or end with whitespace', field);
  const invisible = INVISIBLE.exec(text);
  if (invisible) {
    throw new ValidationError(`A relation name must not contain invisible or formatting characters (found ${codePoint(invisible[0])})`, field);
  }
  if (text.normalize('NFC') !== text) throw new ValidationError('A relation name must be in Unicode normalization form NFC', field);
  return text;
}

/** The Unicode TR39 skeleton: equal skeletons look alike. */
function skeleton(text: string): string {
  return unhomoglyph(text.normalize('NFD').replace(IGNORABLE, '')).normalize('NFD');
}

/** Folds one character: case and compatibility forms first, or the skeleton first; repeated until stable. */
function fold(char: string, caseFirst: boolean): string {
  const step = caseFirst ? (text: string) => skeleton(text.normalize('NFKC').toLowerCase()) : (text: string) => skeleton(text).normalize('NFKC').toLowerCase();
  let folded = char;
  for (let round = 0; round < 4; round++) {
    const next = step(folded);
    if (next === folded) break;
    folded = next;
  }
  return folded;
}

// A character folds the same either way but for a few, such as "I" (the skeleton alone reads it as "l") and
// "ſ" (compatibility folding alone reads it as "s"): those keep both readings.
const folds = new Map<string, string[]>();
function readings(char: string): string[] {
  let found = folds.get(char);
  if (!found) {
    const [caseFirst, skeletonFirst] = [fold(char, true), fold(char, false)];
    found = caseFirst === skeletonFirst ? [caseFirst] : [caseFirst, skeletonFirst];
    if (folds.size < 10_000) folds.set(char, found);
  }
  return found;
}

const MAX_KEYS = 256;

/**
 * Keys shared by names that differ only in case or in lookalike characters: "Favourite", "favourit\u0435" (a
 * Cyrillic е), "ｆａｖｏｕｒｉｔｅ" and "ſavourIte" all share one with "favourite". One key per combination of the
 * readings of the few characters that have two (past MAX_KEYS combinations, each reading applied throughout).
 */
export function lookalikeKeys(name: string): string[] {
  const perChar = [...name.normalize('NFD').replace(IGNORABLE, '')].map(readings);
  let keys = [''];
  for (const options of perChar) {
    keys = keys.flatMap((key) => options.map((option) => key + option));
    if (keys.length > MAX_KEYS) {
      keys = [0, 1].map((reading) => perChar.map((options) => options[Math.min(reading, options.length - 1)]).join(''));
      break;
    }
  }
  return [...new Set(keys.map((key) => key.normalize('NFD')))];
}
