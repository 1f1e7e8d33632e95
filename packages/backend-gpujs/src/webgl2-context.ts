/// <reference lib="dom" />
// The WebGL2 mode runs in browsers: its types come from the DOM library wherever this file is compiled.
import { GpuJsBackendError } from './errors.js';

/** A WebGL2 context this backend owns, with what `BackendInfo` and the texture layout need. */
export interface WebGl2Context {
  readonly gl: WebGL2RenderingContext;
  readonly canvas: HTMLCanvasElement | OffscreenCanvas;
  readonly adapterName: string;
  /** Texels per row of every buffer texture (element `i` lives at `(i % width, ⌊i / width⌋)`). */
  readonly textureWidth: number;
  /** Rows a buffer texture may have. */
  readonly maxTextureRows: number;
}

const attributes: WebGLContextAttributes = {
  alpha: false,
  antialias: false,
  depth: false,
  stencil: false,
  premultipliedAlpha: false,
  preserveDrawingBuffer: false,
  powerPreference: 'high-performance',
  failIfMajorPerformanceCaveat: false,
};

function missing(what: string): GpuJsBackendError {
  return new GpuJsBackendError('webgl2', undefined, what);
}

/**
 * A WebGL2 context on an `OffscreenCanvas` (workers and windows), else on a `<canvas>` of the
 * document (browsers whose `OffscreenCanvas` has no WebGL2). `canvas` is null where neither
 * exists (Node).
 */
function createGlContext(): {
  canvas: HTMLCanvasElement | OffscreenCanvas | null;
  gl: WebGL2RenderingContext | null;
} {
  let canvas: HTMLCanvasElement | OffscreenCanvas | null = null;
  if (typeof OffscreenCanvas !== 'undefined') {
    canvas = new OffscreenCanvas(1, 1);
    const gl = canvas.getContext('webgl2', attributes) as WebGL2RenderingContext | null;
    if (gl) return { canvas, gl };
  }
  const documentLike = (globalThis as { document?: Document }).document;
  if (documentLike) {
    canvas = documentLike.createElement('canvas');
    return { canvas, gl: canvas.getContext('webgl2', attributes) };
  }
  return { canvas, gl: null };
}

function describeRenderer(gl: WebGL2RenderingContext): string {
  const debugInfo = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = debugInfo
    ? gl.getParameter(debugInfo.UNMASKED_RENDERER_WEBGL)
    : gl.getParameter(gl.RENDERER);
  return typeof renderer === 'string' && renderer !== '' ? renderer : 'unknown WebGL2 renderer';
}

/**
 * Creates a WebGL2 context for compute: float32 textures as buffers and float32 render targets
 * (`EXT_color_buffer_float`), or rejects naming what is missing.
 */
export function createWebGl2Context(): WebGl2Context {
  const { canvas, gl } = createGlContext();
  if (!canvas) {
    throw missing(
      'no canvas: WebGL2 needs a browser window (document) or worker (OffscreenCanvas); in Node use mode "webgpu"',
    );
  }
  if (!gl) throw missing('canvas.getContext("webgl2") returned null: this browser or GPU has no WebGL2');
  if (!gl.getExtension('EXT_color_buffer_float')) {
    throw missing(
      'the WebGL2 extension EXT_color_buffer_float is missing: float32 textures cannot be rendered to',
    );
  }
  const maxTextureSize = gl.getParameter(gl.MAX_TEXTURE_SIZE) as number;
  return {
    gl,
    canvas,
    adapterName: describeRenderer(gl),
    textureWidth: Math.min(4096, maxTextureSize),
    maxTextureRows: maxTextureSize,
  };
}
