#!/usr/bin/env bash
# Install what MotCua's tests and forms need, when it is missing and we may install it:
# Debian packages (Chromium for browser tests, fonts with Vietnamese glyphs, gettext, Node.js/npm for axe-core)
# and the npm devDependencies of package.json (axe-core, injected into pages by the accessibility tests).
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list 2>/dev/null | grep -qi "Liberation Serif" || need+=(fonts-liberation fontconfig)
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
if [ ! -f node_modules/axe-core/axe.min.js ] && ! command -v npm >/dev/null 2>&1; then need+=(nodejs npm); fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "system-deps: please install: ${need[*]} (browser tests and forms need them)" >&2
  else
    echo "system-deps: installing ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
fi
if [ ! -f node_modules/axe-core/axe.min.js ]; then
  if command -v npm >/dev/null 2>&1; then
    echo "system-deps: installing axe-core (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error || npm install --no-audit --no-fund --loglevel=error
  else
    echo "system-deps: npm missing; accessibility checks in browser tests will fail" >&2
  fi
fi
