#!/usr/bin/env bash
# Sets everything up (setup.sh), then runs one root package.json script:
#   bash tooling/setup/run.sh test          the whole test suite
#   bash tooling/setup/run.sh conformance   conformance checks and benchmarks, every backend
# Arguments after the script name go to the script.
set -euo pipefail

if [[ $# -lt 1 ]]; then
  echo "usage: bash tooling/setup/run.sh <script> [arguments...]   (e.g. test, conformance)" >&2
  exit 2
fi

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bash "$repo_root/tooling/setup/setup.sh"

cd "$repo_root"
export PATH="$repo_root/.tools/node_modules/.bin:$PATH"
export TURBO_TELEMETRY_DISABLED=1
exec pnpm run "$@"
