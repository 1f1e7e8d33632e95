import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { LibraryPackage } from './library-packages.js';
import { runCommand } from './run-command.js';

/** A throwaway npm project in the system temp folder, outside the workspace. */
export interface ScratchProject {
  directory: string;
  /** Environment for commands run inside it: pnpm's own settings removed. */
  env: NodeJS.ProcessEnv;
}

/** pnpm passes its settings to scripts as npm_config_*; npm would read (and warn about) them. */
const npmSettingsToKeep =
  /^npm_config_(registry|cache|userconfig|globalconfig|cafile|ca|strict_ssl|proxy|https_proxy|http_proxy|noproxy|no_proxy)$/i;

function cleanEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) && !npmSettingsToKeep.test(key)) continue;
    if (key === 'NODE_OPTIONS' || key.startsWith('VITEST')) continue;
    env[key] = value;
  }
  return env;
}

/** The pnpm that runs this test (through `pnpm test`), else the one on PATH. */
function pnpmCommand(): { command: string; prefix: string[] } {
  const execPath = process.env.npm_execpath;
  if (execPath && basename(execPath).startsWith('pnpm')) {
    return { command: process.execPath, prefix: [execPath] };
  }
  return { command: 'pnpm', prefix: [] };
}

/** `pnpm pack` rewrites workspace: and catalog: ranges into real versions, as publishing does. */
function packTarball(pkg: LibraryPackage, destination: string): string {
  mkdirSync(destination, { recursive: true });
  const pnpm = pnpmCommand();
  runCommand(pnpm.command, [...pnpm.prefix, 'pack', '--pack-destination', destination], {
    cwd: pkg.directory,
  });
  const tarballs = readdirSync(destination).filter((file) => file.endsWith('.tgz'));
  if (tarballs.length !== 1) {
    throw new Error(`pnpm pack for ${pkg.name} left ${tarballs.length} tarballs in ${destination}`);
  }
  return join(destination, tarballs[0]!);
}

/**
 * Packs every package and installs all tarballs in one `npm install`, so a package's
 * dependency on another of ours is satisfied by the tarball, never by the registry.
 * Third-party dependencies come from the registry (or npm's cache, preferred).
 * Install scripts are skipped and optional dependencies omitted, as in the workspace.
 */
export function createScratchProject(packages: readonly LibraryPackage[]): ScratchProject {
  const directory = mkdtempSync(join(tmpdir(), 'recurrent-packaging-'));
  const env = cleanEnvironment();
  const tarballs = packages.map((pkg) =>
    packTarball(pkg, join(directory, 'tarballs', pkg.name.replace('/', '__'))),
  );
  const manifest = { name: 'recurrent-packaging-scratch', private: true, type: 'module' };
  writeFileSync(join(directory, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  runCommand(
    'npm',
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      '--omit=optional',
      '--loglevel=error',
      ...tarballs,
    ],
    { cwd: directory, env },
  );
  return { directory, env };
}
