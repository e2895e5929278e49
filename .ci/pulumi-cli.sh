#!/usr/bin/env bash
# Builds the pulumi CLI and tools/pulumi-cli/sdkgen from their Go modules (module proxy only:
# the CLI's release binaries cannot be downloaded here) into
#   ${SQSD_WORKER_CACHE:-$HOME/.cache/sqsd-worker}/pulumi-<version>/bin
# only when absent, and prints that folder on its last line. <version> is the
# github.com/pulumi/pulumi/pkg/v3 version required by tools/pulumi-cli/go.mod (keep it equal to
# @pulumi/pulumi in package.json). Cold: ~16 min on 2 CPUs (mostly the CLI); warm: ~0 s.
set -euo pipefail
cd "$(dirname "$0")/../tools/pulumi-cli"
VERSION=$(awk '{ for (i = 1; i < NF; i++) if ($i == "github.com/pulumi/pulumi/pkg/v3") { v = $(i + 1); sub(/^v/, "", v); print v; exit } }' go.mod)
[ -n "$VERSION" ] || { echo "no github.com/pulumi/pulumi/pkg/v3 in tools/pulumi-cli/go.mod" >&2; exit 1; }
BIN="${SQSD_WORKER_CACHE:-$HOME/.cache/sqsd-worker}/pulumi-$VERSION/bin"
SUM=$(cat go.mod go.sum sdkgen/*.go | sha256sum | cut -c1-16)
mkdir -p "$BIN"
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-trimpath -buildvcs=false"
if [ ! -x "$BIN/pulumi" ]; then
  echo "building pulumi $VERSION (cold: ~16 min) into $BIN" >&2
  t=$(date +%s)
  go build -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$VERSION" \
    -o "$BIN/pulumi.tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
  mv "$BIN/pulumi.tmp" "$BIN/pulumi"
  echo "built pulumi in $(( $(date +%s) - t )) s" >&2
fi
if [ ! -x "$BIN/sqsd-worker-sdkgen" ] || [ "$(cat "$BIN/sdkgen.sum" 2>/dev/null)" != "$SUM" ]; then
  echo "building sqsd-worker-sdkgen into $BIN" >&2
  go build -o "$BIN/sqsd-worker-sdkgen.tmp" ./sdkgen
  mv "$BIN/sqsd-worker-sdkgen.tmp" "$BIN/sqsd-worker-sdkgen"
  echo "$SUM" > "$BIN/sdkgen.sum"
fi
echo "$BIN"
