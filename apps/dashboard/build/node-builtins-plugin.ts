import type { Plugin } from 'vite';

const prefix = '\0recurrent-node-builtin:';
const identifier = /^[A-Za-z_$][\w$]*$/;

/**
 * Pure functions some modules call at load time (e.g. `fileURLToPath(new URL('../vectors/',
 * import.meta.url))` for a default folder); in the dev server every module is evaluated, so these
 * get a working browser version instead of one that throws.
 */
const browserVersions: Record<string, Record<string, string>> = {
  'node:url': {
    fileURLToPath: '(url) => decodeURIComponent(new globalThis.URL(String(url)).pathname)',
    pathToFileURL: "(path) => new globalThis.URL('file://' + path)",
  },
};

/**
 * The stand-in for one export: a browser version where there is one; for a class the browser
 * also has (`URL`, `TextEncoder`, …), the browser's; otherwise a function that throws.
 */
function standIn(moduleName: string, name: string): string {
  const browserVersion = browserVersions[moduleName]?.[name];
  if (browserVersion) return browserVersion;
  const quoted = JSON.stringify(name);
  if (/^[A-Z]/.test(name)) return `globalThis[${quoted}] ?? unavailable(${quoted})`;
  return `unavailable(${quoted})`;
}

/**
 * `@recurrent/conformance` is one entry point for Node and browsers; a few of its modules
 * (environment description, ONNX vector files) import Node built-ins that the dashboard never
 * calls. Vite's default stand-in has no named exports, so `import { cpus } from 'node:os'` fails
 * to bundle. This stand-in has every export of the real module (read from Node, which runs this
 * plugin), and each one throws a clear error if it is ever called in the browser (see
 * {@link standIn} for the few that work).
 */
export function nodeBuiltinsPlugin(): Plugin {
  return {
    name: 'recurrent-node-builtins',
    enforce: 'pre',
    resolveId(source, _importer, options) {
      if (options?.ssr || !source.startsWith('node:')) return null;
      return `${prefix}${source}`;
    },
    async load(id) {
      if (!id.startsWith(prefix)) return null;
      const moduleName = id.slice(prefix.length);
      const names = Object.keys(await import(moduleName)).filter(
        (name) => name !== 'default' && identifier.test(name),
      );
      const lines = [
        'const unavailable = (name) => () => {',
        `  throw new Error(${JSON.stringify(moduleName)} + '.' + name + ' is Node-only: not available in the browser');`,
        '};',
        ...names.map((name) => `export const ${name} = ${standIn(moduleName, name)};`),
        'export default {};',
      ];
      return lines.join('\n');
    },
  };
}
