// The two-generation cache behind the claims, grants and plan caches: bounded, and a recent hit survives.
import { createGenerations } from '../../src/generations';

describe('generations', () => {
  it('keeps at most the size it was given', () => {
    // Prepare
    const cache = createGenerations<number>(4);

    // Act
    for (let i = 0; i < 100; i++) cache.set(`k${i}`, i);

    // Assess
    const kept = Array.from({ length: 100 }, (_, i) => cache.get(`k${i}`)).filter((v) => v !== undefined);
    expect(kept.length).toBeLessThanOrEqual(4);
    expect(cache.get('k99')).toBe(99);
  });

  it('keeps an old entry that was just read when the generations turn', () => {
    // Prepare
    const cache = createGenerations<string>(4);
    cache.set('a', 'A');
    cache.set('b', 'B');
    cache.set('c', 'C'); // a and b are now the old generation

    // Act
    cache.get('a'); // moves a to the young one
    cache.set('d', 'D');
    cache.set('e', 'E'); // turns again: the old generation (b) goes

    // Assess
    expect([cache.get('a'), cache.get('b')]).toEqual(['A', undefined]);
  });

  it('forgets a deleted key in either generation, and keeps nothing at size 0', () => {
    // Prepare
    const cache = createGenerations<string>(4);
    const none = createGenerations<string>(0);
    cache.set('a', 'A');
    cache.set('b', 'B');
    cache.set('c', 'C');
    none.set('a', 'A');

    // Act
    cache.delete('a');
    cache.delete('c');

    // Assess
    expect([cache.get('a'), cache.get('b'), cache.get('c'), none.get('a')]).toEqual([undefined, 'B', undefined, undefined]);
  });
});
