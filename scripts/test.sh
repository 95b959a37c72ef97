#!/usr/bin/env bash
# Command 2: set everything up, then run the whole check: type check, API reports, lint,
# formatting, the packed packages, and every unit and integration test (one Jest run over all packages).
# Extra arguments go to Jest, for example: scripts/test.sh plugins/clickstream-node
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bootstrap.sh

started=$(date +%s)
step() { printf '\n== %s (%ss)\n' "$*" "$(($(date +%s) - started))" >&2; }

# The type check runs on one core: lint and formatting run beside it, their output shown after.
logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
yarn lint:all >"$logs/lint" 2>&1 &
lint_pid=$!
yarn prettier:check >"$logs/prettier" 2>&1 &
prettier_pid=$!
shown() { if wait "$1"; then cat "$2"; else cat "$2" && return 1; fi; }

step "type check (tsc)"
yarn tsc:full

step "API reports (report.api.md): an unplanned change of a package's API fails here"
# After an intended change: yarn build:api-reports, and commit the reports.
yarn build:api-reports:only --ci

step "lint (run beside the type check)"
shown "$lint_pid" "$logs/lint"

step "formatting (prettier, run beside the type check)"
shown "$prettier_pid" "$logs/prettier"

step "packages as they would be published (build, pack, check each tarball)"
BOOTSTRAP_SKIP_INSTALL=1 bash scripts/pack.sh

step "unit and integration tests (jest), on SQLite and PostgreSQL"
. scripts/postgres.sh
# CI=true turns off watch mode; the JSON report lets .ci/run count results.
mkdir -p .ci/output
CI=true yarn test --json --outputFile="$PWD/.ci/output/jest.json" "$@"
step "done"
