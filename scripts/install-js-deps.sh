#!/usr/bin/env bash
# Install the npm packages the tests run (tests/js: jsonld.js, pinned by its package-lock.json)
# with `npm ci`. Needs node and npm (scripts/install-system-deps.sh installs them); no root.
# Skipped when tests/js/node_modules already holds what the lock file pins.
set -euo pipefail
cd "$(dirname "$0")/../tests/js"

if ! command -v npm >/dev/null 2>&1; then
  echo "npm is missing; run scripts/install-system-deps.sh as root (Debian nodejs, npm)" >&2
  exit 1
fi
installed=node_modules/.package-lock.json
if [ -f "$installed" ] && [ "$installed" -nt package-lock.json ]; then
  echo "npm packages (tests/js): all present"
  exit 0
fi
echo "installing npm packages in tests/js (npm ci)"
npm ci --no-audit --no-fund
