import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const workspaceRoot = fileURLToPath(new URL('../../..', import.meta.url));

export interface LibraryPackage {
  name: string;
  version: string;
  directory: string;
}

interface PackageManifest {
  name: string;
  version: string;
  private?: boolean;
}

/**
 * The publishable packages: every non-private package under packages/ that has an entry
 * point. A package whose src/index.ts does not exist yet has nothing to pack; it is listed
 * separately so the test can say so instead of passing over it in silence.
 */
export function findLibraryPackages(): { ready: LibraryPackage[]; withoutEntry: string[] } {
  const packagesDirectory = join(workspaceRoot, 'packages');
  const ready: LibraryPackage[] = [];
  const withoutEntry: string[] = [];
  for (const entry of readdirSync(packagesDirectory, { withFileTypes: true })) {
    const directory = join(packagesDirectory, entry.name);
    const manifestPath = join(directory, 'package.json');
    if (!entry.isDirectory() || !existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as PackageManifest;
    if (manifest.private) continue;
    if (existsSync(join(directory, 'src', 'index.ts'))) {
      ready.push({ name: manifest.name, version: manifest.version, directory });
    } else {
      withoutEntry.push(manifest.name);
    }
  }
  return { ready, withoutEntry };
}
