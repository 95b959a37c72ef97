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
# Each build reads its own declarations from dist-types/ (not its dependencies' dist/), so the
# packages build and pack two at a time: most of a `yarn pack` is yarn loading the project.
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
printf '%s\n' "${packages[@]}" | OUT="$out" xargs -P 2 -I {} sh -c \
  'cd "{}" && yarn backstage-cli package build >/dev/null && yarn pack --out "$OUT/%s-%v.tgz" >/dev/null' ||
  { echo "pack.sh: a package did not build or pack (its errors are above)" >&2 && exit 1; }
node scripts/check-packages.js "$out" "${packages[@]}"
# Every tarball is packed and checked: CI's install tests wait for this mark to start.
touch "$out/.complete"
