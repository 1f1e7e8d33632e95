import { Random } from '@recurrent/core';

/** `count` uniform values in [−scale, scale] from a fixed seed, as float32. */
export function seededFloat32(count: number, seed: number, scale: number): Float32Array {
  return Float32Array.from(new Random(seed).uniformArray(count, -scale, scale));
}
