#!/usr/bin/env bash
# Debian packages the marketplace needs outside Python: Pango for WeasyPrint, HarfBuzz's subsetter
# (without it WeasyPrint silently falls back to a ~1.4x slower path), fonts, poppler (pdftotext
# in tests), postgresql-client (pg_dump/pg_restore for `flask backup` and its tests) and, for the
# browser tests (--browser), Chromium plus axe-core (npm, into a cache outside the repository).
# --bench adds wrk, the load generator of bench/load.py.
# Installs them when run as root; otherwise prints the exact apt-get line and fails.
set -euo pipefail

packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
[[ " $* " == *" --test "* ]] && packages+=(poppler-utils postgresql-client)
[[ " $* " == *" --browser "* ]] && packages+=(chromium)
[[ " $* " == *" --bench "* ]] && packages+=(wrk)

# axe-core for the accessibility checks of the browser tests (tests/browser/accessibility.py)
install_axe() {
  local cache="${MARKETPLACE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/scenario-marketplace}"
  [ -f "$cache/axe/node_modules/axe-core/axe.min.js" ] && return 0
  if ! command -v npm >/dev/null; then
    echo "npm is not installed: the browser tests fall back to Playwright-only accessibility checks" >&2
    return 0
  fi
  echo "Installing axe-core into $cache/axe"
  mkdir -p "$cache/axe"
  npm install --prefix "$cache/axe" --no-audit --no-fund --silent axe-core@4 \
    || echo "npm could not install axe-core: Playwright-only accessibility checks" >&2
}

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done

if [ ${#missing[@]} -gt 0 ]; then
  line="apt-get install -y --no-install-recommends ${missing[*]}"
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "Installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "Missing system packages: ${missing[*]}" >&2
    echo "Install them with:  sudo $line" >&2
    exit 1
  fi
fi

if [[ " $* " == *" --browser "* ]]; then
  install_axe
fi
exit 0
