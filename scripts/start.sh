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
exec npx tsx scripts/start-platform.ts "$@"
