/**
 * Builds, as bytes, a WebAssembly SIMD module with the GEMM macro-kernel, so the package needs
 * no compiler and ships no binary: this file is the source. The module imports its memory
 * (`env.memory`) and exports `gather` (below) and the kernel, all pointers and steps in bytes:
 *
 *   multiply(a, aRowStep, aDepthStep, aPanelStep, b, bDepthStep, bPanelStep, c, cRowStep,
 *            rowPanels, columnPanels, depth, alpha, beta, readC)
 *
 * Element `(r, p)` of row panel `i` of op(A) is read at `a + i·aPanelStep + r·aRowStep +
 * p·aDepthStep`, which fits A used in place (transposed or not) and A packed into panels. op(B) is read as SIMD vectors: columns
 * `[j·width, (j + 1)·width)` at depth `p` start at `b + j·bPanelStep + p·bDepthStep`, which fits
 * both B stored row-major (steps `rowStride`, `width` elements) and B packed into panels.
 * Each `KERNEL_ROWS × width` tile of C (row-major at `c`, `cRowStep` apart) is accumulated in
 * registers over `depth`, one broadcast A element times each B vector per step, then stored as
 * `alpha·tile + beta·C` (`alpha·tile` when `readC` is 0: C is not read). Counts must be ≥ 1.
 */

import {
  nameOf as name,
  sectionOf as section,
  signedLeb as signed,
  unsignedLeb as unsigned,
  valueType,
  vectorOf as vector,
} from './wasm-module-writer.js';

export type WasmElement = 'f32' | 'f64';

/** Register tile: rows of A per panel, SIMD vectors of B per panel (measured best of 4-8 × 1-3). */
export const KERNEL_ROWS = 4;
export const KERNEL_VECTORS = 2;

export function lanesOf(element: WasmElement): number {
  return element === 'f32' ? 4 : 2;
}

const type = valueType;
const op = {
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  brIf: 0x0d,
  get: 0x20,
  set: 0x21,
  tee: 0x22,
  i32Const: 0x41,
  i32Ne: 0x47,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  simdPrefix: 0xfd,
};
const simd = { load: 0x00, store: 0x0b, const: 0x0c, load32Splat: 0x09, load64Splat: 0x0a };
const lanesOp = {
  f32: { splat: 0x13, add: 0xe4, mul: 0xe6 },
  f64: { splat: 0x14, add: 0xf0, mul: 0xf2 },
};

/**
 * Returns the module's bytes for `element` (f32x4 or f64x2 arithmetic). With `sharedMaximumPages`
 * the imported memory is a shared one of that maximum (threads proposal), which worker threads
 * can instantiate the same module against.
 */
export function buildGemmModule(element: WasmElement, sharedMaximumPages?: number): Uint8Array {
  const body = multiplyBody(element, KERNEL_ROWS);
  const bodyOne = multiplyBody(element, 1);
  const scalar = type[element];
  const parameterTypes = [...new Array<number>(12).fill(type.i32), scalar, scalar, type.i32];
  const multiplyType = [type.function, ...vector(parameterTypes.map((t) => [t])), ...vector([])];
  const gatherType = [type.function, ...vector(new Array(6).fill([type.i32])), ...vector([])];
  const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const gather = gatherBody();
  // Limits: flags 0 = minimum only; 3 = minimum, maximum, shared.
  const memoryLimits =
    sharedMaximumPages === undefined ? [0x00, 0x01] : [0x03, 0x01, ...unsigned(sharedMaximumPages)];
  return new Uint8Array([
    ...header,
    ...section(1, vector([multiplyType, gatherType])),
    ...section(2, vector([[...name('env'), ...name('memory'), 0x02, ...memoryLimits]])),
    ...section(3, vector([[0], [1], [0]])),
    ...section(
      7,
      vector([
        [...name('multiply'), 0x00, 0],
        [...name('gather'), 0x00, 1],
        [...name('multiplyOne'), 0x00, 2],
      ]),
    ),
    ...section(
      10,
      vector([
        [...unsigned(body.length), ...body],
        [...unsigned(gather.length), ...gather],
        [...unsigned(bodyOne.length), ...bodyOne],
      ]),
    ),
  ]);
}

/**
 * The body of `multiply` (`kernelRows` = `KERNEL_ROWS`) or `multiplyOne` (1): same parameters,
 * row panels of `kernelRows` rows. One row serves batch-1 products without computing padding rows.
 */
function multiplyBody(element: WasmElement, kernelRows: number): number[] {
  const tileRowBytes = KERNEL_VECTORS * 16;
  const { splat, add, mul } = lanesOp[element];
  const simdOp = (code: number, ...rest: number[]) => [op.simdPrefix, ...unsigned(code), ...rest];
  const get = (index: number) => [op.get, index];
  const set = (index: number) => [op.set, index];
  const tee = (index: number) => [op.tee, index];
  const i32 = (value: number) => [op.i32Const, ...signed(value)];
  const memory = (align: number, offset: number) => [align, ...unsigned(offset)];

  const parameters = 15;
  const [a, aRowStep, aDepthStep, aPanelStep, b, bDepthStep, bPanelStep, c, cRowStep] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8,
  ];
  const [rowPanels, columnPanels, depth, alpha, beta, readC] = [9, 10, 11, 12, 13, 14];
  const i32Names = ['column', 'row', 'aPanel', 'bPanel', 'aRow', 'aPointer', 'bPointer', 'steps', 'cPointer'];
  const local = (localName: string) => parameters + i32Names.indexOf(localName);
  const firstVector = parameters + i32Names.length;
  const accumulator = (r: number, v: number) => firstVector + r * KERNEL_VECTORS + v;
  const bVector = (v: number) => firstVector + kernelRows * KERNEL_VECTORS + v;
  const aBroadcast = bVector(KERNEL_VECTORS);
  const alphaVector = aBroadcast + 1;
  const betaVector = aBroadcast + 2;
  const vectorLocals = kernelRows * KERNEL_VECTORS + KERNEL_VECTORS + 3;
  const [column, row, aPanel, bPanel, aRow, aPointer, bPointer, steps, cPointer] = i32Names.map(local) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];

  const code: number[] = [];
  const emit = (...parts: number[][]) => {
    for (const part of parts) code.push(...part);
  };
  const splatLoad = element === 'f32' ? simd.load32Splat : simd.load64Splat;
  const splatAlign = element === 'f32' ? 2 : 3;
  /** Stores every accumulator as alpha·acc (+ beta·C), row by row from cPointer. */
  const storeTile = (withC: boolean) => {
    for (let r = 0; r < kernelRows; r++) {
      for (let v = 0; v < KERNEL_VECTORS; v++) {
        emit(get(cPointer), get(accumulator(r, v)), get(alphaVector), simdOp(mul));
        if (withC) {
          emit(
            get(cPointer),
            simdOp(simd.load, ...memory(4, v * 16)),
            get(betaVector),
            simdOp(mul),
            simdOp(add),
          );
        }
        emit(simdOp(simd.store, ...memory(4, v * 16)));
      }
      if (r < kernelRows - 1) emit(get(cPointer), get(cRowStep), [op.i32Add], set(cPointer));
    }
  };

  emit(get(alpha), simdOp(splat), set(alphaVector), get(beta), simdOp(splat), set(betaVector));
  emit(i32(0), set(column), get(b), set(bPanel));
  emit([op.loop, type.void]); // column panels
  emit(i32(0), set(row), get(a), set(aPanel));
  emit([op.loop, type.void]); // row panels
  const zero = simdOp(simd.const, ...new Array<number>(16).fill(0));
  for (let r = 0; r < kernelRows; r++) {
    for (let v = 0; v < KERNEL_VECTORS; v++) emit(zero, set(accumulator(r, v)));
  }
  emit(get(aPanel), set(aPointer), get(bPanel), set(bPointer), get(depth), set(steps));
  emit([op.loop, type.void]); // depth
  for (let v = 0; v < KERNEL_VECTORS; v++) {
    emit(get(bPointer), simdOp(simd.load, ...memory(4, v * 16)), set(bVector(v)));
  }
  for (let r = 0; r < kernelRows; r++) {
    if (r === 0) emit(get(aPointer), tee(aRow));
    else emit(get(aRow), get(aRowStep), [op.i32Add], tee(aRow));
    emit(simdOp(splatLoad, ...memory(splatAlign, 0)), set(aBroadcast));
    for (let v = 0; v < KERNEL_VECTORS; v++) {
      emit(get(accumulator(r, v)), get(aBroadcast), get(bVector(v)), simdOp(mul), simdOp(add));
      emit(set(accumulator(r, v)));
    }
  }
  emit(get(aPointer), get(aDepthStep), [op.i32Add], set(aPointer));
  emit(get(bPointer), get(bDepthStep), [op.i32Add], set(bPointer));
  emit(get(steps), i32(1), [op.i32Sub], tee(steps), [op.brIf, 0], [op.end]);
  // cPointer = c + row · kernelRows · cRowStep + column · tileRowBytes
  emit(get(c), get(row), i32(kernelRows), [op.i32Mul], get(cRowStep), [op.i32Mul], [op.i32Add]);
  emit(get(column), i32(tileRowBytes), [op.i32Mul], [op.i32Add], set(cPointer));
  emit(get(readC), [op.if, type.void]);
  storeTile(true);
  emit([op.else]);
  storeTile(false);
  emit([op.end]);
  emit(get(aPanel), get(aPanelStep), [op.i32Add], set(aPanel));
  emit(get(row), i32(1), [op.i32Add], tee(row), get(rowPanels), [op.i32Ne], [op.brIf, 0], [op.end]);
  emit(get(bPanel), get(bPanelStep), [op.i32Add], set(bPanel));
  emit(get(column), i32(1), [op.i32Add], tee(column), get(columnPanels), [op.i32Ne], [op.brIf, 0], [op.end]);
  emit([op.end]);

  const locals = vector([
    [...unsigned(i32Names.length), type.i32],
    [...unsigned(vectorLocals), type.v128],
  ]);
  return [...locals, ...code];
}

/**
 * `gather(source, sourceStep, target, targetStep, count, wide)`: copies `count` chunks of 16
 * bytes (32 when `wide` is non-zero) from `source + k·sourceStep` to `target + k·targetStep`.
 * Packs panels of 4 (float32) or 8 (float64) adjacent elements per stored row. `count` ≥ 1.
 */
function gatherBody(): number[] {
  const [source, sourceStep, target, targetStep, count, wide] = [0, 1, 2, 3, 4, 5];
  const simdOp = (code: number, offset: number) => [op.simdPrefix, ...unsigned(code), 4, ...unsigned(offset)];
  const code = [
    op.loop,
    type.void,
    ...[op.get, target, op.get, source, ...simdOp(simd.load, 0), ...simdOp(simd.store, 0)],
    ...[op.get, wide, op.if, type.void],
    ...[op.get, target, op.get, source, ...simdOp(simd.load, 16), ...simdOp(simd.store, 16)],
    op.end,
    ...[op.get, source, op.get, sourceStep, op.i32Add, op.set, source],
    ...[op.get, target, op.get, targetStep, op.i32Add, op.set, target],
    ...[op.get, count, op.i32Const, 1, op.i32Sub, op.tee, count, op.brIf, 0],
    op.end,
    op.end,
  ];
  return [0, ...code];
}
