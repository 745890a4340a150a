// The name rules on their own: what a new relation name may be, and which names look like a reserved one.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/domain/errors.js';
import { lookalikeKeys } from '../../src/domain/relation-names.js';
import { validateNewRelationName, validateRelationName } from '../../src/domain/relation-rules.js';

const refusal = (name: string): string => {
  try {
    validateNewRelationName(name);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('name');
    return (error as ValidationError).message;
  }
  return 'accepted';
};

describe('a new relation name', () => {
  it.each(['likes', 'favourite', 'watch', 'my relation', 'café', 'Straße', '東京', '😀 fans', 'favourites', 'watching', 'watcher', 'mentions', 'a'.repeat(255)])(
    '%s is accepted',
    (name) => {
      expect(refusal(name)).toBe('accepted');
    },
  );

  it.each([
    ['Favourite', 'Favourite'],
    ['FAVOURITE', 'FAVOURITE'],
    ['favourit\u0435 (Cyrillic е)', 'favourit\u0435'],
    ['f\u0430v\u043eur\u0456t\u0435 (four Cyrillic letters)', 'f\u0430v\u043eur\u0456t\u0435'],
    ['ｆａｖｏｕｒｉｔｅ (fullwidth)', 'ｆａｖｏｕｒｉｔｅ'],
    ['𝐟𝐚𝐯𝐨𝐮𝐫𝐢𝐭𝐞 (mathematical bold)', '𝐟𝐚𝐯𝐨𝐮𝐫𝐢𝐭𝐞'],
    ['FAVOUR\u0406TE (Cyrillic І)', 'FAVOUR\u0406TE'],
    ['Watch', 'Watch'],
    ['WATCH', 'WATCH'],
    ['w\u0430tch (Cyrillic а)', 'w\u0430tch'],
    ['\u1d21atch (small capital w)', '\u1d21atch'],
    ['watc\u04bb (Cyrillic һ)', 'watc\u04bb'],
    ['wat\u03f2h (lunate sigma)', 'wat\u03f2h'],
    ['\u017favourite (long s)', '\u017favourite'],
    ['fav0urite (digit zero)', 'fav0urite'],
    ['\u017favourIte (long s and a capital I, found by the fuzzer)', '\u017favourIte'],
  ])('%s is refused as a lookalike of a reserved name', (_, name) => {
    expect(refusal(name)).toMatch(/looks like the reserved name '(favourite|watch)'/);
  });

  it.each([
    [' favourite', /start or end with whitespace/],
    ['favourite ', /start or end with whitespace/],
    ['likes\u00a0', /start or end with whitespace/],
    ['\u3000likes', /start or end with whitespace/],
    ['fav\u200bourite', /invisible or formatting characters \(found U\+200B\)/],
    ['likes\u200d', /U\+200D/],
    ['\u202eetiruovaf', /U\+202E/],
    ['a\u2066b', /U\+2066/],
    ['soft\u00adhyphen', /U\+00AD/],
    ['a\ufeffb', /U\+FEFF/],
    ['a\u2028b', /U\+2028/],
    ['tag\u{e0041}', /U\+E0041/],
    ['a\u180eb', /U\+180E/],
    ['cafe\u0301', /normalization form NFC/],
    ['a\nb', /control characters/],
    ['a\u0085b', /control characters/],
    ['', /must not be empty/],
    ['x'.repeat(256), /at most 255/],
    ['\ud800', /valid Unicode/],
  ])('%j is refused', (name, message) => {
    expect(refusal(name)).toMatch(message);
  });

  it('a refusal never quotes the name it refuses', () => {
    expect(refusal('fav\u200bourite')).not.toContain('\u200b');
    expect(refusal('Favourite')).not.toContain('Favourite');
  });
});

describe('addressing an existing relation', () => {
  it('accepts the names a new relation may no longer carry, so rows from before stay readable', () => {
    for (const name of [' favourite', 'Favourite', 'favourit\u0435', 'fav\u200bourite', 'cafe\u0301']) expect(validateRelationName(name)).toBe(name);
  });

  it('still refuses control characters and empty names', () => {
    expect(() => validateRelationName('a\nb')).toThrow(ValidationError);
    expect(() => validateRelationName('')).toThrow(ValidationError);
  });
});

describe('lookalikeKeys', () => {
  const alike = (a: string, b: string) => lookalikeKeys(a).some((key) => lookalikeKeys(b).includes(key));

  it('share a key for names that differ in case or lookalike letters, and not otherwise', () => {
    expect(alike('FAVOURITE', 'favourite')).toBe(true);
    expect(alike('ｆａｖｏｕｒｉｔｅ', 'favourite')).toBe(true);
    expect(alike('\u017favourite', 'favourite')).toBe(true);
    expect(alike('paypal', '\u0440\u0430ypal')).toBe(true);
    expect(alike('favourites', 'favourite')).toBe(false);
    expect(alike('likes', 'favourite')).toBe(false);
    expect(alike('wat\u03c4h', 'watch')).toBe(false); // τ is not a t in TR39's table
  });
});
