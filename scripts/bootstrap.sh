#!/usr/bin/env bash
# Prepares the toolchain both README commands need, with nothing installed by hand:
# Node 22+ (the system one when it is new enough, otherwise Node 22 from the npm registry
# into .tools/), yarn 4 from the npm registry (no corepack), then `yarn install`.
# Source it (`. scripts/bootstrap.sh`) so PATH and the build variables stay set for the caller.
# Idempotent: a second run only checks versions and runs an up-to-date `yarn install`.

# Strict inside; the caller's shell options are restored at the end ($- and [[ -o ]] read the
# current shell; a $(set +o) subshell would not see errexit).
__bootstrap_flags="$-"
if [[ -o pipefail ]]; then __bootstrap_pipefail=1; else __bootstrap_pipefail=0; fi
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
NODE_MAJOR_MIN=22
NODE_SPEC="node@22"
YARN_SPEC="@yarnpkg/cli-dist@4.13.0"

log() { printf '[bootstrap] %s\n' "$*" >&2; }

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

# Where a Node binary's C headers are (node-gyp needs include/node): beside a regular install
# (<prefix>/bin/node, <prefix>/include/node), or in the platform package of the npm `node` package
# (another checkout's .tools, say). Empty when there are none.
node_headers() {
  local prefix platform_pkg
  prefix="$(cd "$(dirname "$(readlink -f "$1")")/.." && pwd)"
  if [ -d "$prefix/include/node" ]; then echo "$prefix" && return; fi
  for platform_pkg in "$prefix"/node_modules/node-*; do
    if [ -d "$platform_pkg/include/node" ]; then echo "$platform_pkg" && return; fi
  done
}

# npm follows the machine's configured registry; yarn 4 ignores .npmrc, so hand it the same one.
if [ -z "${YARN_NPM_REGISTRY_SERVER:-}" ]; then
  registry="$(npm config get registry 2>/dev/null || true)"
  if [ -n "$registry" ]; then export YARN_NPM_REGISTRY_SERVER="${registry%/}"; fi
fi

# --- Node -------------------------------------------------------------------
# Look past our own shims (a second run from a shell that sourced this already).
PATH="$(printf '%s' "$PATH" | tr ':' '\n' | grep -vxF "$TOOLS/bin" | paste -sd: -)"
system_node="$(command -v node || true)"
if [ -n "$system_node" ] && [ "$(node_major "$system_node")" -ge "$NODE_MAJOR_MIN" ]; then
  # The binary itself: under `yarn run`, `node` on PATH is a shim in a directory yarn removes.
  NODE_BIN="$("$system_node" -p 'process.execPath')"
else
  local_node="$TOOLS/node/node_modules/node/bin/node"
  if [ ! -x "$local_node" ] || [ "$(node_major "$local_node")" -lt "$NODE_MAJOR_MIN" ]; then
    log "system Node is $( [ -n "$system_node" ] && node --version || echo missing ); installing $NODE_SPEC into .tools/node"
    npm install --prefix "$TOOLS/node" --no-save --no-audit --no-fund --loglevel=error "$NODE_SPEC" >&2
  fi
  NODE_BIN="$local_node"
fi
NODE_HEADERS="$(node_headers "$NODE_BIN")"

# --- yarn -------------------------------------------------------------------
YARN_JS="$TOOLS/yarn/node_modules/@yarnpkg/cli-dist/bin/yarn.js"
if [ ! -f "$YARN_JS" ]; then
  log "installing $YARN_SPEC into .tools/yarn"
  npm install --prefix "$TOOLS/yarn" --no-save --no-audit --no-fund --loglevel=error "$YARN_SPEC" >&2
fi

# Shims so that `node` and `yarn` mean the right ones for everything started from here. Each is
# made beside its place and renamed over it: several scripts may source this at once (CI starts
# the app and two install tests together), and a rename is atomic where rm + ln is not.
mkdir -p "$TOOLS/bin"
ln -sfn "$NODE_BIN" "$TOOLS/bin/node.$$"
mv -f "$TOOLS/bin/node.$$" "$TOOLS/bin/node"
cat >"$TOOLS/bin/yarn.$$" <<SHIM
#!/bin/sh
exec "$TOOLS/bin/node" "$YARN_JS" "\$@"
SHIM
chmod +x "$TOOLS/bin/yarn.$$"
mv -f "$TOOLS/bin/yarn.$$" "$TOOLS/bin/yarn"
export PATH="$TOOLS/bin:$PATH"

# node-gyp must compile against the headers of the Node that runs (the machine's npmrc may point elsewhere).
if [ -n "$NODE_HEADERS" ]; then export npm_config_nodedir="$NODE_HEADERS"; fi
export YARN_ENABLE_TELEMETRY=0

log "node $(node --version) ($NODE_BIN), yarn $(yarn --version)"

if [ "${BOOTSTRAP_SKIP_INSTALL:-}" != "1" ]; then
  # In CI the committed lockfile must already be complete; elsewhere yarn may update it.
  if [ -n "${CI:-}" ]; then
    ( cd "$ROOT" && yarn install --immutable ) >&2
  else
    ( cd "$ROOT" && yarn install ) >&2
  fi
fi

case "$__bootstrap_flags" in *e*) ;; *) set +e ;; esac
case "$__bootstrap_flags" in *u*) ;; *) set +u ;; esac
if [ "$__bootstrap_pipefail" = 0 ]; then set +o pipefail; fi
unset __bootstrap_flags __bootstrap_pipefail
