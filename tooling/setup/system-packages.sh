#!/usr/bin/env bash
# System packages the GPU and browser tests need, installed with apt when we may:
#   chromium             Debian's Chromium, driven by playwright-core for in-browser runs
#   libvulkan1           the Vulkan loader Dawn (WebGPU in Node) opens
#   mesa-vulkan-drivers  lavapipe, a software Vulkan driver; Dawn rejects the one in Debian 12's
#                        own Mesa 22.3, so on bookworm it comes from bookworm-backports (Mesa 25).
#                        Only this package (and what apt must take with it) comes from backports.
# Idempotent: checks installed versions with dpkg-query and returns at once when all is there.
# Without root (or sudo without a password) or without apt it says what is missing and what
# will not run, then carries on. RECURRENT_SKIP_SYSTEM_PACKAGES=1 skips it on purpose.
# Writes what it found to .tools/system-packages.json for tests that want to say why.
set -euo pipefail

readonly script_path="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
cd "$(dirname "$script_path")/../.."

readonly mesa_minimum_version=25
readonly status_file=.tools/system-packages.json

say() { printf 'setup: %s\n' "$*" >&2; }
warn() { printf '\nsetup: WARNING: %s\n\n' "$*" >&2; }

installed_version() {
  dpkg-query -W -f='${Status}\t${Version}\n' "$1" 2>/dev/null | awk -F'\t' '$1 == "install ok installed" { print $2 }'
}

mesa_is_new_enough() {
  local version
  version="$(installed_version mesa-vulkan-drivers)"
  [[ -n "$version" ]] && dpkg --compare-versions "$version" ge "$mesa_minimum_version"
}

missing_packages() {
  [[ -n "$(installed_version chromium)" ]] || echo chromium
  [[ -n "$(installed_version libvulkan1)" ]] || echo libvulkan1
  mesa_is_new_enough || echo mesa-vulkan-drivers
}

write_status() {
  local skipped="$1"
  [[ "${RECURRENT_SYSTEM_PACKAGES_NO_STATUS:-}" != 1 ]] || return 0
  mkdir -p "$(dirname "$status_file")"
  printf '{\n  "chromium": "%s",\n  "libvulkan1": "%s",\n  "mesa-vulkan-drivers": "%s",\n  "skipped": "%s"\n}\n' \
    "$(installed_version chromium)" "$(installed_version libvulkan1)" \
    "$(installed_version mesa-vulkan-drivers)" "$skipped" >"$status_file"
}

explain_missing() {
  local missing="$1" reason="$2"
  warn "$reason; NOT installing: ${missing//$'\n'/ }.
  Without chromium the in-browser backends (WebGL2/WebGPU in Chromium) cannot run.
  Without libvulkan1 and Mesa >= $mesa_minimum_version lavapipe, WebGPU in Node (Dawn) finds no adapter,
  so the gpu.js backend's WebGPU mode cannot run on this machine.
  Checks that need them must report themselves as not applicable (reason in $status_file).
  To install them: sudo bash tooling/setup/system-packages.sh"
  write_status "$reason"
}

# Adds <codename>-backports, derived from the machine's own Debian source (never a fixed host).
ensure_backports_source() {
  local codename="$1" sources_dir=/etc/apt/sources.list.d
  if grep -qsE "^[[:space:]]*Suites:.*[[:space:]]${codename}-backports([[:space:]]|\$)" "$sources_dir"/*.sources ||
    grep -qsE "^[[:space:]]*deb[[:space:]].*[[:space:]]${codename}-backports[[:space:]]" /etc/apt/sources.list "$sources_dir"/*.list; then
    return 1
  fi
  local stanza
  # deb822: the stanza whose Suites list the release itself (not -security).
  stanza="$(awk -v codename="$codename" '
    BEGIN { RS = ""; FS = "\n" }
    {
      types = ""; uris = ""; suites = ""; signed = ""
      for (i = 1; i <= NF; i++) {
        if ($i ~ /^Types:/) types = $i
        if ($i ~ /^URIs:/) uris = $i
        if ($i ~ /^Suites:/) suites = $i
        if ($i ~ /^Signed-By:/) signed = $i
      }
      if (types ~ /[[:space:]]deb([[:space:]]|$)/ && (" " suites " ") ~ ("[[:space:]]" codename "[[:space:]]")) {
        print uris; if (signed != "") print signed; exit
      }
    }' "$sources_dir"/*.sources 2>/dev/null || true)"
  if [[ -n "$stanza" ]]; then
    say "adding ${codename}-backports, derived from the existing Debian apt source"
    printf 'Types: deb\n%s\nSuites: %s-backports\nComponents: main\n' \
      "$(grep '^URIs:' <<<"$stanza")" "$codename" >"$sources_dir/${codename}-backports.sources"
    grep '^Signed-By:' <<<"$stanza" >>"$sources_dir/${codename}-backports.sources" || true
    return 0
  fi
  # One-line format: the first `deb [options] URI <codename> ...` line.
  local line
  line="$(grep -hsE "^[[:space:]]*deb[[:space:]]+(\[[^]]*\][[:space:]]+)?[^[:space:]]+[[:space:]]+${codename}[[:space:]]" \
    /etc/apt/sources.list "$sources_dir"/*.list | head -n 1 || true)"
  if [[ -n "$line" ]]; then
    say "adding ${codename}-backports, derived from the existing Debian apt source"
    sed -E "s/[[:space:]]${codename}[[:space:]].*/ ${codename}-backports main/" <<<"$line" >"$sources_dir/${codename}-backports.list"
    return 0
  fi
  warn "found no Debian apt source for ${codename} to derive ${codename}-backports from"
  return 1
}

main() {
  local missing
  missing="$(missing_packages)"
  if [[ -z "$missing" ]]; then
    say "system packages present: chromium $(installed_version chromium), mesa-vulkan-drivers $(installed_version mesa-vulkan-drivers)"
    write_status ""
    return 0
  fi
  if [[ "${RECURRENT_SKIP_SYSTEM_PACKAGES:-}" == 1 ]]; then
    explain_missing "$missing" "RECURRENT_SKIP_SYSTEM_PACKAGES=1 is set"
    return 0
  fi
  if ! command -v apt-get >/dev/null || ! command -v dpkg-query >/dev/null; then
    explain_missing "$missing" "apt is not available on this machine"
    return 0
  fi
  if [[ "$(id -u)" != 0 ]]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
      say "not root: installing system packages through sudo"
      local status=0
      sudo -n env RECURRENT_SYSTEM_PACKAGES_NO_STATUS=1 bash "$script_path" || status=$?
      write_status "$([[ $status == 0 ]] || echo "installing through sudo failed")"
      return "$status"
    fi
    explain_missing "$missing" "not running as root (and no password-less sudo)"
    return 0
  fi

  local codename need_update=0 targets=()
  codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-}")"
  if grep -qx mesa-vulkan-drivers <<<"$missing"; then
    if [[ "$codename" == bookworm ]]; then
      ensure_backports_source "$codename" && need_update=1
      targets+=("mesa-vulkan-drivers/${codename}-backports")
    else
      targets+=(mesa-vulkan-drivers)
    fi
  fi
  grep -qx libvulkan1 <<<"$missing" && targets+=(libvulkan1)
  grep -qx chromium <<<"$missing" && targets+=(chromium)

  # Update the package lists only when a source was added or a package has no candidate.
  if [[ $need_update == 0 ]]; then
    local name
    for name in $missing; do
      if apt-cache policy "$name" 2>/dev/null | grep -q 'Candidate: (none)' ||
        [[ -z "$(apt-cache policy "$name" 2>/dev/null)" ]]; then
        need_update=1
      fi
    done
    if [[ "$codename" == bookworm ]] && grep -qx mesa-vulkan-drivers <<<"$missing" &&
      ! apt-cache madison mesa-vulkan-drivers 2>/dev/null | grep -q "${codename}-backports"; then
      need_update=1
    fi
  fi
  if [[ $need_update == 1 ]]; then
    say "apt-get update"
    apt-get update -qq
  fi
  say "apt-get install --no-install-recommends ${targets[*]}"
  local log
  log="$(mktemp)"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${targets[@]}" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    warn "apt-get install ${targets[*]} failed (output above)"
    write_status "apt-get install failed"
    return 1
  fi
  rm -f "$log"

  missing="$(missing_packages)"
  if [[ -n "$missing" ]]; then
    warn "still missing after apt-get install: ${missing//$'\n'/ }"
    write_status "apt-get install did not provide: ${missing//$'\n'/ }"
    return 1
  fi
  say "installed: chromium $(installed_version chromium), mesa-vulkan-drivers $(installed_version mesa-vulkan-drivers)"
  write_status ""
}

main "$@"
