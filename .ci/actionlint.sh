#!/usr/bin/env bash
# Builds actionlint (the GitHub Actions workflow linter, github.com/rhysd/actionlint) from the Go
# module proxy into
#   ${SQSD_WORKER_CACHE:-$HOME/.cache/sqsd-worker}/actionlint-<version>/actionlint
# only when absent, and prints the binary's path on its last line. The workflows' `run:` scripts
# are checked too when shellcheck is on PATH: when it is missing and apt-get can be used (root),
# this installs Debian's `shellcheck` package; otherwise actionlint runs without it (set
# SQSD_WORKER_NO_SHELLCHECK=1 to skip the install).
# test/packaging/workflows.test.ts runs the binary (env ACTIONLINT) on .github/workflows/*.yml.
# Cold: ~30-45 s on 2 CPUs (empty Go caches); warm: ~0 s.
set -euo pipefail
VERSION=1.7.12
DIR="${SQSD_WORKER_CACHE:-$HOME/.cache/sqsd-worker}/actionlint-$VERSION"
BIN="$DIR/actionlint"

if [ ! -x "$BIN" ]; then
  command -v go >/dev/null || { echo "actionlint: go is needed to build it" >&2; exit 1; }
  echo "building actionlint $VERSION into $DIR" >&2
  t=$(date +%s)
  mkdir -p "$DIR"
  tmp=$(mktemp -d "$DIR/.build.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  # `go install module@version` ignores any go.mod around it; the binary records its version.
  (cd "$tmp" && GOBIN="$tmp" GOFLAGS="${GOFLAGS:+$GOFLAGS }-trimpath -buildvcs=false" \
    go install "github.com/rhysd/actionlint/cmd/actionlint@v$VERSION")
  mv "$tmp/actionlint" "$BIN"
  echo "built actionlint in $(( $(date +%s) - t )) s" >&2
fi

if ! command -v shellcheck >/dev/null && [ -z "${SQSD_WORKER_NO_SHELLCHECK:-}" ]; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "shellcheck missing: installing Debian's shellcheck package" >&2
    { DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck >/dev/null; } >&2 ||
      echo "WARNING: shellcheck install failed: actionlint runs without it" >&2
  else
    echo "WARNING: no shellcheck on PATH: actionlint does not check run: scripts" >&2
  fi
fi

"$BIN" -version >&2
echo "$BIN"
