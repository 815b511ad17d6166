#!/usr/bin/env bash
# Installs what the platform and its tests need, only when missing: npm packages (from the
# lockfile) and Debian packages (influxdb, postgresql). Safe to run any number of times.
set -euo pipefail
cd "$(dirname "$0")/.."

# One install at a time: `npm start` in one terminal and `npm test` in another, on a fresh clone,
# would otherwise run two `npm install`s into one node_modules (each removes what the other is
# unpacking) and two apt-gets (the second fails on dpkg's lock). The second waits instead. The lock
# is the user's, not the clone's, because apt's is the machine's (only root installs packages, and
# another user could not open root's lock file); the kernel frees it when its holder exits in
# any way (flock(1) on an open file descriptor), so a killed install leaves nothing behind.
lock="${EM_DEPS_LOCK:-${TMPDIR:-/tmp}/energymonitor-ensure-deps-$(id -u).lock}"
exec 9>>"$lock"
if ! flock -n 9; then
  echo "==> waiting for another install of Energymonitor's dependencies to finish (lock: $lock)" >&2
  flock 9
fi
# Only this shell holds the lock: every command below runs with fd 9 closed (`9>&-`), so no daemon
# an install starts (a package's postinst may) keeps it after the script has ended.

if ! command -v node >/dev/null || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  echo "Energymonitor needs Node.js 20 or newer (found: $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # `npm install`, not `npm ci`: it keeps the lockfile's versions, and also works where npm is set
  # to write lockfiles without registry URLs, whose optional per-platform entries `npm ci` rejects.
  echo "==> installing npm packages (npm install)"
  npm install --no-audit --no-fund 9>&-
fi
npx tsx infra/cli.ts install 9>&-

# The web app's end-to-end tests drive Debian's Chromium (playwright-core brings no browser).
if ! command -v chromium >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    echo "==> installing chromium (apt-get)"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; } 9>&-
  else
    echo "warning: chromium is missing, so the web app's end-to-end test will be skipped (sudo apt-get install chromium)" >&2
  fi
fi

# The device agent's systemd unit is checked with systemd-analyze (device-agent/test/deploy-files.test.ts);
# a container image may come without systemd.
if ! command -v systemd-analyze >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    echo "==> installing systemd, for systemd-analyze (apt-get)"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends systemd; } 9>&-
  else
    echo "warning: systemd-analyze is missing, so the device agent's unit file test will fail (sudo apt-get install systemd)" >&2
  fi
fi

# The built web app (web/dist), rebuilt only when a source is newer than the last build.
if [ ! -f web/dist/index.html ] || [ -n "$(find web/src web/public web/index.html web/vite.config.ts package-lock.json -newer web/dist/index.html -print -quit)" ]; then
  echo "==> building the web app (vite build)"
  npx vite build --config web/vite.config.ts --logLevel warn 9>&-
fi
