import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

/** The harness bundled for the browser and served from a loopback HTTP server. */
export interface HarnessServer {
  /** The page to open: WebGPU needs a secure context, and `http://127.0.0.1` is one. */
  readonly url: string;
  close(): Promise<void>;
}

const identifier = /^[A-Za-z_$][\w$]*$/;

/**
 * `@recurrent/conformance` is one entry point for Node and browsers; two of its modules import
 * Node built-ins (the environment description and the ONNX vector files, which the page gets
 * from the test instead). Each built-in becomes a module with the real one's export names,
 * each throwing if called, except `fileURLToPath`, which runs at load time.
 */
function nodeBuiltinStandIns(): Plugin {
  return {
    name: 'node-builtin-stand-ins',
    setup(builder) {
      builder.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: 'node-builtin' }));
      builder.onLoad({ filter: /.*/, namespace: 'node-builtin' }, async (args) => {
        const names = Object.keys(await import(args.path)).filter(
          (name) => name !== 'default' && identifier.test(name),
        );
        const lines = [
          'const unavailable = (name) => () => {',
          `  throw new Error(${JSON.stringify(args.path)} + '.' + name + ' is Node-only: not available in the browser');`,
          '};',
          ...names.map((name) =>
            name === 'fileURLToPath'
              ? 'export const fileURLToPath = (url) => decodeURIComponent(new globalThis.URL(String(url)).pathname);'
              : `export const ${name} = unavailable(${JSON.stringify(name)});`,
          ),
          'export default {};',
        ];
        return { contents: lines.join('\n'), loader: 'js' };
      });
    },
  };
}

/**
 * Bundles `harness.ts` for the browser the way an application bundler would: the workspace
 * packages resolve to their TypeScript sources, gpu.js to its `browser` build, and Dawn's Node
 * addon must stay out (the backend imports it through a computed specifier, Node only).
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
    plugins: [nodeBuiltinStandIns()],
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
