#!/usr/bin/env bash
# The one start command (README): installs what is missing, then runs the whole platform with a
# simulated fleet of households in the foreground. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
exec npx tsx scripts/start-platform.ts "$@"
