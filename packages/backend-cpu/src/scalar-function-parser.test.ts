import { lstmCell } from '@recurrent/core';
import { describe, expect, it } from 'vitest';
import { parseScalarFunction, UnsupportedFunctionError } from './scalar-function-parser.js';
import { evaluate, stepKernel } from './test-wasm-pointwise.js';

type ScalarFunction = (...args: number[]) => number;

/** A function from source text, as a bundler would have emitted it. */
function fromSource(source: string): ScalarFunction {
  return new Function(`return (${source});`)() as ScalarFunction;
}

const inputs = [
  -3,
  -1,
  -0.5,
  -0,
  0,
  0.25,
  1,
  2.5,
  40,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
];

describe('parseScalarFunction', () => {
  it('parses declarations, if/else, ternaries, calls and operator precedence', () => {
    const parsed = parseScalarFunction(
      'function f(a, b) { const t = a + b * 2 ** 3 ** 2, u = -a; let v = t; v += 1; if (a < b) { return v; } else if (!b) return u; return a > 0 && b > 0 || a === b ? Math.max(a, b) : g(a); }',
    );
    expect(parsed.name).toBe('f');
    expect(parsed.params).toEqual(['a', 'b']);
    expect(parsed.body.map((statement) => statement.kind)).toEqual([
      'declare',
      'declare',
      'declare',
      'assign',
      'if',
      'return',
    ]);
    // a + (b * (2 ** (3 ** 2)))
    expect(parsed.body[0]).toMatchObject({
      value: {
        operator: '+',
        right: { operator: '*', right: { operator: '**', right: { operator: '**' } } },
      },
    });
  });

  it('parses arrow functions and comments', () => {
    expect(parseScalarFunction('(a, b) => a * b').params).toEqual(['a', 'b']);
    expect(parseScalarFunction('x => { /* c */ return x; // d\n }').body).toHaveLength(1);
  });

  it.each([
    ['a string', "function f(a) { return a + 'x'; }"],
    ['a loop', 'function f(a) { for (;;) {} }'],
    ['a comma expression', 'function f(a) { return a, 1; }'],
    ['an object', 'function f(a) { return { a }; }'],
    ['member access', 'function f(a) { return a.length; }'],
    ['void', 'function f(a) { return void 0; }'],
    ['a bitwise operator', 'function f(a) { return a | 0; }'],
    ['an assignment expression', 'function f(a) { let b = 0; return (b = a); }'],
    ['native code', 'function exp() { [native code] }'],
  ])('rejects %s', (_, source) => {
    expect(() => parseScalarFunction(source)).toThrow(UnsupportedFunctionError);
  });

  it("parses every helper of core's cells as it is built here", () => {
    const { helpers, steps } = lstmCell().backward;
    expect(helpers.length).toBeGreaterThan(0);
    for (const fn of [...helpers, ...steps.map((step) => step.fn)]) {
      expect(() => parseScalarFunction(fn.toString())).not.toThrow();
    }
  });
});

describe('minified sources', () => {
  const compiled: [string, string][] = [
    [
      'ternary chain with !0/!1',
      'function s(n,t){return n===0?1/(1+Math.exp(-t)):n===1?Math.tanh(t):n>t?!0:!1}',
    ],
    [
      'ifs without semicolons',
      'function a(n,t){if(n===0){return 1/(1+Math.exp(-t))}if(n===1){return Math.tanh(t)}return Math.max(t,0)}',
    ],
    ['let reassigned, else branch', 'function b(n,t){let e=t*n;if(e>1)e=1;else e=e*.5;return e}'],
    ['arrow with && / || values', '(n,t)=>n&&t||-t'],
  ];
  it.each(compiled)('compiles %s to WebAssembly with the JavaScript results', async (_, source) => {
    const fn = fromSource(source);
    const columns = [inputs.map((_, i) => (i % 3) - 0.5), inputs];
    const wasm = await evaluate(stepKernel('test/minified', fn), columns, 'float64', true);
    const js = await evaluate(stepKernel('test/minified', fn), columns, 'float64', false);
    expect(wasm.fallbacks).toEqual([]);
    expect(wasm.wasm).toBe(1);
    expect(wasm.values).toEqual(js.values);
  });

  const fallbacks: [string, string][] = [
    ['a comma sequence', 'function c(n,t){return n=t*2,n+1}'],
    ['a closure constant', 'function d(n){return n*k}'],
    ['a call of an unknown name', 'function e(n){return q(n)}'],
    ['void 0', 'function f(n){return n>0?n:void 0}'],
    ['% on data', 'function g(n,t){return n%t}'],
  ];
  it.each(fallbacks)('falls back to the JavaScript loop for %s, with the same results', async (_, source) => {
    const k = 3;
    const q = (n: number) => n + 1;
    // The closure gives `k` and `q` a meaning for JavaScript; the compiler cannot see them.
    const fn = new Function('k', 'q', `return (${source});`)(k, q) as ScalarFunction;
    const columns = [inputs, inputs.map((value) => value + 1)].slice(0, fn.length);
    const wasm = await evaluate(stepKernel('test/minified-fallback', fn), columns, 'float64', true);
    const js = await evaluate(stepKernel('test/minified-fallback', fn), columns, 'float64', false);
    expect(wasm.wasm).toBe(0);
    expect(wasm.fallbacks).toHaveLength(1);
    expect(wasm.values).toEqual(js.values);
  });
});
