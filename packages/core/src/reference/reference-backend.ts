/**
 * The float64 reference backend: plain loops, no blocking, no tricks, written to be obviously
 * correct so every other backend can be compared with it. It shares nothing with the fast CPU
 * backend except core's kernel definitions, which it evaluates step by step as written.
 */
import type {
  Backend,
  BackendInfo,
  ChannelBinding,
  DeviceBuffer,
  GemmOptions,
  MatrixView,
  PointwiseKernel,
  PointwiseLaunch,
} from '../backend.js';
import { DisposedError, DTypeError, ShapeError } from '../errors.js';

interface ReferenceBuffer extends DeviceBuffer {
  readonly data: Float64Array;
  disposed: boolean;
}

export interface ReferenceBackendOptions {
  /** Evaluate in float32 by rounding every stored value (for testing tolerance models). */
  readonly dtype?: 'float64';
}

export function createReferenceBackend(_options: ReferenceBackendOptions = {}): Backend {
  let live = 0;
  const info: BackendInfo = { name: 'reference', dtype: 'float64', device: 'cpu', deterministic: true };

  const backend: Backend = {
    info,
    allocate(length) {
      if (!Number.isInteger(length) || length < 0) {
        throw new ShapeError('reference.allocate', `length is ${length}; expected a non-negative integer`);
      }
      live++;
      const buffer: ReferenceBuffer = {
        length,
        owner: backend,
        data: new Float64Array(length),
        disposed: false,
      };
      return buffer;
    },
    write(buffer, data, offset = 0) {
      const target = own(buffer, 'write');
      if (offset + data.length > target.length) {
        throw new ShapeError(
          'reference.write',
          `${data.length} values at ${offset} overflow ${target.length}`,
        );
      }
      for (let index = 0; index < data.length; index++) {
        target.data[offset + index] = data[index]!;
      }
    },
    async download(buffer, offset = 0, length) {
      const source = own(buffer, 'download');
      const count = length ?? source.length - offset;
      return source.data.slice(offset, offset + count);
    },
    dispose(buffer) {
      const target = buffer as ReferenceBuffer;
      if (!target.disposed) {
        target.disposed = true;
        live--;
      }
    },
    isDisposed(buffer) {
      return (buffer as ReferenceBuffer).disposed;
    },
    liveBufferCount() {
      return live;
    },
    gemm(a, b, c, options: GemmOptions = {}) {
      const alpha = options.alpha ?? 1;
      const beta = options.beta ?? 0;
      const rows = options.transposeA ? a.cols : a.rows;
      const inner = options.transposeA ? a.rows : a.cols;
      const innerB = options.transposeB ? b.cols : b.rows;
      const cols = options.transposeB ? b.rows : b.cols;
      if (inner !== innerB || rows !== c.rows || cols !== c.cols) {
        throw new ShapeError(
          'reference.gemm',
          `op(A) is ${rows}x${inner}, op(B) ${innerB}x${cols}, C ${c.rows}x${c.cols}`,
        );
      }
      const A = own(a.buffer, 'gemm').data;
      const B = own(b.buffer, 'gemm').data;
      const C = own(c.buffer, 'gemm').data;
      const at = (i: number, k: number) =>
        options.transposeA ? A[a.offset + k * a.rowStride + i]! : A[a.offset + i * a.rowStride + k]!;
      const bt = (k: number, j: number) =>
        options.transposeB ? B[b.offset + j * b.rowStride + k]! : B[b.offset + k * b.rowStride + j]!;
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < cols; j++) {
          let sum = 0;
          for (let k = 0; k < inner; k++) {
            sum += at(i, k) * bt(k, j);
          }
          const index = c.offset + i * c.rowStride + j;
          C[index] = beta === 0 ? alpha * sum : alpha * sum + beta * C[index]!;
        }
      }
    },
    sumRows(src, out, beta = 0) {
      const S = own(src.buffer, 'sumRows').data;
      const O = own(out.buffer, 'sumRows').data;
      for (let j = 0; j < src.cols; j++) {
        let sum = 0;
        for (let i = 0; i < src.rows; i++) {
          sum += S[src.offset + i * src.rowStride + j]!;
        }
        const index = out.offset + j;
        O[index] = beta === 0 ? sum : sum + beta * O[index]!;
      }
    },
    pointwise(kernel: PointwiseKernel, launch: PointwiseLaunch) {
      const inputs = launch.inputs.map((binding) => (typeof binding === 'number' ? binding : bound(binding)));
      const outputs = launch.outputs.map((binding) => (binding === null ? null : bound(binding)));
      const values = new Map<string, number>();
      const staged = new Float64Array(kernel.outputs.length);
      for (let row = 0; row < launch.rows; row++) {
        for (let unit = 0; unit < launch.units; unit++) {
          values.clear();
          kernel.inputs.forEach((name, index) => {
            const input = inputs[index]!;
            values.set(name, typeof input === 'number' ? input : input.data[input.at(row, unit)]!);
          });
          for (const step of kernel.steps) {
            values.set(step.name, step.fn(...step.args.map((arg) => values.get(arg)!)));
          }
          kernel.outputs.forEach((name, index) => {
            staged[index] = values.get(name)!;
          });
          outputs.forEach((output, index) => {
            if (output === null) {
              return;
            }
            const position = output.at(row, unit);
            output.data[position] = output.add ? output.data[position]! + staged[index]! : staged[index]!;
          });
        }
      }
    },
    async flush() {},
    destroy() {},
  };

  function own(buffer: DeviceBuffer, op: string): ReferenceBuffer {
    if (buffer.owner !== backend) {
      throw new DTypeError(`reference.${op}`, 'buffer belongs to another backend');
    }
    const target = buffer as ReferenceBuffer;
    if (target.disposed) {
      throw new DisposedError(`reference.${op}`, 'buffer was disposed');
    }
    return target;
  }

  function bound(binding: ChannelBinding & { mode?: 'set' | 'add' }) {
    const view: MatrixView = binding.view;
    const column = binding.column ?? 0;
    return {
      data: own(view.buffer, 'pointwise').data,
      add: binding.mode === 'add',
      at: (row: number, unit: number) => view.offset + row * view.rowStride + column + unit,
    };
  }

  return backend;
}
