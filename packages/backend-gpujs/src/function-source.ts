/**
 * gpu.js compiles only `function name(...) { ... }` source text. Core writes kernel functions
 * as declarations, arrows or method shorthand; this rewrites any of them into a declaration
 * under a chosen name, so the names a shader sees are under this backend's control.
 */

/** A scalar function as gpu.js should see it. */
export interface FunctionDeclaration {
  readonly name: string;
  readonly parameters: readonly string[];
  readonly source: string;
}

const DECLARATION = /^(?:async\s+)?function\s*\*?\s*[\w$]*\s*\(([^)]*)\)\s*\{([\s\S]*)\}$/;
const ARROW_PARENTHESISED = /^(?:async\s*)?\(([^)]*)\)\s*=>\s*([\s\S]*)$/;
const ARROW_BARE = /^(?:async\s+)?([\w$]+)\s*=>\s*([\s\S]*)$/;
const METHOD = /^[\w$]+\s*\(([^)]*)\)\s*\{([\s\S]*)\}$/;

/**
 * Module-runner rewrites of imported names (vitest / vite SSR turn `sigmoid(x)` into
 * `(0, __vi_import_0__.sigmoid)(x)`); a shader needs the plain call back.
 */
function undoImportRewrites(source: string): string {
  return source
    .replace(/\(0,\s*__vi(?:te_ssr)?_import_\d+__\.([\w$]+)\)/g, '$1')
    .replace(/__vi(?:te_ssr)?_import_\d+__\.([\w$]+)/g, '$1');
}

function parameterList(text: string): string[] {
  const names = text
    .replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  for (const name of names) {
    if (!/^[A-Za-z_$][\w$]*$/.test(name)) {
      throw new Error(
        `parameter "${name}" is not a plain identifier (defaults and destructuring cannot compile)`,
      );
    }
  }
  return names;
}

function arrowBody(body: string): string {
  const trimmed = body.trim().replace(/;$/, '');
  return trimmed.startsWith('{') && trimmed.endsWith('}') ? trimmed.slice(1, -1) : `return ${trimmed};`;
}

/**
 * Rewrites `fn` as `function name(params) { body }`, passing the body through `rewriteBody`;
 * throws when the source has another shape.
 */
export function toFunctionDeclaration(
  fn: (...args: number[]) => number,
  name: string,
  rewriteBody: (body: string) => string = (body) => body,
): FunctionDeclaration {
  const text = undoImportRewrites(fn.toString().trim());
  let parameters: string[];
  let body: string;
  const declaration = DECLARATION.exec(text) ?? METHOD.exec(text);
  const arrow = ARROW_PARENTHESISED.exec(text) ?? ARROW_BARE.exec(text);
  if (declaration && !text.startsWith('(')) {
    parameters = parameterList(declaration[1] ?? '');
    body = declaration[2] ?? '';
  } else if (arrow) {
    parameters = parameterList(arrow[1] ?? '');
    body = arrowBody(arrow[2] ?? '');
  } else {
    throw new Error(`cannot read function "${fn.name || name}" as a function declaration or arrow`);
  }
  return { name, parameters, source: `function ${name}(${parameters.join(', ')}) {${rewriteBody(body)}}` };
}
