/**
 * The vector dataflow graph the WebAssembly pointwise compiler builds from a kernel: one node
 * per SIMD operation on a whole vector of lanes, hash-consed (identical operations on identical
 * operands are one node) and constant-folded with JavaScript's own float64 arithmetic, so a
 * subtree of constants (activation kind tests, `alpha · beta`) gives exactly what the JavaScript
 * loop computes. Node kinds:
 *
 *   float  lanes of the element type (f32x4 or f64x2): constants, inputs, arithmetic, Math.*
 *   mask   lanes all-ones or all-zero: comparisons, and/or/not; `select` picks by a mask
 *   int    the lanes' bits as integers (i32x4 for f32, i64x2 for f64): used inside exp/log
 */

export type NodeType = 'float' | 'mask' | 'int';

export interface GraphNode {
  readonly id: number;
  readonly op: string;
  readonly type: NodeType;
  readonly args: readonly GraphNode[];
  /** Constant value (float/mask constants, int splats), shift amount, or input index. */
  readonly value: number;
}

/** Float operations folded with JavaScript numbers when every operand is constant. */
const folders: Record<string, (...values: number[]) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  neg: (a) => -a,
  abs: Math.abs,
  min: (a, b) => Math.min(a, b),
  max: (a, b) => Math.max(a, b),
  sqrt: Math.sqrt,
  floor: Math.floor,
  ceil: Math.ceil,
  trunc: Math.trunc,
  fround: Math.fround,
};

const comparisons: Record<string, (a: number, b: number) => boolean> = {
  eq: (a, b) => a === b,
  ne: (a, b) => a !== b,
  lt: (a, b) => a < b,
  le: (a, b) => a <= b,
  gt: (a, b) => a > b,
  ge: (a, b) => a >= b,
};

/** Builds a graph; every method returns the (possibly shared or folded) node. */
export class Graph {
  readonly nodes: GraphNode[] = [];
  private readonly byKey = new Map<string, GraphNode>();

  private make(op: string, type: NodeType, args: readonly GraphNode[], value = 0): GraphNode {
    const key = `${op}|${Object.is(value, -0) ? '-0' : value}|${args.map((arg) => arg.id).join(',')}`;
    let node = this.byKey.get(key);
    if (!node) {
      node = { id: this.nodes.length, op, type, args, value };
      this.nodes.push(node);
      this.byKey.set(key, node);
    }
    return node;
  }

  constant(value: number): GraphNode {
    return this.make('const', 'float', [], value);
  }

  maskConstant(value: boolean): GraphNode {
    return this.make('mconst', 'mask', [], value ? 1 : 0);
  }

  input(index: number): GraphNode {
    return this.make('input', 'float', [], index);
  }

  isConstant(node: GraphNode): boolean {
    return node.op === 'const' || node.op === 'mconst';
  }

  /** A float operation: `add sub mul div min max` (2 operands) or `neg abs sqrt floor ceil trunc fround`. */
  float(op: string, ...args: GraphNode[]): GraphNode {
    const fold = folders[op];
    if (fold && args.every((arg) => arg.op === 'const'))
      return this.constant(fold(...args.map((arg) => arg.value)));
    if (op === 'neg' && args[0]!.op === 'neg') return args[0]!.args[0]!;
    return this.make(op, 'float', args);
  }

  /** Operations the math library builds from (`nearest`, reinterpretations): never folded. */
  raw(op: string, type: NodeType, args: readonly GraphNode[], value = 0): GraphNode {
    return this.make(op, type, args, value);
  }

  compare(op: string, left: GraphNode, right: GraphNode): GraphNode {
    if (left.op === 'const' && right.op === 'const')
      return this.maskConstant(comparisons[op]!(left.value, right.value));
    return this.make(op, 'mask', [left, right]);
  }

  and(left: GraphNode, right: GraphNode): GraphNode {
    if (left.op === 'mconst') return left.value ? right : left;
    if (right.op === 'mconst') return right.value ? left : right;
    if (left === right) return left;
    return this.make('and', 'mask', [left, right]);
  }

  or(left: GraphNode, right: GraphNode): GraphNode {
    if (left.op === 'mconst') return left.value ? left : right;
    if (right.op === 'mconst') return right.value ? right : left;
    if (left === right) return left;
    return this.make('or', 'mask', [left, right]);
  }

  not(mask: GraphNode): GraphNode {
    if (mask.op === 'mconst') return this.maskConstant(!mask.value);
    if (mask.op === 'not') return mask.args[0]!;
    return this.make('not', 'mask', [mask]);
  }

  /** `mask ? then : otherwise` lane by lane; both operands have the same type. */
  select(mask: GraphNode, then: GraphNode, otherwise: GraphNode): GraphNode {
    if (mask.op === 'mconst') return mask.value ? then : otherwise;
    if (then === otherwise) return then;
    return this.make('select', then.type, [mask, then, otherwise]);
  }
}
