/**
 * Byte-level helpers for writing WebAssembly modules from TypeScript (LEB128 numbers, vectors,
 * sections, names) and the opcodes the pointwise compiler emits. Same approach as the GEMM
 * module in `wasm-kernel-module.ts`: the TypeScript is the source, no compiler and no binary.
 * SIMD opcodes follow the final fixed-width SIMD specification (prefix `0xfd`, LEB128 code).
 */

/** Unsigned LEB128. */
export function unsignedLeb(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

/** Signed LEB128 (32-bit values). */
export function signedLeb(value: number): number[] {
  const bytes: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) {
      bytes.push(byte);
      return bytes;
    }
    bytes.push(byte | 0x80);
  }
}

/** A length-prefixed vector of already-encoded items. */
export function vectorOf(items: readonly (readonly number[])[]): number[] {
  return [...unsignedLeb(items.length), ...items.flat()];
}

/** A section with its id and byte length. */
export function sectionOf(id: number, content: readonly number[]): number[] {
  return [id, ...unsignedLeb(content.length), ...content];
}

/** A UTF-8 name (ASCII here). */
export function nameOf(text: string): number[] {
  return vectorOf([...text].map((char) => [char.charCodeAt(0)]));
}

export const valueType = { i32: 0x7f, f32: 0x7d, f64: 0x7c, v128: 0x7b, function: 0x60, void: 0x40 };

/** Core (non-SIMD) opcodes. */
export const opcode = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Load: 0x28,
  i32Const: 0x41,
  i32Eqz: 0x45,
  i32LtS: 0x48,
  i32GeS: 0x4e,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  i32And: 0x71,
  simdPrefix: 0xfd,
};

/** SIMD opcodes (after the 0xfd prefix). */
export const simdOpcode = {
  load: 0x00,
  store: 0x0b,
  const: 0x0c,
  shuffle: 0x0d,
  i32x4Splat: 0x11,
  not: 0x4d,
  and: 0x4e,
  andNot: 0x4f,
  or: 0x50,
  xor: 0x51,
  bitselect: 0x52,
  f32x4DemoteF64x2Zero: 0x5e,
  f64x2PromoteLowF32x4: 0x5f,
  i32x4LtS: 0x39,
  i32x4Shl: 0xab,
  i32x4ShrS: 0xac,
  i32x4ShrU: 0xad,
  i32x4Add: 0xae,
  i32x4Sub: 0xb1,
  i64x2ExtendLowI32x4S: 0xc7,
  i64x2Shl: 0xcb,
  i64x2ShrS: 0xcc,
  i64x2ShrU: 0xcd,
  i64x2Add: 0xce,
  i64x2Sub: 0xd1,
  i32x4TruncSatF32x4S: 0xf8,
  f32x4ConvertI32x4S: 0xfa,
  i32x4TruncSatF64x2SZero: 0xfc,
  f64x2ConvertLowI32x4S: 0xfe,
};

/** Float lane opcodes per element type. */
export const floatOpcode = {
  f32: {
    splat: 0x13,
    eq: 0x41,
    ne: 0x42,
    lt: 0x43,
    gt: 0x44,
    le: 0x45,
    ge: 0x46,
    ceil: 0x67,
    floor: 0x68,
    trunc: 0x69,
    nearest: 0x6a,
    abs: 0xe0,
    neg: 0xe1,
    sqrt: 0xe3,
    add: 0xe4,
    sub: 0xe5,
    mul: 0xe6,
    div: 0xe7,
    min: 0xe8,
    max: 0xe9,
  },
  f64: {
    splat: 0x14,
    eq: 0x47,
    ne: 0x48,
    lt: 0x49,
    gt: 0x4a,
    le: 0x4b,
    ge: 0x4c,
    ceil: 0x74,
    floor: 0x75,
    trunc: 0x7a,
    nearest: 0x94,
    abs: 0xec,
    neg: 0xed,
    sqrt: 0xef,
    add: 0xf0,
    sub: 0xf1,
    mul: 0xf2,
    div: 0xf3,
    min: 0xf4,
    max: 0xf5,
  },
} as const;

/** `0xfd code` for a SIMD instruction without immediates. */
export function simd(code: number): number[] {
  return [opcode.simdPrefix, ...unsignedLeb(code)];
}

/** A `v128.const` from 16 little-endian bytes. */
export function v128Const(bytes: Uint8Array): number[] {
  return [...simd(simdOpcode.const), ...bytes];
}

/** The module header: magic and version 1. */
export const moduleHeader = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
