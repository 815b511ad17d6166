#!/usr/bin/env bash
# The one test command (README, .ci/run): type-check, lint, then every unit and integration test.
# Integration tests start their own InfluxDB and PostgreSQL in a private temp folder on free ports.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
echo "==> type-check (tsc --noEmit)"
npx tsc -p tsconfig.json
npx tsc -p web/tsconfig.json
echo "==> lint (eslint)"
npx eslint .
echo "==> tests (vitest)"
npx vitest run "$@"
