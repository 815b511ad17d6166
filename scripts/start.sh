#!/usr/bin/env bash
# The one start command (README): installs what is missing, then runs the whole platform with a
# simulated fleet of households in the foreground. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
for arg in "$@"; do
  if [ "$arg" = --help ] || [ "$arg" = -h ]; then
    # Help needs the npm packages only, not InfluxDB, PostgreSQL or a build.
    [ -f node_modules/.package-lock.json ] || npm install --no-audit --no-fund
    exec npx tsx scripts/start-platform.ts --help
  fi
done
bash scripts/ensure-deps.sh
# node itself, not npx/tsx: fewer processes between npm and the platform for a signal to get lost in
# (scripts/start-platform.ts also stops when its parent goes away).
exec node --import tsx scripts/start-platform.ts "$@"
