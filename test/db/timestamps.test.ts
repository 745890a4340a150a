import pg from 'pg';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseTimestamptz } from '../../src/db/timestamps.js';

const general = pg.types.getTypeParser(1184, 'text') as (text: string) => Date;
const pad = (n: number, width: number) => String(n).padStart(width, '0');

describe('parseTimestamptz (hot read path)', () => {
  it('agrees with pg on every UTC timestamp PostgreSQL can write, 0 to 6 fraction digits', () => {
    const stamp = fc.record({
      year: fc.integer({ min: 1, max: 9999 }),
      month: fc.integer({ min: 1, max: 12 }),
      day: fc.integer({ min: 1, max: 28 }),
      hour: fc.integer({ min: 0, max: 23 }),
      minute: fc.integer({ min: 0, max: 59 }),
      second: fc.integer({ min: 0, max: 59 }),
      fraction: fc.stringMatching(/^[0-9]{0,5}[1-9]$/).map((f) => f.slice(0, 6)),
      hasFraction: fc.boolean(),
    });
    fc.assert(
      fc.property(stamp, (s) => {
        const text = `${pad(s.year, 4)}-${pad(s.month, 2)}-${pad(s.day, 2)} ${pad(s.hour, 2)}:${pad(s.minute, 2)}:${pad(s.second, 2)}${s.hasFraction ? `.${s.fraction}` : ''}+00`;
        expect(parseTimestamptz(text).getTime()).toBe(general(text).getTime());
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    '2026-11-23 21:04:44.212345+00',
    '1970-01-01 00:00:00+00',
    '1969-12-31 23:59:59.999+00',
    '0099-06-01 12:00:00+00',
    '0001-01-01 00:00:00+00',
    '2026-11-23 22:04:44.5+01',
    '2026-11-23 16:34:44+05:30',
    '0044-03-15 12:00:00+00 BC',
    '12026-01-01 00:00:00+00',
    'infinity',
    '-infinity',
  ])('reads %s as pg does', (text) => {
    // pg answers ±Infinity (numbers) for the infinite timestamps; anything else is a Date.
    const value = (d: unknown) => (d instanceof Date ? d.getTime() : d);
    expect(value(parseTimestamptz(text))).toEqual(value(general(text)));
  });
});
