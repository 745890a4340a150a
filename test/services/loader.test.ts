import { describe, expect, it } from 'vitest';
import { Loader } from '../../src/loaders.js';

/** A loader over `rows` that records each batch it is asked for. */
function loaderOf(rows: Record<number, string>) {
  const batches: number[][] = [];
  const loader = new Loader<number, string | null>(async (keys) => {
    batches.push([...keys]);
    return keys.map((key) => rows[key] ?? null);
  });
  return { loader, batches };
}

describe('Loader', () => {
  it('answers get and getMany at once, without a promise, for what a page primed', () => {
    const { loader, batches } = loaderOf({});
    loader.prime(1, 'one').prime(2, 'two');
    expect(loader.get(1)).toBe('one');
    expect(loader.getMany([2, 1, 2])).toEqual(['two', 'one', 'two']);
    expect(batches).toEqual([]);
  });

  it('loads every key of getMany in one batch when one is not held, and holds what it loaded', async () => {
    const { loader, batches } = loaderOf({ 2: 'two', 3: 'three' });
    loader.prime(1, 'one');
    const pending = loader.getMany([1, 2, 3, 4]);
    expect(pending).toBeInstanceOf(Promise);
    expect(await pending).toEqual(['one', 'two', 'three', null]);
    // The primed key came from the cache: only the others were asked for.
    expect(batches).toEqual([[2, 3, 4]]);
    expect(loader.getMany([3, 4])).toEqual(['three', null]);
  });

  it('forgets a cleared key', async () => {
    const { loader, batches } = loaderOf({ 1: 'fresh' });
    loader.prime(1, 'stale');
    loader.clear(1);
    expect(await loader.getMany([1])).toEqual(['fresh']);
    expect(batches).toEqual([[1]]);
  });
});
