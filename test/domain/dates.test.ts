import { describe, expect, it } from 'vitest';
import { friendlyDate } from '../../src/domain/dates.js';

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
