#!/usr/bin/env bash
# Idempotent set-up for a fresh machine (Debian 12 with Node 20, npm, git, python3, g++):
#   1. system packages for the GPU and browser checks (system-packages.sh; apt, as root)
#   2. the pnpm that package.json pins, into .tools/ (corepack is not used)
#   3. the workspace's dependencies, exactly as locked
# Installs only what is missing; takes a couple of seconds when everything is in place.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo_root"

say() { printf 'setup: %s\n' "$*" >&2; }

export TURBO_TELEMETRY_DISABLED=1

bash tooling/setup/system-packages.sh

# The pinned pnpm: "packageManager": "pnpm@<version>[+<hash>]".
pnpm_version="$(node -p 'require("./package.json").packageManager.replace(/^pnpm@/, "").split("+")[0]')"
installed_pnpm="$(node -p 'try { require("./.tools/node_modules/pnpm/package.json").version } catch { "" }')"
if [[ "$installed_pnpm" != "$pnpm_version" ]]; then
  say "installing pnpm $pnpm_version into .tools/"
  npm install --prefix .tools --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
    "pnpm@$pnpm_version" >&2
fi
export PATH="$repo_root/.tools/node_modules/.bin:$PATH"

# Skip pnpm entirely when nothing that decides node_modules changed since the last install.
install_stamp="$(
  {
    echo "$pnpm_version"
    find . -name node_modules -prune -o -name .tools -prune -o -name package.json -print | sort |
      xargs cat pnpm-lock.yaml pnpm-workspace.yaml
  } | sha256sum | cut -d' ' -f1
)"
if [[ -f node_modules/.modules.yaml && "$(cat node_modules/.recurrent-install-stamp 2>/dev/null)" == "$install_stamp" ]]; then
  say "dependencies up to date (pnpm-lock.yaml and package.json files unchanged since the last install)"
else
  pnpm install --frozen-lockfile --prefer-offline >&2
  echo "$install_stamp" >node_modules/.recurrent-install-stamp
fi

# Turborepo telemetry off: the variable above for these scripts, and turbo's own per-user
# setting for any later `pnpm build` or `turbo run` in this account.
telemetry="$(env -u TURBO_TELEMETRY_DISABLED node_modules/.bin/turbo telemetry status 2>/dev/null || true)"
if [[ "$telemetry" != *"Status: Disabled"* ]]; then
  node_modules/.bin/turbo telemetry disable >/dev/null
  say "turned Turborepo telemetry off for this user (turbo telemetry disable)"
fi
