import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { build } from 'vite';
import { runCommand } from './run-command.js';
import type { ScratchProject } from './scratch-project.js';

export interface NodeImportResult {
  name: string;
  /** Where Node resolved the package: must be inside the scratch project. */
  resolvedUrl?: string;
  exportNames?: string[];
  /** The stack of the error the import threw, if it did. */
  error?: string;
}

/** Imports each package, one at a time, from a plain Node ESM module in the scratch project. */
export function importFromNode(project: ScratchProject, names: readonly string[]): NodeImportResult[] {
  const script = [
    'const results = [];',
    `for (const name of ${JSON.stringify(names)}) {`,
    '  try {',
    '    const resolvedUrl = import.meta.resolve(name);',
    '    const namespace = await import(name);',
    '    results.push({ name, resolvedUrl, exportNames: Object.keys(namespace).sort() });',
    '  } catch (error) {',
    '    results.push({ name, error: String(error?.stack ?? error) });',
    '  }',
    '}',
    'console.log(JSON.stringify(results));',
  ].join('\n');
  writeFileSync(join(project.directory, 'import-check.mjs'), script);
  const output = runCommand(process.execPath, ['import-check.mjs'], {
    cwd: project.directory,
    env: project.env,
  });
  return JSON.parse(output) as NodeImportResult[];
}

/**
 * Bundles an import of one package with Vite, as a web app would: library mode, Vite's
 * default browser conditions. Returns the bundle's path.
 */
export async function bundleWithVite(project: ScratchProject, name: string): Promise<string> {
  const fileName = name.replace(/^@/, '').replace('/', '-');
  const entry = join(project.directory, `bundle-entry-${fileName}.js`);
  writeFileSync(entry, `export * from '${name}';\n`);
  const outDir = join(project.directory, 'bundles', fileName);
  await build({
    root: project.directory,
    configFile: false,
    logLevel: 'silent',
    build: {
      outDir,
      emptyOutDir: true,
      minify: false,
      lib: { entry, formats: ['es'], fileName: 'bundle' },
    },
  });
  return join(outDir, 'bundle.js');
}

/**
 * Type-checks an import of every package with tsc, strict, NodeNext resolution, against the
 * published declarations only (skipLibCheck off, so the .d.ts files are checked too).
 */
export function typeCheckWithTsc(project: ScratchProject, names: readonly string[]): void {
  const lines = names.flatMap((name, index) => [
    `import * as package${index} from '${name}';`,
    `export const exportNames${index}: string[] = Object.keys(package${index});`,
  ]);
  writeFileSync(join(project.directory, 'consumer.ts'), `${lines.join('\n')}\n`);
  const tsconfig = {
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2022', 'DOM'],
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      types: [],
    },
    files: ['consumer.ts'],
  };
  writeFileSync(join(project.directory, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  const require = createRequire(import.meta.url);
  const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
  runCommand(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: project.directory, env: project.env });
}
