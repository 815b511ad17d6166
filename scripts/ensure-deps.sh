#!/usr/bin/env bash
# Installs what the platform and its tests need, only when missing: npm packages (from the
# lockfile) and Debian packages (influxdb, postgresql). Safe to run any number of times.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v node >/dev/null || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  echo "Energymonitor needs Node.js 20 or newer (found: $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # `npm install`, not `npm ci`: it keeps the lockfile's versions, and also works where npm is set
  # to write lockfiles without registry URLs, whose optional per-platform entries `npm ci` rejects.
  echo "==> installing npm packages (npm install)"
  npm install --no-audit --no-fund
fi
npx tsx infra/cli.ts install
