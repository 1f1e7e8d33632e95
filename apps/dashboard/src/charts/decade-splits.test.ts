import { describe, expect, it } from 'vitest';
import { decadeSplits } from './decade-splits.js';

describe('decadeSplits', () => {
  it('labels every decade of a short range', () => {
    expect(decadeSplits(1, 1000)).toEqual([1, 10, 100, 1000]);
  });

  it('labels every n-th decade of a long range, at most 8, as exact powers of ten', () => {
    const splits = decadeSplits(1e-29, 1e-1);
    expect(splits).toEqual([1e-28, 1e-24, 1e-20, 1e-16, 1e-12, 1e-8, 1e-4]);
    expect(splits.length).toBeLessThanOrEqual(8);
  });

  it('stays inside the range and gives nothing for a range a log axis cannot show', () => {
    expect(decadeSplits(0.15, 2.5)).toEqual([1]);
    expect(decadeSplits(0, 1)).toEqual([]);
  });
});
