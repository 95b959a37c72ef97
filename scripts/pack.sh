#!/usr/bin/env bash
# Builds and packs every publishable package as it would be published, into dist-packages/,
# then checks each tarball: built entry points and types, its config schema and migrations,
# no sources, no private flag, no workspace-only version ranges.
# Run after the type check (the declarations come from dist-types/): scripts/test.sh does.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bootstrap.sh

out="$PWD/dist-packages"
rm -rf "$out" && mkdir -p "$out"
# In dependency order: a package's build reads the declarations of what it depends on.
packages=(
  plugins/clickstream-common
  plugins/clickstream-node
  plugins/clickstream-pipeline
  infra
  plugins/clickstream-backend
  plugins/clickstream-backend-module-aws
  plugins/scaffolder-backend-module-clickstream
  plugins/catalog-backend-module-clickstream
  plugins/clickstream
)
for dir in "${packages[@]}"; do
  (cd "$dir" && yarn backstage-cli package build >/dev/null && yarn pack --out "$out/%s-%v.tgz" >/dev/null)
done
node scripts/check-packages.js "$out" "${packages[@]}"
