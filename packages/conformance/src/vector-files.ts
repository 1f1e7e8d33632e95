/**
 * Finds and reads ONNX vector files (Node only): files, or folders searched recursively for
 * `*.json` (README and other files are ignored). A file that is not JSON is an error naming it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OnnxVector } from './checks/onnx-vectors.js';

/** The vectors shipped with this package (`vectors/`, beside `src/` and `dist/`). */
export const bundledVectorsFolder: string = fileURLToPath(new URL('../vectors/', import.meta.url));

/** Every `.json` file under the given files or folders, sorted, read and parsed. */
export async function loadOnnxVectors(paths: readonly string[], root?: string): Promise<OnnxVector[]> {
  return loadOnnxVectorsSync(paths, root);
}

/** Synchronous {@link loadOnnxVectors} (building a vitest suite must be synchronous). */
export function loadOnnxVectorsSync(paths: readonly string[], root?: string): OnnxVector[] {
  const files: string[] = [];
  for (const path of paths) {
    collect(path, files);
  }
  files.sort();
  return files.map((file) => {
    let content: unknown;
    try {
      content = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new Error(`loadOnnxVectors: ${file} is not valid JSON (${(error as Error).message})`);
    }
    return { name: root ? relative(root, file) : file, content };
  });
}

/** The bundled vectors, named relative to the vectors folder (empty when it is absent). */
export function bundledOnnxVectors(): OnnxVector[] {
  try {
    statSync(bundledVectorsFolder);
  } catch {
    return [];
  }
  return loadOnnxVectorsSync([bundledVectorsFolder], bundledVectorsFolder);
}

function collect(path: string, into: string[]): void {
  if (statSync(path).isDirectory()) {
    for (const entry of readdirSync(path)) {
      collect(join(path, entry), into);
    }
  } else if (path.endsWith('.json')) {
    into.push(path);
  }
}
