#!/usr/bin/env bash
# Debian packages the marketplace needs outside Python: Pango for WeasyPrint, HarfBuzz's subsetter
# (without it WeasyPrint silently falls back to a ~1.4x slower path), fonts, poppler (pdftotext
# in tests) and, for the browser tests (--browser), Chromium.
# Installs them when run as root; otherwise prints the exact apt-get line and fails.
set -euo pipefail

packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
[[ " $* " == *" --test "* ]] && packages+=(poppler-utils)
[[ " $* " == *" --browser "* ]] && packages+=(chromium)

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

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
