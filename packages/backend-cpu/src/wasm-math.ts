/**
 * `Math.exp`, `Math.tanh` and `Math.log` for SIMD lanes, built as graph nodes (WebAssembly has
 * none of them). Each is a range reduction plus a polynomial, in the element type:
 *
 * - exp: `x = k·ln2 + r`, `|r| ≤ ln2/2` (Cody–Waite: ln2 split in a high part with trailing zeros,
 *   so `k·ln2hi` is exact, and a low part), `e^r = 1 + (r + r²·P(r))` by its Taylor polynomial
 *   to degree 13 (f64) or 7 (f32), whose truncation error is below half an ulp on that interval
 *   (P evaluated by Estrin's scheme for a short dependency chain), then `· 2^k` built in
 *   the exponent bits. The scale is applied as two factors `2^⌊k/2⌋ · 2^(k−⌊k/2⌋)` so that
 *   results overflow to +∞ and underflow through the subnormals to +0 like `Math.exp`, and x is
 *   first clamped to a range where that holds (NaN passes the clamp: WebAssembly's min/max
 *   propagate NaN).
 * - tanh: `sign(x) · e / (e + 2)` with `e = expm1(2|x|)` (same reduction; `expm1(r) = r + r²·P(r)`
 *   keeps full relative accuracy for small arguments, so tiny x give x), |x| clamped where tanh is
 *   ±1 in the element type; -0, ±∞ and NaN come out as `Math.tanh` gives them.
 * - log: `x = 2^k · m`, `m ∈ [√½, √2)` read from the bits (subnormals scaled up first),
 *   `log m = f − s·(f − R(s²))` with `f = m − 1`, `s = f / (2 + f)` (fdlibm's form), plus
 *   `k·ln2` in two parts; 0 → −∞, negative or NaN → NaN, +∞ → +∞.
 *
 * Measured accuracy against `Math.*` (float64) and `Math.fround(Math.*)` (float32) is in the
 * package README and checked by `wasm-math.test.ts`.
 */
import type { Graph, GraphNode } from './pointwise-graph.js';

export type Element = 'f32' | 'f64';

/** Lane constants (int lanes) from 32-bit words, repeated over the 16 bytes. */
function intLanes(element: Element, value: bigint): Uint8Array {
  const bytes = new Uint8Array(16);
  if (element === 'f64') new BigInt64Array(bytes.buffer).fill(value);
  else new Int32Array(bytes.buffer).fill(Number(value));
  return bytes;
}

/**
 * ln 2 as `high + low`: `high` has trailing zero bits so that `k·high` is exact for every k the
 * reductions produce (fdlibm's split for f64, Cephes' for f32).
 */
const LN2_PARTS = {
  f64: [0.6931471803691238, 1.9082149292705877e-10],
  f32: [0.693359375, -2.1219444e-4],
} as const;

const factorials = (count: number): number[] => {
  const result = [1];
  for (let n = 1; n < count; n++) result.push(result[n - 1]! / n);
  return result;
};

/** Builds math functions on a graph for one element type. */
export class VectorMath {
  private readonly patterns = new Map<string, GraphNode>();

  constructor(
    private readonly graph: Graph,
    private readonly element: Element,
  ) {}

  private c(value: number): GraphNode {
    return this.graph.constant(value);
  }

  private f(op: string, ...args: GraphNode[]): GraphNode {
    return this.graph.float(op, ...args);
  }

  private raw(op: string, type: 'float' | 'int', args: GraphNode[], value = 0): GraphNode {
    return this.graph.raw(op, type, args, value);
  }

  private ints(value: bigint): GraphNode {
    const key = `${this.element}:${value}`;
    let node = this.patterns.get(key);
    if (!node) {
      node = this.graph.raw('vconst', 'int', [], this.patterns.size);
      this.patterns.set(key, node);
    }
    return node;
  }

  /** The byte patterns of the `vconst` nodes, by their `value`. */
  patternBytes(): Uint8Array[] {
    return [...this.patterns.keys()].map((key) => {
      const [element, value] = key.split(':') as [Element, string];
      return intLanes(element, BigInt(value));
    });
  }

  /**
   * `Σ coefficients[i]·xⁱ` by Estrin's scheme: pairs `c₂ⱼ + c₂ⱼ₊₁·x`, then pairs of those with
   * x², x⁴, … — a dependency chain of about 2·log₂(n) operations instead of Horner's 2n, so the
   * polynomial's multiplies overlap in the pipeline.
   */
  private polynomial(x: GraphNode, coefficients: readonly number[]): GraphNode {
    let terms = coefficients.map((coefficient) => this.c(coefficient));
    let power = x;
    while (terms.length > 1) {
      const next: GraphNode[] = [];
      for (let i = 0; i < terms.length; i += 2) {
        next.push(
          i + 1 < terms.length ? this.f('add', terms[i]!, this.f('mul', terms[i + 1]!, power)) : terms[i]!,
        );
      }
      terms = next;
      if (terms.length > 1) power = this.f('mul', power, power);
    }
    return terms[0]!;
  }

  private get wide(): boolean {
    return this.element === 'f64';
  }

  private get lanes(): 'i64x2' | 'i32x4' {
    return this.wide ? 'i64x2' : 'i32x4';
  }

  /** `2^k` from integer lanes `k` in the element's normal exponent range, built in the exponent bits. */
  private powerOfTwo(k: GraphNode): GraphNode {
    const [bias, bits] = this.wide ? [1023n, 52] : [127n, 23];
    const biased = this.raw(`${this.lanes}.add`, 'int', [k, this.ints(bias)]);
    return this.raw('asFloat', 'float', [this.raw(`${this.lanes}.shl`, 'int', [biased], bits)]);
  }

  /**
   * `x = k·ln2 + r`: returns [k as float lanes, k as integer lanes, r]. k is rounded to an integer by
   * adding 1.5·2^52 (1.5·2^23 for f32), which leaves k in the low bits of the sum — cheaper than
   * `nearest` plus a float-to-int conversion, which has no single x86 instruction for f64x2.
   */
  private reduce(x: GraphNode): [GraphNode, GraphNode, GraphNode] {
    const [high, low] = this.wide ? LN2_PARTS.f64 : LN2_PARTS.f32;
    const [shifter, shifterBits] = this.wide
      ? [6755399441055744, 0x4338000000000000n]
      : [12582912, 0x4b400000n];
    const shifted = this.f('add', this.f('mul', x, this.c(Math.LOG2E)), this.c(shifter));
    const k = this.f('sub', shifted, this.c(shifter));
    const integer = this.raw(`${this.lanes}.sub`, 'int', [shifted, this.ints(shifterBits)]);
    const r = this.f('sub', this.f('sub', x, this.f('mul', k, this.c(high))), this.f('mul', k, this.c(low)));
    return [k, integer, r];
  }

  /** `lowest ≤ x ≤ highest` by pmin/pmax (one instruction each; NaN becomes `lowest`: callers restore it). */
  private clamp(x: GraphNode, lowest: number, highest: number): GraphNode {
    return this.raw('pmin', 'float', [this.c(highest), this.raw('pmax', 'float', [this.c(lowest), x])]);
  }

  /** `result` where x is a number, x itself (NaN) where it is NaN. */
  private keepNaN(x: GraphNode, result: GraphNode): GraphNode {
    return this.graph.select(this.graph.compare('eq', x, x), result, x);
  }

  exp(x: GraphNode): GraphNode {
    if (x.op === 'const') return this.c(Math.exp(x.value));
    const clamped = this.wide ? this.clamp(x, -746, 710) : this.clamp(x, -104, 89);
    const [, k, r] = this.reduce(clamped);
    // e^r = 1 + (r + r²·P(r)): the small part first, so the one rounding near 1 comes last.
    const p = this.f('add', this.expm1Reduced(r, this.wide ? 14 : 8), this.c(1));
    // 2^k as two factors, so that results overflow to ∞ and underflow through the subnormals.
    const half = this.raw(`${this.lanes}.shr_s`, 'int', [k], 1);
    const rest = this.raw(`${this.lanes}.sub`, 'int', [k, half]);
    return this.keepNaN(x, this.f('mul', this.f('mul', p, this.powerOfTwo(half)), this.powerOfTwo(rest)));
  }

  /** `e^r − 1 = r + r²·(1/2! + r/3! + …)` by its Taylor polynomial to degree `terms − 1`. */
  private expm1Reduced(r: GraphNode, terms: number): GraphNode {
    return this.f(
      'add',
      r,
      this.f('mul', this.f('mul', r, r), this.polynomial(r, factorials(terms).slice(2))),
    );
  }

  /** `e^y − 1` for `0 ≤ y ≤ 64` (tanh's argument range). */
  private expm1Positive(y: GraphNode): GraphNode {
    const [, k, r] = this.reduce(y);
    const q = this.expm1Reduced(r, this.wide ? 14 : 9);
    const scale = this.powerOfTwo(k);
    return this.f('add', this.f('mul', scale, q), this.f('sub', scale, this.c(1)));
  }

  tanh(x: GraphNode): GraphNode {
    if (x.op === 'const') return this.c(Math.tanh(x.value));
    const magnitude = this.clamp(this.f('abs', x), 0, this.wide ? 22 : 10);
    const e = this.expm1Positive(this.f('add', magnitude, magnitude));
    const t = this.f('div', e, this.f('add', e, this.c(2)));
    const sign = this.raw('vand', 'int', [x, this.c(-0)]);
    return this.keepNaN(x, this.raw('vor', 'float', [t, sign]));
  }

  log(x: GraphNode): GraphNode {
    if (x.op === 'const') return this.c(Math.log(x.value));
    const g = this.graph;
    const wide = this.wide;
    const tiny = g.compare('lt', x, this.c(wide ? 2.2250738585072014e-308 : 1.1754943508222875e-38));
    const scaled = g.select(tiny, this.f('mul', x, this.c(wide ? 2 ** 54 : 2 ** 25)), x);
    const bias = g.select(tiny, this.c(wide ? 54 : 25), this.c(0));
    const lanes = this.lanes;
    const [one, sqrtHalf, mantissa, bits, exponentBias] = wide
      ? [0x3ff0000000000000n, 0x3fe6a09e00000000n, 0x000fffffffffffffn, 52, 1023n]
      : [0x3f800000n, 0x3f3504f3n, 0x007fffffn, 23, 127n];
    const u = this.raw(`${lanes}.add`, 'int', [scaled, this.ints(one - sqrtHalf)]);
    const exponent = this.raw(`${lanes}.sub`, 'int', [
      this.raw(`${lanes}.shr_s`, 'int', [u], bits),
      this.ints(exponentBias),
    ]);
    const exponentFloat = wide
      ? this.raw('f64x2.convert_low_i32x4_s', 'float', [this.raw('narrow64', 'int', [exponent])])
      : this.raw('f32x4.convert_i32x4_s', 'float', [exponent]);
    const k = this.f('sub', exponentFloat, bias);
    const m = this.raw('asFloat', 'float', [
      this.raw(`${lanes}.add`, 'int', [
        this.raw('vand', 'int', [u, this.ints(mantissa)]),
        this.ints(sqrtHalf),
      ]),
    ]);
    const f = this.f('sub', m, this.c(1));
    const s = this.f('div', f, this.f('add', f, this.c(2)));
    const z = this.f('mul', s, s);
    const terms = wide ? 11 : 5;
    const series = this.f(
      'mul',
      z,
      this.polynomial(
        z,
        Array.from({ length: terms }, (_, n) => 2 / (2 * n + 3)),
      ),
    );
    const [high, low] = wide ? LN2_PARTS.f64 : LN2_PARTS.f32;
    const logM = this.f(
      'sub',
      f,
      this.f('sub', this.f('mul', s, this.f('sub', f, series)), this.f('mul', k, this.c(low))),
    );
    let result = this.f('add', this.f('mul', k, this.c(high)), logM);
    result = g.select(
      g.compare('eq', x, this.c(Number.POSITIVE_INFINITY)),
      this.c(Number.POSITIVE_INFINITY),
      result,
    );
    result = g.select(g.compare('eq', x, this.c(0)), this.c(Number.NEGATIVE_INFINITY), result);
    return g.select(g.not(g.compare('ge', x, this.c(0))), this.c(Number.NaN), result);
  }
}
