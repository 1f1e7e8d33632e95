import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleWithVite, importFromNode, type NodeImportResult, typeCheckWithTsc } from './consumers.js';
import { findLibraryPackages } from './library-packages.js';
import { createScratchProject, type ScratchProject } from './scratch-project.js';

// Publishing as users get it: `pnpm pack` each library package, install the tarballs with
// npm into a project outside the workspace, then consume them from Node, Vite and tsc.
// Needs `pnpm build` first (the root `pnpm test` builds before it runs vitest).

const { ready, withoutEntry } = findLibraryPackages();
const names = ready.map((pkg) => pkg.name);

if (withoutEntry.length > 0) {
  console.warn(`packaging: not packed yet, no src/index.ts: ${withoutEntry.join(', ')}`);
}

describe('library packages as published', () => {
  let project: ScratchProject;
  let nodeImports: NodeImportResult[];

  beforeAll(() => {
    const unbuilt = ready.filter((pkg) => !existsSync(join(pkg.directory, 'dist', 'index.js')));
    if (unbuilt.length > 0) {
      throw new Error(
        `run \`pnpm build\` first; no dist/index.js in ${unbuilt.map((p) => p.name).join(', ')}`,
      );
    }
    project = createScratchProject(ready);
    nodeImports = importFromNode(project, names);
  });

  afterAll(() => {
    if (project) rmSync(project.directory, { recursive: true, force: true });
  });

  it('finds at least @recurrent/core to pack', () => {
    expect(names).toContain('@recurrent/core');
  });

  it.each(ready)('$name has no workspace: or catalog: ranges left in its packed manifest', (pkg) => {
    const manifest = readFileSync(join(project.directory, 'node_modules', pkg.name, 'package.json'), 'utf8');
    expect(manifest).not.toMatch(/"(workspace|catalog):/);
    expect(JSON.parse(manifest).version).toBe(pkg.version);
  });

  it.each(ready)('$name imports from plain Node ESM, resolved inside the scratch project', (pkg) => {
    const result = nodeImports.find((entry) => entry.name === pkg.name);
    expect(result?.error).toBeUndefined();
    const installed = pathToFileURL(join(project.directory, 'node_modules', pkg.name, 'dist')).href;
    expect(result?.resolvedUrl?.startsWith(`${installed}/`)).toBe(true);
  });

  it('type-checks an import of every package against the published declarations', () => {
    typeCheckWithTsc(project, names); // throws with tsc's diagnostics
  });

  it.each(ready)('$name bundles with Vite for the browser', async (pkg) => {
    const bundle = await bundleWithVite(project, pkg.name);
    expect(existsSync(bundle)).toBe(true);
  });
});
