/**
 * A pointwise kernel as one vector graph for a binding pattern and the launch's constants: the
 * bound outputs' nodes (steps no bound output needs are never lowered, so they may be anything),
 * the inputs they read, and the byte patterns of the integer constants the math library made.
 */
import type { PointwiseKernel } from '@recurrent/core';
import type { KernelPlan } from './pointwise.js';
import { Graph, type GraphNode } from './pointwise-graph.js';
import { ScalarLowering } from './scalar-function-lowering.js';
import { type Element, VectorMath } from './wasm-math.js';
import type { ModuleOutput } from './wasm-pointwise-module.js';

export interface KernelGraph {
  /** The bound outputs' nodes and modes, in output order. */
  readonly outputs: ModuleOutput[];
  /** The kernel output index of each of `outputs`. */
  readonly outputIndices: number[];
  /** Kernel input indices the outputs read, ascending. */
  readonly inputs: number[];
  readonly patterns: Uint8Array[];
}

/** Lowers a kernel; throws `UnsupportedFunctionError` for a function outside the subset. */
export function lowerKernel(
  kernel: PointwiseKernel,
  plan: KernelPlan,
  pattern: string,
  constants: readonly number[],
  element: Element,
): KernelGraph {
  const [inputModes = '', outputModes = ''] = pattern.split(':');
  const graph = new Graph();
  const math = new VectorMath(graph, element);
  const lowering = new ScalarLowering(graph, math, kernel.helpers);
  const values: (GraphNode | undefined)[] = [];
  const slotValue = (slot: number): GraphNode => {
    let value = values[slot];
    if (value) return value;
    if (slot < plan.inputCount) {
      value = inputModes[slot] === 'c' ? graph.constant(constants[slot]!) : graph.input(slot);
    } else {
      const step = slot - plan.inputCount;
      value = lowering.call(plan.fns[step]!, plan.stepArgs[step]!.map(slotValue));
    }
    values[slot] = value;
    return value;
  };
  const outputs: ModuleOutput[] = [];
  const outputIndices: number[] = [];
  [...outputModes].forEach((mode, k) => {
    if (mode === '-') return;
    outputs.push({ node: slotValue(plan.outputSlots[k]!), add: mode === 'a' });
    outputIndices.push(k);
  });
  const inputs = new Set<number>();
  const seen = new Set<GraphNode>();
  const visit = (node: GraphNode): void => {
    if (seen.has(node)) return;
    seen.add(node);
    if (node.op === 'input') inputs.add(node.value);
    for (const arg of node.args) visit(arg);
  };
  for (const output of outputs) visit(output.node);
  return { outputs, outputIndices, inputs: [...inputs].sort((a, b) => a - b), patterns: math.patternBytes() };
}
