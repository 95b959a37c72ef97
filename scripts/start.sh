#!/usr/bin/env bash
# Command 1: set everything up, then start Backstage with the embedded Clickstream pipeline.
# Frontend on http://localhost:3000, backend on http://localhost:7007. Stop with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bootstrap.sh
mkdir -p .data/sqlite
exec yarn start "$@"
