/**
 * Emits the WebAssembly SIMD module for one compiled pointwise kernel: a graph (see
 * `pointwise-graph.ts`) with its input nodes and the output nodes to store. The module imports
 * its memory (`env.memory`) and exports `run(rows, units)`. The caller puts, at byte 0 of memory,
 * one `(address, rowStep)` pair of i32 per channel (the used inputs in the order given, then the
 * outputs), all in bytes; channel c's element `(row, unit)` is at `address + row·rowStep +
 * unit·size`. Per row, full vectors (4 f32 or 2 f64 lanes) are computed and stored; the last
 * partial vector runs the same code and stores through a lane mask (`bitselect` with what is in
 * memory), so no element outside the launch changes. Lanes past the end read whatever follows in
 * memory (the caller leaves 16 bytes of slack); their results are never stored. Within a vector all
 * outputs are computed before any is stored, so an input may alias an output element for element.
 */
import type { GraphNode } from './pointwise-graph.js';
import type { Element } from './wasm-math.js';
import {
  floatOpcode,
  moduleHeader,
  nameOf,
  opcode,
  sectionOf,
  signedLeb,
  simd,
  simdOpcode,
  unsignedLeb,
  v128Const,
  valueType,
  vectorOf,
} from './wasm-module-writer.js';

export interface ModuleOutput {
  readonly node: GraphNode;
  /** Add to the stored value instead of overwriting it. */
  readonly add: boolean;
}

export interface PointwiseModuleSource {
  readonly element: Element;
  /** Kernel input index of each input channel, in table order. */
  readonly inputs: readonly number[];
  readonly outputs: readonly ModuleOutput[];
  /** Bytes of the `vconst` nodes, by their value. */
  readonly patterns: readonly Uint8Array[];
}

const floatBinary = new Set(['add', 'sub', 'mul', 'div', 'min', 'max']);
const floatUnary = new Set(['neg', 'abs', 'sqrt', 'floor', 'ceil', 'trunc', 'nearest']);
/** Pseudo-min/max (`b < a ? b : a`, `a < b ? b : a`): one x86 instruction, no NaN or ±0 rules. */
const pseudoMinMax: Record<string, Record<Element, number>> = {
  pmin: { f32: 0xea, f64: 0xf6 },
  pmax: { f32: 0xeb, f64: 0xf7 },
};
const comparisons = new Set(['eq', 'ne', 'lt', 'le', 'gt', 'ge']);
const simdByName: Record<string, number> = {
  and: simdOpcode.and,
  vand: simdOpcode.and,
  or: simdOpcode.or,
  vor: simdOpcode.or,
  not: simdOpcode.not,
  'i32x4.add': simdOpcode.i32x4Add,
  'i32x4.sub': simdOpcode.i32x4Sub,
  'i64x2.add': simdOpcode.i64x2Add,
  'i64x2.sub': simdOpcode.i64x2Sub,
  'i32x4.trunc_sat_f32x4_s': simdOpcode.i32x4TruncSatF32x4S,
  'f32x4.convert_i32x4_s': simdOpcode.f32x4ConvertI32x4S,
  'i32x4.trunc_sat_f64x2_s_zero': simdOpcode.i32x4TruncSatF64x2SZero,
  'f64x2.convert_low_i32x4_s': simdOpcode.f64x2ConvertLowI32x4S,
  'i64x2.extend_low_i32x4_s': simdOpcode.i64x2ExtendLowI32x4S,
};
const shifts: Record<string, number> = {
  'i32x4.shl': simdOpcode.i32x4Shl,
  'i32x4.shr_s': simdOpcode.i32x4ShrS,
  'i64x2.shl': simdOpcode.i64x2Shl,
  'i64x2.shr_s': simdOpcode.i64x2ShrS,
};
/** Picks bytes 0–3 and 8–11: the low words of two i64 lanes into i32 lanes 0 and 1. */
const narrowLanes = [0, 1, 2, 3, 8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11];

function splatBytes(element: Element, value: number): Uint8Array {
  const bytes = new Uint8Array(16);
  if (element === 'f64') new Float64Array(bytes.buffer).fill(value);
  else new Float32Array(bytes.buffer).fill(value);
  return bytes;
}

/** Returns the module's bytes. */
export function buildPointwiseModule(source: PointwiseModuleSource): Uint8Array {
  const { element, inputs, outputs, patterns } = source;
  const lanes = element === 'f32' ? 4 : 2;
  const bytesPerElement = element === 'f32' ? 4 : 8;
  const floats = floatOpcode[element];
  const channels = inputs.length + outputs.length;
  // Locals: params rows (0), units (1); i32 row, offset, fullEnd; per channel pointer and step.
  const [rows, units, row, offset, fullEnd] = [0, 1, 2, 3, 4];
  const pointer = (channel: number) => 5 + channel;
  const step = (channel: number) => 5 + channels + channel;
  const i32Locals = 3 + 2 * channels;
  const mask = 2 + i32Locals;
  const channelOfInput = new Map(inputs.map((input, index) => [input, index]));

  // Nodes to compute: everything the outputs reach, in creation (= topological) order.
  const reached = new Map<number, GraphNode>();
  const visit = (node: GraphNode): void => {
    if (reached.has(node.id)) return;
    for (const arg of node.args) visit(arg);
    reached.set(node.id, node);
  };
  for (const output of outputs) visit(output.node);
  const order = [...reached.values()].sort((a, b) => a.id - b.id);
  const localOf = new Map<number, number>();
  let vectorLocals = 1; // the tail mask
  for (const node of order) {
    if (node.op === 'const' || node.op === 'mconst' || node.op === 'vconst') continue;
    if (node.op === 'asFloat' || node.op === 'asInt' || (node.op === 'fround' && element === 'f32')) continue;
    localOf.set(node.id, mask + vectorLocals++);
  }

  const code: number[] = [];
  const emit = (...parts: number[]) => {
    for (const part of parts) code.push(part);
  };
  const emitBytes = (bytes: readonly number[]) => {
    for (const byte of bytes) code.push(byte);
  };
  const get = (index: number) => emit(opcode.localGet, ...unsignedLeb(index));
  const set = (index: number) => emit(opcode.localSet, ...unsignedLeb(index));
  const i32 = (value: number) => emit(opcode.i32Const, ...signedLeb(value));
  const address = (channel: number) => {
    get(pointer(channel));
    get(offset);
    emit(opcode.i32Add);
  };
  const load = () => emitBytes([...simd(simdOpcode.load), 0, 0]);
  const store = () => emitBytes([...simd(simdOpcode.store), 0, 0]);

  const push = (node: GraphNode): void => {
    switch (node.op) {
      case 'const':
        emitBytes(v128Const(splatBytes(element, node.value)));
        return;
      case 'mconst':
        emitBytes(v128Const(new Uint8Array(16).fill(node.value ? 0xff : 0)));
        return;
      case 'vconst':
        emitBytes(v128Const(patterns[node.value]!));
        return;
    }
    const local = localOf.get(node.id);
    if (local === undefined)
      push(node.args[0]!); // a reinterpretation: the same bits
    else get(local);
  };

  const compute = (node: GraphNode): void => {
    const { op, args } = node;
    if (op === 'input') {
      address(channelOfInput.get(node.value)!);
      load();
    } else if (floatBinary.has(op) || comparisons.has(op)) {
      push(args[0]!);
      push(args[1]!);
      emitBytes(simd(floats[op as keyof typeof floats]));
    } else if (op in pseudoMinMax) {
      push(args[0]!);
      push(args[1]!);
      emitBytes(simd(pseudoMinMax[op]![element]));
    } else if (floatUnary.has(op)) {
      push(args[0]!);
      emitBytes(simd(floats[op as keyof typeof floats]));
    } else if (op === 'fround') {
      push(args[0]!);
      emitBytes([...simd(simdOpcode.f32x4DemoteF64x2Zero), ...simd(simdOpcode.f64x2PromoteLowF32x4)]);
    } else if (op === 'select') {
      push(args[1]!);
      push(args[2]!);
      push(args[0]!);
      emitBytes(simd(simdOpcode.bitselect));
    } else if (op in shifts) {
      push(args[0]!);
      i32(node.value);
      emitBytes(simd(shifts[op]!));
    } else if (op === 'narrow64') {
      push(args[0]!);
      push(args[0]!);
      emitBytes([...simd(simdOpcode.shuffle), ...narrowLanes]);
    } else if (op in simdByName) {
      for (const arg of args) push(arg);
      emitBytes(simd(simdByName[op]!));
    } else {
      throw new Error(`wasm pointwise: no code for graph op '${op}'`);
    }
    set(localOf.get(node.id)!);
  };

  /** One vector of every output: compute, then store (masked in the tail). */
  const body = (masked: boolean) => {
    for (const node of order) if (localOf.has(node.id)) compute(node);
    outputs.forEach((output, index) => {
      const channel = inputs.length + index;
      address(channel);
      if (output.add) {
        address(channel);
        load();
        push(output.node);
        emitBytes(simd(floats.add));
      } else push(output.node);
      if (masked) {
        address(channel);
        load();
        get(mask);
        emitBytes(simd(simdOpcode.bitselect));
      }
      store();
    });
  };

  for (let channel = 0; channel < channels; channel++) {
    i32(0);
    emit(opcode.i32Load, 2, ...unsignedLeb(channel * 8));
    set(pointer(channel));
    i32(0);
    emit(opcode.i32Load, 2, ...unsignedLeb(channel * 8 + 4));
    set(step(channel));
  }
  // fullEnd = (units & -lanes) · size; mask = laneIndex < units & (lanes − 1)
  get(units);
  i32(-lanes);
  emit(opcode.i32And);
  i32(bytesPerElement);
  emit(opcode.i32Mul);
  set(fullEnd);
  const laneIndex = new Uint8Array(16);
  new Int32Array(laneIndex.buffer).set(element === 'f32' ? [0, 1, 2, 3] : [0, 0, 1, 1]);
  emitBytes(v128Const(laneIndex));
  get(units);
  i32(lanes - 1);
  emit(opcode.i32And);
  emitBytes(simd(simdOpcode.i32x4Splat));
  emitBytes(simd(simdOpcode.i32x4LtS));
  set(mask);
  i32(0);
  set(row);
  emit(opcode.loop, valueType.void); // rows
  i32(0);
  set(offset);
  emit(opcode.block, valueType.void, opcode.loop, valueType.void); // full vectors
  get(offset);
  get(fullEnd);
  emit(opcode.i32GeS, opcode.brIf, 1);
  body(false);
  get(offset);
  i32(16);
  emit(opcode.i32Add);
  set(offset);
  emit(opcode.br, 0, opcode.end, opcode.end);
  get(units);
  i32(lanes - 1);
  emit(opcode.i32And, opcode.if, valueType.void); // the partial vector
  body(true);
  emit(opcode.end);
  for (let channel = 0; channel < channels; channel++) {
    get(pointer(channel));
    get(step(channel));
    emit(opcode.i32Add);
    set(pointer(channel));
  }
  get(row);
  i32(1);
  emit(opcode.i32Add);
  emit(opcode.localTee, ...unsignedLeb(row));
  get(rows);
  emit(opcode.i32LtS, opcode.brIf, 0, opcode.end, opcode.end);

  const locals = vectorOf([
    [...unsignedLeb(i32Locals), valueType.i32],
    [...unsignedLeb(vectorLocals), valueType.v128],
  ]);
  const functionBody = [...locals, ...code];
  const runType = [valueType.function, ...vectorOf([[valueType.i32], [valueType.i32]]), ...vectorOf([])];
  return new Uint8Array([
    ...moduleHeader,
    ...sectionOf(1, vectorOf([runType])),
    ...sectionOf(2, vectorOf([[...nameOf('env'), ...nameOf('memory'), 0x02, 0x00, 0x01]])),
    ...sectionOf(3, vectorOf([[0]])),
    ...sectionOf(7, vectorOf([[...nameOf('run'), 0x00, 0]])),
    ...sectionOf(10, vectorOf([[...unsignedLeb(functionBody.length), ...functionBody]])),
  ]);
}
