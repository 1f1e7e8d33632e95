import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The harness bundled for the browser and served from a loopback HTTP server. */
export interface HarnessServer {
  /** The page to open: WebGPU needs a secure context, and `http://127.0.0.1` is one. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Bundles `harness.ts` for the browser the way an application bundler would: the workspace
 * packages resolve to their TypeScript sources, gpu.js to its `browser` build, and Dawn's Node
 * addon must stay out (the backend imports it through a computed specifier, Node only). Any
 * `node:` import reached from the page fails the build (esbuild cannot resolve it for the browser).
 */
export async function bundleHarness(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./harness.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['@recurrent/source'],
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.text;
  if (/\bfrom\s*["']webgpu["']|require\(["']webgpu["']\)/.test(code)) {
    throw new Error('browser harness: the bundle references the Node-only "webgpu" package; expected none');
  }
  return code;
}

/** Serves the bundle at `/harness.js` and an empty page that loads it at `/`. */
export async function serveHarness(code: string): Promise<HarnessServer> {
  const page =
    '<!doctype html><meta charset="utf-8"><title>backend-gpujs harness</title>' +
    '<script type="module" src="/harness.js"></script>';
  const server: Server = createServer((request, response) => {
    if (request.url === '/') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    } else if (request.url === '/harness.js') {
      response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(code);
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('browser harness: no TCP address');
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close: () =>
      new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
