#!/usr/bin/env bash
# Debian packages the test suite needs. Idempotent: installs only what is missing.
set -euo pipefail

need=()
command -v prometheus >/dev/null 2>&1 || need+=(prometheus)
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
# The plugins' browser test renders the dev app in Debian's Chromium (playwright-core drives it).
command -v chromium >/dev/null 2>&1 || need+=(chromium fonts-liberation)

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian packages: ${need[*]} (run as root, or: sudo apt-get install ${need[*]})" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# PostgreSQL must be running for the tests (the machine's cluster; started if it stopped).
if command -v pg_lsclusters >/dev/null 2>&1 && ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  cluster=$(pg_lsclusters -h | awk 'NR==1 {print $1}')
  pg_ctlcluster --skip-systemctl-redirect "$cluster" main start || true
fi
