/// <reference lib="dom" />
// The WebGL2 mode runs in browsers: its types come from the DOM library wherever this file is compiled.
import type { Backend, DeviceBuffer } from '@recurrent/core';

/**
 * A buffer of the WebGL2 mode: an R32F texture `textureWidth` texels wide, element `i` at texel
 * `(i % width, ⌊i / width⌋)`, with a framebuffer so passes can render into it and downloads read it.
 */
export class WebGl2DeviceBuffer implements DeviceBuffer {
  readonly owner: Backend;
  readonly length: number;
  readonly texture: WebGLTexture;
  readonly framebuffer: WebGLFramebuffer;
  /** Texel rows. */
  readonly height: number;
  readonly id: number;
  disposed = false;

  constructor(
    owner: Backend,
    length: number,
    texture: WebGLTexture,
    framebuffer: WebGLFramebuffer,
    height: number,
    id: number,
  ) {
    this.owner = owner;
    this.length = length;
    this.texture = texture;
    this.framebuffer = framebuffer;
    this.height = height;
    this.id = id;
  }
}
