#!/usr/bin/env bash
# The suite as adopters receive it: a new Backstage app of the same release, made by the pinned
# @backstage/create-app outside this repository, gets the packed packages (dist-packages/) by
# following docs/install.md word for word; then it must type-check, start, and show the
# Clickstream page and a project's entity page in headless Chromium (adopter.test.ts).
#
#   bash e2e-install/run.sh [legacy|new] [--prepare|--install]   # the app's frontend system; default legacy
#
# `legacy` is `create-app --legacy` (App.tsx routes, EntityPage.tsx), `new` create-app's default
# (the new frontend system, features discovered from packages/app/package.json). Packs first
# when dist-packages/ is missing.
# ADOPTER_DIR keeps the app somewhere known (default: a new temporary directory, removed after).
# The test has three phases, and a run in the same ADOPTER_DIR goes on after the last one done:
#   --prepare   the app made and installed, as create-app does when not told to skip the install
#               (no packed packages needed: CI runs it while the type check and tests run);
#   --install   then docs/install.md followed with the packed packages (CI runs it beside Jest);
#   (no flag)   then the app type-checked, started and tried in Chromium.
# Ports of its own, so a running development app is not in the way and the two frontend systems
# can run side by side: 3100/7107 (legacy) and 3200/7207 (new), frontend/backend.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
FRONTEND="${1:-legacy}"
UNTIL="${2:-}"
case "$UNTIL" in
'') ;;
--prepare | --install) [ -n "${ADOPTER_DIR:-}" ] || { echo "$UNTIL keeps the app for a later run: set ADOPTER_DIR" >&2 && exit 2; } ;;
*) echo "usage: e2e-install/run.sh [legacy|new] [--prepare|--install]" >&2 && exit 2 ;;
esac
case "$FRONTEND" in
legacy) template_flag=--legacy frontend_port=3100 backend_port=7107 ;;
new) template_flag= frontend_port=3200 backend_port=7207 ;;
*) echo "usage: e2e-install/run.sh [legacy|new]" >&2 && exit 2 ;;
esac
. scripts/bootstrap.sh

started=$(date +%s)
step() { printf '\n== install test (%s frontend system): %s (%ss)\n' "$FRONTEND" "$*" "$(($(date +%s) - started))" >&2; }

work="${ADOPTER_DIR:-$(mktemp -d)}"
app="$work/adopter-app-$FRONTEND"
mkdir -p "$ROOT/.ci/output"
log="$ROOT/.ci/output/adopter-app-$FRONTEND.log"

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap 'cleanup; [ -n "${ADOPTER_DIR:-}" ] || rm -rf "$work"' EXIT

# The app as create-app leaves it, installed: made here, or by an earlier --prepare run.
if [ -f "$app/.prepared" ]; then
  step "the app an earlier run made and installed"
else
  rm -rf "$app" && mkdir -p "$app"
  step "a new app: @backstage/create-app $(node -p 'require("@backstage/create-app/package.json").version') $template_flag"
  (cd "$work" && BACKSTAGE_APP_NAME=adopter-app node "$ROOT/node_modules/@backstage/create-app/bin/backstage-create-app" \
    $template_flag --skip-install --path "$app" >"$work/create-app-$FRONTEND.log" 2>&1) || {
    cat "$work/create-app-$FRONTEND.log" >&2
    exit 1
  }
  # What create-app's seed lockfile would do (it cannot be fetched here): every @backstage
  # package at release backstage.json, as this repository pins them.
  node - "$app" <<'NODE'
const fs = require('fs');
const [app] = process.argv.slice(2);
const ours = require(`${process.cwd()}/package.json`);
const pkgPath = `${app}/package.json`;
const pkg = JSON.parse(fs.readFileSync(pkgPath, 'utf8'));
for (const [name, version] of Object.entries(ours.resolutions)) {
  if (name.startsWith('@backstage/')) pkg.resolutions[name] = version;
}
fs.writeFileSync(pkgPath, JSON.stringify(pkg, null, 2) + '\n');
fs.appendFileSync(`${app}/.yarnrc.yml`, '\nenableTelemetry: false\n');
NODE
  # create-app's own install, which --skip-install left for here.
  step "yarn install in the new app"
  (cd "$app" && CI= yarn install)
  touch "$app/.prepared"
fi
if [ "$UNTIL" = --prepare ]; then
  step "prepared"
  exit 0
fi

# docs/install.md followed with the packed packages, served by a local registry.
follow_install_guide() {
  # PACKAGES_DIR: tarballs packed beforehand (CI hands each install test its own copy, so nothing
  # repacks them underneath); otherwise dist-packages/, packed here when empty. The lock keeps two
  # install tests started together from packing into the same directory at once.
  packages_dir="${PACKAGES_DIR:-$ROOT/dist-packages}"
  if [ -z "${PACKAGES_DIR:-}" ]; then
    (
      flock 9
      [ -n "$(ls dist-packages/*.tgz 2>/dev/null)" ] || BOOTSTRAP_SKIP_INSTALL=1 bash scripts/pack.sh
    ) 9>"$ROOT/.pack.lock"
  fi

  step "the packed packages on a local registry (they are not published): $(ls "$packages_dir"/*.tgz | wc -l) tarballs"
  # A port file left by an earlier run in the same ADOPTER_DIR must not be read as this one's.
  rm -f "$work/registry.port"
  node e2e-install/registry.js "$packages_dir" "$work/registry.port" >"$work/registry.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do [ -s "$work/registry.port" ] && break; sleep 0.1; done
  registry="http://127.0.0.1:$(cat "$work/registry.port" 2>/dev/null)"
  curl -sf -o /dev/null "$registry/@clickstream/backstage-plugin-clickstream-common" || {
    echo "the local registry does not answer at $registry; its log:" >&2
    cat "$work/registry.log" >&2
    exit 1
  }

  # The @clickstream scope comes from the local registry; its packages were packed a moment ago,
  # so they are exempt from the age gate.
  node - "$app" "$registry" <<'NODE'
const fs = require('fs');
const [app, registry] = process.argv.slice(2);
let yarnrc = fs.readFileSync(`${app}/.yarnrc.yml`, 'utf8');
yarnrc = yarnrc.replace("  - '@backstage/*'", "  - '@backstage/*'\n  - '@clickstream/*'");
yarnrc += `\nnpmScopes:\n  clickstream:\n    npmRegistryServer: '${registry}'\nunsafeHttpWhitelist: ['127.0.0.1']\n`;
fs.writeFileSync(`${app}/.yarnrc.yml`, yarnrc);
NODE

  step "docs/install.md, followed in the new app"
  CI= node e2e-install/follow-install-guide.js --frontend "$FRONTEND" "$app" docs/install.md \
    plugins/clickstream-backend/README.md \
    plugins/catalog-backend-module-clickstream/README.md \
    plugins/scaffolder-backend-module-clickstream/README.md \
    plugins/clickstream-backend-module-aws/README.md \
    plugins/clickstream/README.md

  # The Software Templates, copied to a place the app's catalog reads (docs/install.md, step 4),
  # registered first in app-config.yaml's catalog locations.
  cp -r templates "$app/clickstream-templates"
  node - "$app" <<'NODE'
const fs = require('fs');
const app = process.argv[2];
const config = fs.readFileSync(`${app}/app-config.yaml`, 'utf8');
const anchor = /^catalog:\n(?:.*\n)*?  locations:\n/m;
if (!anchor.test(config)) throw new Error('app-config.yaml has no catalog.locations');
const entry = [
  '    - type: file',
  `      target: ${app}/clickstream-templates/clickstream-project/template.yaml`,
  '      rules:',
  '        - allow: [Template]',
  '',
].join('\n');
fs.writeFileSync(`${app}/app-config.yaml`, config.replace(anchor, m => m + entry));
NODE
  # This run's ports and a data directory of its own.
  cat >"$app/app-config.local.yaml" <<YAML
app:
  baseUrl: http://localhost:$frontend_port
backend:
  baseUrl: http://localhost:$backend_port
  listen:
    port: $backend_port
  cors:
    origin: http://localhost:$frontend_port
clickstream:
  dataDirectory: $work/clickstream-data
YAML
}
# Here, or by an earlier --install run.
if [ -f "$app/.installed" ]; then
  step "the guide an earlier run followed"
else
  follow_install_guide
  touch "$app/.installed"
fi
if [ "$UNTIL" = --install ]; then
  step "installed"
  exit 0
fi
# The app is used from here on: a later run starts over.
rm -f "$app/.prepared" "$app/.installed"

step "the new app type-checks with the added lines (yarn tsc)"
(cd "$app" && yarn tsc)

step "the new app starts (yarn start)"
(cd "$app" && exec setsid yarn start) >"$log" 2>&1 &
pids+=($!)
ready=0
for _ in $(seq 1 300); do
  if curl -sf -o /dev/null "http://localhost:$backend_port/.backstage/health/v1/readiness" &&
    curl -sf -o /dev/null "http://localhost:$frontend_port"; then
    ready=1
    break
  fi
  sleep 1
done
if [ "$ready" != 1 ]; then
  echo "the new app did not start; the end of its log ($log):" >&2
  tail -n 60 "$log" >&2
  exit 1
fi

step "in headless Chromium: the Clickstream page and a project's entity page"
ADOPTER_FRONTEND="$FRONTEND" BACKSTAGE_BACKEND_URL="http://localhost:$backend_port" \
  ADOPTER_APP_URL="http://localhost:$frontend_port" yarn playwright test -c e2e-install/playwright.config.ts
step "done"
