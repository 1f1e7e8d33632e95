/// <reference lib="dom" />
// The WebGL2 mode runs in browsers: its types come from the DOM library wherever this file is compiled.
import { GpuJsBackendError } from './errors.js';

/**
 * Every pass draws one triangle that covers the viewport; the scissor box then limits the
 * fragments to the texel rows a view touches. No vertex buffers: positions come from the vertex id.
 */
const fullScreenVertexShader = `#version 300 es
void main() {
  vec2 position = vec2(float((gl_VertexID & 1) << 2) - 1.0, float((gl_VertexID & 2) << 1) - 1.0);
  gl_Position = vec4(position, 0.0, 1.0);
}`;

/** A linked program and its uniform locations, looked up once. */
export interface GlProgram {
  readonly program: WebGLProgram;
  uniform(name: string): WebGLUniformLocation | null;
}

function compile(gl: WebGL2RenderingContext, type: number, source: string, label: string): WebGLShader {
  const shader = gl.createShader(type);
  if (!shader) throw new GpuJsBackendError('webgl2', label, 'gl.createShader returned null (context lost?)');
  gl.shaderSource(shader, source);
  gl.compileShader(shader);
  return shader;
}

/**
 * Compiles and links a fragment shader with the full-screen vertex shader. A compile or link
 * failure throws at once with the driver's log, naming the kernel.
 */
export function linkProgram(gl: WebGL2RenderingContext, fragmentSource: string, label: string): GlProgram {
  const vertex = compile(gl, gl.VERTEX_SHADER, fullScreenVertexShader, label);
  const fragment = compile(gl, gl.FRAGMENT_SHADER, fragmentSource, label);
  const program = gl.createProgram();
  if (!program)
    throw new GpuJsBackendError('webgl2', label, 'gl.createProgram returned null (context lost?)');
  gl.attachShader(program, vertex);
  gl.attachShader(program, fragment);
  gl.linkProgram(program);
  if (!gl.getProgramParameter(program, gl.LINK_STATUS)) {
    const log = gl.getShaderInfoLog(fragment) || gl.getShaderInfoLog(vertex) || gl.getProgramInfoLog(program);
    gl.deleteProgram(program);
    throw new GpuJsBackendError('webgl2', label, `the GLSL program does not compile or link: ${log}`);
  }
  gl.deleteShader(vertex);
  gl.deleteShader(fragment);
  const locations = new Map<string, WebGLUniformLocation | null>();
  return {
    program,
    uniform(name) {
      let location = locations.get(name);
      if (location === undefined) {
        location = gl.getUniformLocation(program, name);
        locations.set(name, location);
      }
      return location;
    },
  };
}

/**
 * The GLSL every compute pass starts with: precision, the texture layout and the element fetch.
 * `rcFetch` reads element `index` of a buffer texture whose first texel row is element `origin`
 * (0 for a buffer's own texture, the copied span's first element for a snapshot).
 */
export function fragmentPrelude(textureWidth: number): string {
  return `#version 300 es
precision highp float;
precision highp int;
precision highp sampler2D;
const int RC_WIDTH = ${textureWidth};
out vec4 rcResult;
float rcFetch(sampler2D tex, int origin, int index) {
  int local = index - origin;
  return texelFetch(tex, ivec2(local % RC_WIDTH, local / RC_WIDTH), 0).r;
}
`;
}

/**
 * The fragment's place in the output view: its element index, then (row, column) in the view;
 * fragments outside the view are discarded, which leaves their texels untouched.
 */
export const outputCoordinates = `
  int rcIndex = int(gl_FragCoord.y) * RC_WIDTH + int(gl_FragCoord.x);
  int rcRelative = rcIndex - rcOutBase;
  if (rcRelative < 0) discard;
  int rcRow = rcOutStride > 0 ? rcRelative / rcOutStride : 0;
  int rcColumn = rcRelative - rcRow * rcOutStride;
  if (rcRow >= rcRows || rcColumn >= rcColumns) discard;
`;
