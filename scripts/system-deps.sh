#!/usr/bin/env bash
# Install what MotCua's tests and forms need, when it is missing and we may install it:
# Debian packages (Chromium for browser tests, fonts with Vietnamese glyphs, gettext, Node.js/npm for axe-core)
# and the npm devDependencies of package.json (axe-core, injected into pages by the accessibility tests).
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
# Optional, `scripts/system-deps.sh --bench`: wrk, the HTTP load generator of bench/http_load.py (not needed by tests).
if [ "${1:-}" = "--bench" ]; then command -v wrk >/dev/null 2>&1 || need+=(wrk); fi
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fonts="$(fc-list 2>/dev/null || true)"  # captured: `fc-list | grep -q` fails under pipefail when grep exits early
grep -qi "Liberation Serif" <<<"$fonts" || need+=(fonts-liberation fontconfig)
# Printable forms (motcua.forms): Liberation Serif 2.x carries the Vietnamese glyphs (1.x lacks ơ, ư, ạ…), WeasyPrint
# needs Pango, `make forms-preview` needs pdftoppm. Outputs captured first: `grep -q` under pipefail could SIGPIPE.
vi_serif="$(fc-list ':charset=1ea1' family 2>/dev/null || true)"
grep -qi "Liberation Serif" <<<"$vi_serif" || need+=(fonts-liberation2 fontconfig)
libs="$(ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null || true)"
grep -q "libpangoft2-1.0.so.0" <<<"$libs" || need+=(libpango-1.0-0 libpangoft2-1.0-0)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
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
