import { describe, expect, it } from 'vitest';
import { friendlyDate, isoTime } from '../../src/domain/dates.js';

const now = new Date('2026-11-23T12:00:00Z');
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);

describe('friendlyDate (Confluence friendlyCreatedDate)', () => {
  it.each([
    [0, 'just now'],
    [59, 'just now'],
    [60, '1 minute ago'],
    [59 * 60, '59 minutes ago'],
    [3600, '1 hour ago'],
    [23 * 3600, '23 hours ago'],
    [24 * 3600, 'yesterday'],
    [6 * 86400, '6 days ago'],
    [7 * 86400, 'Nov 16, 2026'],
    [400 * 86400, 'Oct 19, 2025'],
  ])('%i s ago reads %s', (seconds, text) => {
    expect(friendlyDate(ago(seconds), now)).toBe(text);
  });

  it('reads a date in the future as just now', () => {
    expect(friendlyDate(new Date(now.getTime() + 5000), now)).toBe('just now');
  });

  it('writes calendar dates in UTC, whatever the hour', () => {
    expect(friendlyDate(new Date('2026-01-02T23:59:59Z'), now)).toBe('Jan 2, 2026');
    expect(friendlyDate(new Date('2026-01-03T00:00:00Z'), now)).toBe('Jan 3, 2026');
  });
});

describe('isoTime: toISOString, written in JS', () => {
  const edges = [
    0, -1, 1, 951_782_400_000 /* 2000-02-29 */, 4_107_542_400_000 /* 2100-03-01 */, -2_203_891_200_000 /* 1900-02-28 */, -62_167_219_200_000 /* 0000-01-01 */,
    253_402_300_799_999 /* 9999-12-31T23:59:59.999 */, 1_796_594_460_228,
  ];
  it.each(edges)('%i ms is written as toISOString writes it', (ms) => {
    expect(isoTime(new Date(ms))).toBe(new Date(ms).toISOString());
  });

  it('agrees with toISOString over 200,000 instants from year 0 to 9999', () => {
    // A fixed linear congruential sequence: the same instants on every run, spread over the whole range.
    let seed = 12_345;
    const span = 253_402_300_799_999 + 62_167_219_200_000;
    for (let i = 0; i < 200_000; i++) {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      const ms = Math.floor((seed / 2_147_483_648) * span) - 62_167_219_200_000 + (i % 1000);
      const date = new Date(ms);
      if (isoTime(date) !== date.toISOString()) expect(isoTime(date)).toBe(date.toISOString());
    }
  });

  it('leaves years outside 0-9999 and invalid dates to toISOString', () => {
    for (const ms of [-62_167_219_200_001, 253_402_300_800_000, 8.64e15, -8.64e15]) expect(isoTime(new Date(ms))).toBe(new Date(ms).toISOString());
    expect(() => isoTime(new Date(Number.NaN))).toThrow(RangeError);
  });
});
