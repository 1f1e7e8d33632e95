/**
 * Turns parsed scalar functions into vector graph nodes by evaluating them symbolically: names
 * are bound to nodes, helpers are inlined at each call, and control flow is if-converted. An
 * `if` whose test folds to a constant (the activation kind, `clip > 0` — constants per launch)
 * keeps only the branch taken; any other `if` evaluates both continuations (the branch followed
 * by the rest of the function) and joins them with a lane-wise `select`. That is safe because the
 * functions are pure: evaluating the side JavaScript would skip has no effect, and NaN or ∞ in
 * the unselected lanes is discarded by the select.
 *
 * JavaScript semantics kept: `&&`/`||` return an operand (not a boolean), truthiness of a number
 * is `x ≠ 0 && x = x` (NaN is falsy), booleans used as numbers are 1/0, comparisons with NaN are
 * false except `!=`/`!==`. Anything not modelled throws {@link UnsupportedFunctionError}.
 */
import type { Graph, GraphNode } from './pointwise-graph.js';
import {
  type Expression,
  type ParsedFunction,
  parseScalarFunction,
  type Statement,
  UnsupportedFunctionError,
} from './scalar-function-parser.js';
import type { VectorMath } from './wasm-math.js';

type ScalarFunction = (...args: number[]) => number;

const parsedSources = new WeakMap<ScalarFunction, ParsedFunction | UnsupportedFunctionError>();

/** The parse of a function's source, cached per function object. */
export function parseCached(fn: ScalarFunction): ParsedFunction {
  let parsed = parsedSources.get(fn);
  if (parsed === undefined) {
    try {
      parsed = parseScalarFunction(Function.prototype.toString.call(fn));
    } catch (error) {
      parsed =
        error instanceof UnsupportedFunctionError ? error : new UnsupportedFunctionError(String(error));
    }
    parsedSources.set(fn, parsed);
  }
  if (parsed instanceof UnsupportedFunctionError) throw parsed;
  return parsed;
}

const mathConstants: Record<string, number> = {
  'Math.PI': Math.PI,
  'Math.E': Math.E,
  'Math.LN2': Math.LN2,
  'Math.LN10': Math.LN10,
  'Math.LOG2E': Math.LOG2E,
  'Math.LOG10E': Math.LOG10E,
  'Math.SQRT2': Math.SQRT2,
  'Math.SQRT1_2': Math.SQRT1_2,
};

/** Math functions folded when every argument is constant (exactly as JavaScript computes them). */
const foldableMath = new Set([
  'abs',
  'acos',
  'acosh',
  'asin',
  'asinh',
  'atan',
  'atan2',
  'atanh',
  'cbrt',
  'ceil',
  'cos',
  'cosh',
  'exp',
  'expm1',
  'floor',
  'fround',
  'hypot',
  'log',
  'log10',
  'log1p',
  'log2',
  'max',
  'min',
  'pow',
  'round',
  'sign',
  'sin',
  'sinh',
  'sqrt',
  'tan',
  'tanh',
  'trunc',
]);

const comparisonOps: Record<string, string> = {
  '<': 'lt',
  '<=': 'le',
  '>': 'gt',
  '>=': 'ge',
  '==': 'eq',
  '===': 'eq',
  '!=': 'ne',
  '!==': 'ne',
};

const arithmeticOps: Record<string, string> = { '+': 'add', '-': 'sub', '*': 'mul', '/': 'div' };

/** Bounds on inlining depth and on symbolic work (if-conversion can double it per branch). */
const MAX_DEPTH = 24;
const MAX_WORK = 50_000;

type Env = Map<string, GraphNode>;

/** A marker statement closing a block's scope inside a continuation. */
interface EndScope {
  readonly kind: 'endScope';
  readonly names: readonly string[];
}
type Item = Statement | EndScope;

/** Lowers the functions of one kernel onto one graph. */
export class ScalarLowering {
  private work = 0;
  private readonly helpers = new Map<string, ScalarFunction | null>();
  /**
   * Values that are a boolean in some lanes and a number in others (`t ? a < b : x`): stored as
   * numbers (1/0), which is right for arithmetic, truthiness and loose comparisons, but `===`
   * would need each lane's type. Nodes are hash-consed, so a purely numeric value can share a
   * node with such a value; a strict comparison of any node listed here is therefore refused
   * (the kernel runs as a JavaScript loop) rather than guessed.
   */
  private readonly mixedType = new Set<GraphNode>();

  constructor(
    private readonly graph: Graph,
    private readonly math: VectorMath,
    helpers: readonly ScalarFunction[],
  ) {
    for (const helper of helpers) {
      // Two helpers with one name would be ambiguous: such calls are not compiled.
      this.helpers.set(helper.name, this.helpers.has(helper.name) ? null : helper);
    }
  }

  /** `fn(...args)` as a float node (a boolean result becomes 1/0, as a typed array stores it). */
  call(fn: ScalarFunction, args: readonly GraphNode[]): GraphNode {
    return this.toNumber(this.invoke(parseCached(fn), args, 0));
  }

  private invoke(fn: ParsedFunction, args: readonly GraphNode[], depth: number): GraphNode {
    if (depth > MAX_DEPTH) throw new UnsupportedFunctionError('helpers nest too deeply (recursion?)');
    if (args.length < fn.params.length)
      throw new UnsupportedFunctionError(`${fn.name} called with too few arguments`);
    if (new Set(fn.params).size !== fn.params.length)
      throw new UnsupportedFunctionError('duplicate parameter names');
    const env: Env = new Map();
    fn.params.forEach((name, index) => {
      env.set(name, args[index]!);
    });
    const result = this.run(fn.body, env, depth);
    if (!result) throw new UnsupportedFunctionError(`${fn.name || 'a function'} can end without return`);
    return result;
  }

  /** Evaluates statements in order; returns the returned node, or null when the end is reached. */
  private run(items: readonly Item[], env: Env, depth: number): GraphNode | null {
    for (let index = 0; index < items.length; index++) {
      if (++this.work > MAX_WORK) throw new UnsupportedFunctionError('too many branches to if-convert');
      const item = items[index]!;
      const rest = items.slice(index + 1);
      switch (item.kind) {
        case 'endScope':
          for (const name of item.names) env.delete(name);
          break;
        case 'declare':
          if (env.has(item.name))
            throw new UnsupportedFunctionError(`'${item.name}' is declared twice or shadows`);
          env.set(item.name, this.expression(item.value, env, depth));
          break;
        case 'assign': {
          const current = env.get(item.name);
          if (!current) throw new UnsupportedFunctionError(`assignment to undeclared '${item.name}'`);
          const value = this.expression(item.value, env, depth);
          const operator = item.operator.slice(0, -1);
          env.set(item.name, operator ? this.binary(operator, current, value) : value);
          break;
        }
        case 'return':
          return this.expression(item.value, env, depth);
        case 'block':
          return this.run([...item.body, this.scopeEnd(item.body), ...rest], env, depth);
        case 'if': {
          const test = this.truthy(this.expression(item.test, env, depth));
          const then: Item[] = [...item.then, this.scopeEnd(item.then), ...rest];
          const otherwise: Item[] = [...item.otherwise, this.scopeEnd(item.otherwise), ...rest];
          if (test.op === 'mconst') return this.run(test.value ? then : otherwise, env, depth);
          const thenValue = this.run(then, new Map(env), depth);
          const otherwiseValue = this.run(otherwise, new Map(env), depth);
          if (!thenValue || !otherwiseValue) return null;
          return this.join(test, thenValue, otherwiseValue);
        }
      }
    }
    return null;
  }

  private scopeEnd(body: readonly Statement[]): EndScope {
    return {
      kind: 'endScope',
      names: body.flatMap((statement) => (statement.kind === 'declare' ? [statement.name] : [])),
    };
  }

  /**
   * `mask ? a : b`. Arms of different types (or of varying type) are joined as numbers, 1/0 for
   * booleans, and the result is recorded in {@link mixedType}.
   */
  private join(mask: GraphNode, a: GraphNode, b: GraphNode): GraphNode {
    // A constant test picks one arm, with that arm's own type.
    if (mask.op === 'mconst') return mask.value ? a : b;
    if (a.type === b.type && !this.mixedType.has(a) && !this.mixedType.has(b)) {
      return this.graph.select(mask, a, b);
    }
    const joined = this.graph.select(mask, this.toNumber(a), this.toNumber(b));
    this.mixedType.add(joined);
    return joined;
  }

  private toNumber(node: GraphNode): GraphNode {
    if (node.type === 'float') return node;
    return this.graph.select(node, this.graph.constant(1), this.graph.constant(0));
  }

  private truthy(node: GraphNode): GraphNode {
    if (node.type === 'mask') return node;
    const g = this.graph;
    return g.and(g.compare('ne', node, g.constant(0)), g.compare('eq', node, node));
  }

  private binary(operator: string, left: GraphNode, right: GraphNode): GraphNode {
    const g = this.graph;
    const arithmetic = arithmeticOps[operator];
    if (arithmetic) return g.float(arithmetic, this.toNumber(left), this.toNumber(right));
    const comparison = comparisonOps[operator];
    if (comparison) {
      const strict = operator.length === 3;
      if (strict && (this.mixedType.has(left) || this.mixedType.has(right))) {
        throw new UnsupportedFunctionError(`'${operator}' on a value that is a boolean in some lanes only`);
      }
      // `===`/`!==` between a boolean and a number compare types first: never equal.
      if (strict && left.type !== right.type) return g.maskConstant(operator === '!==');
      if (left.type === 'mask' && right.type === 'mask' && (comparison === 'eq' || comparison === 'ne')) {
        const differ = g.or(g.and(left, g.not(right)), g.and(right, g.not(left)));
        return comparison === 'eq' ? g.not(differ) : differ;
      }
      return g.compare(comparison, this.toNumber(left), this.toNumber(right));
    }
    if (operator === '&&' || operator === '||') {
      if (left.type === 'mask' && right.type === 'mask')
        return operator === '&&' ? g.and(left, right) : g.or(left, right);
      const test = this.truthy(left);
      return operator === '&&' ? this.join(test, right, left) : this.join(test, left, right);
    }
    if (operator === '%' || operator === '**') {
      const [a, b] = [this.toNumber(left), this.toNumber(right)];
      if (a.op === 'const' && b.op === 'const')
        return g.constant(operator === '%' ? a.value % b.value : a.value ** b.value);
      throw new UnsupportedFunctionError(`'${operator}' on non-constant operands`);
    }
    throw new UnsupportedFunctionError(`operator '${operator}'`);
  }

  private expression(expression: Expression, env: Env, depth: number): GraphNode {
    const g = this.graph;
    switch (expression.kind) {
      case 'number':
        return g.constant(expression.value);
      case 'boolean':
        return g.maskConstant(expression.value);
      case 'name': {
        const bound = env.get(expression.name);
        if (bound) return bound;
        if (expression.name === 'Infinity') return g.constant(Number.POSITIVE_INFINITY);
        if (expression.name === 'NaN') return g.constant(Number.NaN);
        const constant = mathConstants[expression.name];
        if (constant !== undefined) return g.constant(constant);
        throw new UnsupportedFunctionError(`free name '${expression.name}'`);
      }
      case 'unary': {
        const operand = this.expression(expression.operand, env, depth);
        if (expression.operator === '!') return g.not(this.truthy(operand));
        return expression.operator === '-' ? g.float('neg', this.toNumber(operand)) : this.toNumber(operand);
      }
      case 'binary':
        return this.binary(
          expression.operator,
          this.expression(expression.left, env, depth),
          this.expression(expression.right, env, depth),
        );
      case 'conditional':
        return this.join(
          this.truthy(this.expression(expression.test, env, depth)),
          this.expression(expression.then, env, depth),
          this.expression(expression.otherwise, env, depth),
        );
      case 'call': {
        const args = expression.args.map((arg) => this.expression(arg, env, depth));
        if (expression.callee.startsWith('Math.')) return this.mathCall(expression.callee.slice(5), args);
        const helper = this.helpers.get(expression.callee);
        if (!helper)
          throw new UnsupportedFunctionError(`call of '${expression.callee}', which is not a helper`);
        return this.invoke(parseCached(helper), args, depth + 1);
      }
    }
  }

  private mathCall(name: string, rawArgs: readonly GraphNode[]): GraphNode {
    const g = this.graph;
    const args = rawArgs.map((arg) => this.toNumber(arg));
    if (foldableMath.has(name) && args.every((arg) => arg.op === 'const')) {
      const fn = (Math as unknown as Record<string, (...values: number[]) => number>)[name]!;
      return g.constant(fn(...args.map((arg) => arg.value)));
    }
    const [x] = args;
    switch (name) {
      case 'max':
      case 'min':
        if (args.length === 0)
          return g.constant(name === 'max' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY);
        // Math.max(x) is +x; more arguments fold left (NaN and ±0 order as Math.max/min).
        return args.slice(1).reduce((acc, arg) => g.float(name, acc, arg), args[0]!);
      case 'abs':
      case 'sqrt':
      case 'floor':
      case 'ceil':
      case 'trunc':
      case 'fround':
        if (!x) break;
        return g.float(name, x);
      case 'exp':
        if (!x) break;
        return this.math.exp(x);
      case 'tanh':
        if (!x) break;
        return this.math.tanh(x);
      case 'log':
        if (!x) break;
        return this.math.log(x);
      case 'sign':
        if (!x) break;
        return g.select(
          g.compare('gt', x, g.constant(0)),
          g.constant(1),
          g.select(g.compare('lt', x, g.constant(0)), g.constant(-1), x),
        );
    }
    throw new UnsupportedFunctionError(`Math.${name} on non-constant arguments`);
  }
}
