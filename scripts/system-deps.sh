#!/usr/bin/env bash
# Installs the Debian packages the app and tests need, only when missing:
# chromium (kaleido exports, Playwright end-to-end tests) and Noto fonts (Vietnamese glyphs in exports).
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -d /usr/share/fonts/truetype/noto ] || need+=(fonts-noto-core)
[ ${#need[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
if ! command -v apt-get >/dev/null; then
  echo "system-deps: apt-get not found; install ${need[*]} by hand" >&2
  exit 1
fi
echo "system-deps: installing ${need[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
