/// <reference lib="dom" />
// The WebGL2 mode runs in browsers: its types come from the DOM library wherever this file is compiled.
import type {
  Backend,
  BackendInfo,
  ChannelBinding,
  DeviceBuffer,
  GemmOptions,
  MatrixView,
  PointwiseKernel,
  PointwiseLaunch,
} from '@recurrent/core';
import { GpuJsBackendError } from './errors.js';
import { kernelKey } from './kernel-key.js';
import { liveValues } from './kernel-sources.js';
import { translateKernelToGlsl } from './translate-kernel-glsl.js';
import { WebGl2DeviceBuffer } from './webgl2-buffer.js';
import type { WebGl2Context } from './webgl2-context.js';
import { type GlProgram, linkProgram } from './webgl2-program.js';
import { type ElementRange, planReads, type ReadPlan } from './webgl2-reads.js';
import { glGemmShader, glPointwiseShader, glSumRowsShader } from './webgl2-shaders.js';

/** The output of one pass: a view's elements `[offset, offset + (rows − 1)·stride + columns)`. */
interface PassTarget {
  readonly buffer: WebGl2DeviceBuffer;
  readonly offset: number;
  readonly rows: number;
  readonly columns: number;
  readonly rowStride: number;
}

function lastElement(offset: number, rows: number, columns: number, rowStride: number): number {
  return offset + (rows - 1) * rowStride + columns - 1;
}

/**
 * The backend on WebGL2: each buffer is an R32F texture; every primitive is a fragment pass
 * that renders into the texel rows its output view spans (scissor) and discards the texels of
 * those rows outside the view, so a pass writes only its view and never copies the rest of the
 * buffer. Pointwise math is core's functions translated to GLSL by gpu.js; GEMM and row sums
 * are fixed GLSL loops. See `webgl2-reads.ts` for how passes read the buffer they write.
 */
export class WebGl2Backend implements Backend {
  readonly info: BackendInfo;
  private readonly context: WebGl2Context;
  private readonly live = new Set<WebGl2DeviceBuffer>();
  private readonly translations = new Map<string, string>();
  private readonly programs = new Map<string, GlProgram>();
  /** One scratch texture for snapshots, grown to the tallest span needed. */
  private scratch: { texture: WebGLTexture; framebuffer: WebGLFramebuffer; height: number } | null = null;
  /** Names of the passes since the last error check, to say which work failed. */
  private readonly recent: string[] = [];
  private contextLost = false;
  private nextId = 1;
  private destroyed = false;

  constructor(context: WebGl2Context) {
    this.context = context;
    this.info = {
      name: 'gpujs',
      dtype: 'float32',
      device: 'webgl2',
      adapter: context.adapterName,
      deterministic: true,
    };
    const canvas = context.canvas as EventTarget;
    canvas.addEventListener('webglcontextlost', (event) => {
      event.preventDefault();
      this.contextLost = true;
    });
    const gl = this.gl;
    gl.disable(gl.DEPTH_TEST);
    gl.disable(gl.BLEND);
    gl.enable(gl.SCISSOR_TEST);
  }

  private get gl(): WebGL2RenderingContext {
    return this.context.gl;
  }

  /** Number of linked programs (for compile-once checks). */
  get compiledKernelCount(): number {
    return this.programs.size;
  }

  allocate(length: number): DeviceBuffer {
    this.assertAlive('allocate');
    const { textureWidth, maxTextureRows } = this.context;
    const height = Math.max(1, Math.ceil(length / textureWidth));
    if (height > maxTextureRows) {
      throw new GpuJsBackendError(
        'webgl2',
        'allocate',
        `${length} float32 elements need a ${textureWidth}×${height} texture; this context allows ${maxTextureRows} rows`,
      );
    }
    const { texture, framebuffer } = this.createTarget(height, 'allocate');
    const buffer = new WebGl2DeviceBuffer(this, length, texture, framebuffer, height, this.nextId++);
    this.live.add(buffer);
    return buffer;
  }

  write(buffer: DeviceBuffer, data: ArrayLike<number>, offset = 0): void {
    const target = this.resolve(buffer, 'write');
    if (data.length === 0) return;
    const values = data instanceof Float32Array ? data : Float32Array.from(data);
    const gl = this.gl;
    const width = this.context.textureWidth;
    gl.activeTexture(gl.TEXTURE0);
    gl.bindTexture(gl.TEXTURE_2D, target.texture);
    // A partial first row, whole middle rows, a partial last row.
    let element = offset;
    let consumed = 0;
    while (consumed < values.length) {
      const x = element % width;
      const y = Math.floor(element / width);
      let count: number;
      if (x !== 0) {
        count = Math.min(width - x, values.length - consumed);
        gl.texSubImage2D(gl.TEXTURE_2D, 0, x, y, count, 1, gl.RED, gl.FLOAT, values, consumed);
      } else if (values.length - consumed >= width) {
        const rows = Math.floor((values.length - consumed) / width);
        count = rows * width;
        gl.texSubImage2D(gl.TEXTURE_2D, 0, 0, y, width, rows, gl.RED, gl.FLOAT, values, consumed);
      } else {
        count = values.length - consumed;
        gl.texSubImage2D(gl.TEXTURE_2D, 0, 0, y, count, 1, gl.RED, gl.FLOAT, values, consumed);
      }
      element += count;
      consumed += count;
    }
    this.note('write');
  }

  async download(buffer: DeviceBuffer, offset = 0, length?: number): Promise<Float32Array> {
    const source = this.resolve(buffer, 'download');
    const count = length ?? source.length - offset;
    const result = new Float32Array(count);
    if (count === 0) return result;
    const gl = this.gl;
    const width = this.context.textureWidth;
    const firstRow = Math.floor(offset / width);
    const lastRow = Math.floor((offset + count - 1) / width);
    const rows = lastRow - firstRow + 1;
    // RGBA/FLOAT is the read format every float32 colour buffer supports.
    const texels = new Float32Array(width * rows * 4);
    gl.bindFramebuffer(gl.FRAMEBUFFER, source.framebuffer);
    gl.readPixels(0, firstRow, width, rows, gl.RGBA, gl.FLOAT, texels);
    this.note('download');
    this.check();
    const skip = offset - firstRow * width;
    for (let index = 0; index < count; index++) result[index] = texels[(skip + index) * 4]!;
    return result;
  }

  dispose(buffer: DeviceBuffer): void {
    if (!(buffer instanceof WebGl2DeviceBuffer) || buffer.owner !== this || buffer.disposed) return;
    buffer.disposed = true;
    this.live.delete(buffer);
    this.gl.deleteFramebuffer(buffer.framebuffer);
    this.gl.deleteTexture(buffer.texture);
  }

  isDisposed(buffer: DeviceBuffer): boolean {
    return buffer instanceof WebGl2DeviceBuffer && buffer.disposed;
  }

  liveBufferCount(): number {
    return this.live.size;
  }

  gemm(a: MatrixView, b: MatrixView, c: MatrixView, options: GemmOptions = {}): void {
    this.assertAlive('gemm');
    const alpha = options.alpha ?? 1;
    const beta = options.beta ?? 0;
    const depth = options.transposeA ? a.rows : a.cols;
    const target = this.target(c, 'gemm');
    if (target.rows === 0 || target.columns === 0) return;
    const reads: ElementRange[] = [this.range(a, 'gemm'), this.range(b, 'gemm')];
    if (beta !== 0) reads.push(this.range(c, 'gemm'));
    const plan = planReads(reads, target.buffer, this.context.textureWidth);
    const signature = {
      a: plan.slotOfRead[0]!,
      b: plan.slotOfRead[1]!,
      previous: beta !== 0 ? plan.slotOfRead[2]! : null,
      slotCount: plan.slots.length,
    };
    const key = `gemm|${plan.pattern}|${signature.previous !== null}`;
    const program = this.program(key, 'gemm', () => glGemmShader(signature, this.context.textureWidth));
    const [aRowStep, aDepthStep] = options.transposeA ? [1, a.rowStride] : [a.rowStride, 1];
    const [bDepthStep, bColumnStep] = options.transposeB ? [1, b.rowStride] : [b.rowStride, 1];
    this.pass('gemm', program, target, plan, (gl) => {
      gl.uniform1i(program.uniform('rcDepth'), depth);
      gl.uniform1i(program.uniform('rcABase'), a.offset);
      gl.uniform1i(program.uniform('rcARowStep'), aRowStep);
      gl.uniform1i(program.uniform('rcADepthStep'), aDepthStep);
      gl.uniform1i(program.uniform('rcBBase'), b.offset);
      gl.uniform1i(program.uniform('rcBDepthStep'), bDepthStep);
      gl.uniform1i(program.uniform('rcBColumnStep'), bColumnStep);
      gl.uniform1f(program.uniform('rcAlpha'), alpha);
      gl.uniform1f(program.uniform('rcBeta'), beta);
    });
  }

  sumRows(src: MatrixView, out: MatrixView, beta = 0): void {
    this.assertAlive('sumRows');
    const target = this.target({ ...out, rows: 1, cols: src.cols }, 'sumRows');
    if (target.columns === 0) return;
    const reads: ElementRange[] = [this.range(src, 'sumRows')];
    if (beta !== 0) reads.push(this.range({ ...out, rows: 1, cols: src.cols }, 'sumRows'));
    const plan = planReads(reads, target.buffer, this.context.textureWidth);
    const signature = {
      source: plan.slotOfRead[0]!,
      previous: beta !== 0 ? plan.slotOfRead[1]! : null,
      slotCount: plan.slots.length,
    };
    const key = `sumRows|${plan.pattern}|${signature.previous !== null}`;
    const program = this.program(key, 'sumRows', () => glSumRowsShader(signature, this.context.textureWidth));
    this.pass('sumRows', program, target, plan, (gl) => {
      gl.uniform1i(program.uniform('rcSourceRows'), src.rows);
      gl.uniform1i(program.uniform('rcSourceBase'), src.offset);
      gl.uniform1i(program.uniform('rcSourceStride'), src.rowStride);
      gl.uniform1f(program.uniform('rcBeta'), beta);
    });
  }

  pointwise(kernel: PointwiseKernel, launch: PointwiseLaunch): void {
    this.assertAlive(kernel.name);
    if (launch.inputs.length !== kernel.inputs.length || launch.outputs.length !== kernel.outputs.length) {
      throw new GpuJsBackendError(
        'webgl2',
        kernel.name,
        `launch binds ${launch.inputs.length} inputs and ${launch.outputs.length} outputs; ` +
          `the kernel has ${kernel.inputs.length} and ${kernel.outputs.length}`,
      );
    }
    if (launch.rows === 0 || launch.units === 0) return;
    const operation = `pointwise ${kernel.name}`;
    launch.outputs.forEach((output, outputIndex) => {
      if (!output) return;
      this.pointwiseOutput(kernel, launch, output, outputIndex, operation);
    });
  }

  async flush(): Promise<void> {
    if (this.destroyed) return;
    this.gl.flush();
    this.check();
  }

  destroy(): void {
    if (this.destroyed) return;
    const gl = this.gl;
    for (const buffer of this.live) {
      buffer.disposed = true;
      gl.deleteFramebuffer(buffer.framebuffer);
      gl.deleteTexture(buffer.texture);
    }
    this.live.clear();
    for (const program of this.programs.values()) gl.deleteProgram(program.program);
    this.programs.clear();
    this.translations.clear();
    if (this.scratch) {
      gl.deleteFramebuffer(this.scratch.framebuffer);
      gl.deleteTexture(this.scratch.texture);
      this.scratch = null;
    }
    this.destroyed = true;
    // Frees the context now rather than when the canvas is collected (browsers cap live contexts).
    gl.getExtension('WEBGL_lose_context')?.loseContext();
  }

  private pointwiseOutput(
    kernel: PointwiseKernel,
    launch: PointwiseLaunch,
    output: NonNullable<PointwiseLaunch['outputs'][number]>,
    outputIndex: number,
    operation: string,
  ): void {
    const add = output.mode === 'add';
    const live = liveValues(
      kernel,
      kernel.outputs.map((_, index) => index === outputIndex),
    );
    const target = this.target(
      {
        ...output.view,
        offset: output.view.offset + (output.column ?? 0),
        cols: launch.units,
        rows: launch.rows,
      },
      operation,
    );
    const reads: ElementRange[] = [];
    const readInputs: number[] = [];
    launch.inputs.forEach((input, index) => {
      if (typeof input === 'number' || !live.has(kernel.inputs[index]!)) return;
      reads.push(this.channelRange(input, launch, operation));
      readInputs.push(index);
    });
    if (add) reads.push(this.channelRange(output, launch, operation));
    const plan = planReads(reads, target.buffer, this.context.textureWidth);
    const inputs = launch.inputs.map((input, index): number | 'constant' | 'dead' => {
      if (!live.has(kernel.inputs[index]!)) return 'dead';
      if (typeof input === 'number') return 'constant';
      return plan.slotOfRead[readInputs.indexOf(index)]!;
    });
    const signature = {
      output: outputIndex,
      add,
      inputs,
      previousSlot: add ? plan.slotOfRead[reads.length - 1]! : null,
      slotCount: plan.slots.length,
    };
    const key = `${kernelKey(kernel)}|${outputIndex}|${add ? '+' : '='}|${inputs.join(',')}|${plan.pattern}`;
    const program = this.program(key, kernel.name, () =>
      glPointwiseShader(kernel, this.translation(kernel), signature, this.context.textureWidth),
    );
    this.pass(operation, program, target, plan, (gl) => {
      launch.inputs.forEach((input, index) => {
        if (inputs[index] === 'dead') return;
        if (typeof input === 'number') {
          gl.uniform1f(program.uniform(`rcConstant${index}`), input);
        } else {
          gl.uniform1i(program.uniform(`rcInBase${index}`), input.view.offset + (input.column ?? 0));
          gl.uniform1i(program.uniform(`rcInStride${index}`), input.view.rowStride);
        }
      });
    });
  }

  private translation(kernel: PointwiseKernel): string {
    const key = kernelKey(kernel);
    let functions = this.translations.get(key);
    if (functions === undefined) {
      functions = translateKernelToGlsl(kernel);
      this.translations.set(key, functions);
    }
    return functions;
  }

  private program(key: string, label: string, source: () => string): GlProgram {
    let program = this.programs.get(key);
    if (!program) {
      program = linkProgram(this.gl, source(), label);
      this.programs.set(key, program);
    }
    return program;
  }

  /**
   * One fragment pass: snapshot the target's rows that the pass reads (if any), bind the read
   * slots, render into the rows of the target view's span; the shader discards texels of those
   * rows outside the view.
   */
  private pass(
    operation: string,
    program: GlProgram,
    target: PassTarget,
    plan: ReadPlan,
    setUniforms: (gl: WebGL2RenderingContext) => void,
  ): void {
    const gl = this.gl;
    const width = this.context.textureWidth;
    let snapshotOrigin = 0;
    if (plan.snapshot) {
      snapshotOrigin = plan.snapshot.firstRow * width;
      this.copyRows(target.buffer, plan.snapshot.firstRow, plan.snapshot.lastRow);
    }
    gl.bindFramebuffer(gl.FRAMEBUFFER, target.buffer.framebuffer);
    gl.viewport(0, 0, width, target.buffer.height);
    const firstRow = Math.floor(target.offset / width);
    const lastRow = Math.floor(
      lastElement(target.offset, target.rows, target.columns, target.rowStride) / width,
    );
    gl.scissor(0, firstRow, width, lastRow - firstRow + 1);
    gl.useProgram(program.program);
    plan.slots.forEach((buffer, slot) => {
      gl.activeTexture(gl.TEXTURE0 + slot);
      gl.bindTexture(gl.TEXTURE_2D, buffer ? buffer.texture : this.scratch!.texture);
      gl.uniform1i(program.uniform(`rcSlot${slot}`), slot);
      gl.uniform1i(program.uniform(`rcOrigin${slot}`), buffer ? 0 : snapshotOrigin);
    });
    gl.uniform1i(program.uniform('rcRows'), target.rows);
    gl.uniform1i(program.uniform('rcColumns'), target.columns);
    gl.uniform1i(program.uniform('rcOutBase'), target.offset);
    gl.uniform1i(program.uniform('rcOutStride'), target.rowStride);
    setUniforms(gl);
    gl.drawArrays(gl.TRIANGLES, 0, 3);
    this.note(operation);
  }

  /** Copies texel rows `[firstRow, lastRow]` of `buffer` to the top of the scratch texture. */
  private copyRows(buffer: WebGl2DeviceBuffer, firstRow: number, lastRow: number): void {
    const gl = this.gl;
    const width = this.context.textureWidth;
    const rows = lastRow - firstRow + 1;
    if (!this.scratch || this.scratch.height < rows) {
      if (this.scratch) {
        gl.deleteFramebuffer(this.scratch.framebuffer);
        gl.deleteTexture(this.scratch.texture);
      }
      this.scratch = { ...this.createTarget(rows, 'snapshot'), height: rows };
    }
    gl.bindFramebuffer(gl.READ_FRAMEBUFFER, buffer.framebuffer);
    gl.bindFramebuffer(gl.DRAW_FRAMEBUFFER, this.scratch.framebuffer);
    gl.disable(gl.SCISSOR_TEST);
    gl.blitFramebuffer(0, firstRow, width, lastRow + 1, 0, 0, width, rows, gl.COLOR_BUFFER_BIT, gl.NEAREST);
    gl.enable(gl.SCISSOR_TEST);
    gl.bindFramebuffer(gl.READ_FRAMEBUFFER, null);
    gl.bindFramebuffer(gl.DRAW_FRAMEBUFFER, null);
  }

  private createTarget(height: number, operation: string) {
    const gl = this.gl;
    const texture = gl.createTexture();
    const framebuffer = gl.createFramebuffer();
    if (!texture || !framebuffer) {
      throw new GpuJsBackendError('webgl2', operation, 'could not create a texture (context lost?)');
    }
    gl.activeTexture(gl.TEXTURE0);
    gl.bindTexture(gl.TEXTURE_2D, texture);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
    // WebGL zero-fills new textures, which gives `allocate` its zeroed contents.
    gl.texStorage2D(gl.TEXTURE_2D, 1, gl.R32F, this.context.textureWidth, height);
    gl.bindFramebuffer(gl.FRAMEBUFFER, framebuffer);
    gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, texture, 0);
    const status = gl.checkFramebufferStatus(gl.FRAMEBUFFER);
    if (status !== gl.FRAMEBUFFER_COMPLETE) {
      gl.deleteFramebuffer(framebuffer);
      gl.deleteTexture(texture);
      this.check();
      throw new GpuJsBackendError(
        'webgl2',
        operation,
        `an R32F texture of ${this.context.textureWidth}×${height} cannot be rendered to (framebuffer status 0x${status.toString(16)})`,
      );
    }
    return { texture, framebuffer };
  }

  private target(view: MatrixView, operation: string): PassTarget {
    return {
      buffer: this.resolve(view.buffer, operation),
      offset: view.offset,
      rows: view.rows,
      columns: view.cols,
      // A single row needs no stride; the shader's row arithmetic then sees one row.
      rowStride: view.rows === 1 ? Math.max(view.cols, 1) : view.rowStride,
    };
  }

  private range(view: MatrixView, operation: string): ElementRange {
    const buffer = this.resolve(view.buffer, operation);
    const first = view.offset;
    return { buffer, first, last: Math.max(first, lastElement(first, view.rows, view.cols, view.rowStride)) };
  }

  private channelRange(binding: ChannelBinding, launch: PointwiseLaunch, operation: string): ElementRange {
    return this.range(
      {
        ...binding.view,
        offset: binding.view.offset + (binding.column ?? 0),
        rows: launch.rows,
        cols: launch.units,
      },
      operation,
    );
  }

  /** Remembers the last few operations, to name them when an error check fails. */
  private note(operation: string): void {
    this.recent.push(operation);
    if (this.recent.length > 8) this.recent.shift();
  }

  /** Throws the GL error or context loss recorded since the last check, naming recent work. */
  private check(): void {
    const gl = this.gl;
    const error = gl.getError();
    const work = [...new Set(this.recent)].join(', ');
    this.recent.length = 0;
    if (this.contextLost || gl.isContextLost()) {
      throw new GpuJsBackendError('webgl2', undefined, `the WebGL2 context was lost (recent work: ${work})`);
    }
    if (error !== gl.NO_ERROR) {
      throw new GpuJsBackendError('webgl2', undefined, `GL error 0x${error.toString(16)} during: ${work}`);
    }
  }

  private assertAlive(operation: string): void {
    if (this.destroyed) throw new GpuJsBackendError('webgl2', operation, 'the backend has been destroyed');
  }

  private resolve(buffer: DeviceBuffer, operation: string): WebGl2DeviceBuffer {
    this.assertAlive(operation);
    if (!(buffer instanceof WebGl2DeviceBuffer) || buffer.owner !== this) {
      throw new GpuJsBackendError('webgl2', operation, 'the buffer belongs to another backend');
    }
    if (buffer.disposed)
      throw new GpuJsBackendError('webgl2', operation, `buffer ${buffer.id} has been disposed`);
    return buffer;
  }
}
