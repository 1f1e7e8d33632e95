/**
 * Per-dispatch parameters travel as a uniform `array<vec4<u32>, N>`; word `i` of it reads as
 * `rcParams[i / 4].xyzw[i % 4]`. Floats are stored bit-cast.
 */
const COMPONENTS = ['x', 'y', 'z', 'w'] as const;

/** WGSL expression for parameter word `index` as u32. */
export function paramWord(index: number): string {
  return `rcParams[${Math.floor(index / 4)}].${COMPONENTS[index % 4]}`;
}

/** WGSL expression for parameter word `index` as f32. */
export function paramFloat(index: number): string {
  return `bitcast<f32>(${paramWord(index)})`;
}

/** WGSL declaration of the parameter block holding `words` words. */
export function paramsDeclaration(words: number, group: number): string {
  return `@group(${group}) @binding(0) var<uniform> rcParams : array<vec4<u32>, ${Math.max(1, Math.ceil(words / 4))}>;`;
}

/** Writes parameter words; floats go in bit-cast. */
export class ParamWriter {
  readonly words: Uint32Array;
  private readonly floats: Float32Array;

  constructor(count: number) {
    this.words = new Uint32Array(Math.max(4, Math.ceil(count / 4) * 4));
    this.floats = new Float32Array(this.words.buffer);
  }

  u32(index: number, value: number): void {
    this.words[index] = value;
  }

  f32(index: number, value: number): void {
    this.floats[index] = value;
  }
}
