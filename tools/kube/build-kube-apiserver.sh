#!/usr/bin/env bash
# Builds kube-apiserver v1.20.2 (plus Debian's kubectl 1.20) from Debian bookworm's
# `kubernetes` source package with Debian's Go, fully offline apart from Debian's archive.
#
#   tools/kube/build-kube-apiserver.sh            # prints the binary's path on stdout
#
# The result is cached outside the repository, in $STITCHBOARD_KUBE_CACHE
# (default: ${XDG_CACHE_HOME:-~/.cache}/stitchboard/kube-1.20). A second run with the
# same recipe returns at once. FORCE=1 rebuilds. Needs root (or sudo) for apt-get.
#
# Why each step exists is written beside it; the README's "Test clusters" section has
# the numbers (about 4 minutes and 1.3 GB of RAM on 2 cores, once per machine).
set -euo pipefail

CACHE="${STITCHBOARD_KUBE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/stitchboard/kube-1.20}"
RECIPE="stitchboard-1"
mkdir -p "$CACHE/bin"
BIN="$CACHE/bin/kube-apiserver"
STAMP="$CACHE/bin/recipe"

say() { printf '[kube-build] %s\n' "$*" >&2; }
fail() { say "error: $*"; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if [ -z "${FORCE:-}" ] && [ -x "$BIN" ] && [ -x "$CACHE/bin/kubectl" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$RECIPE" ]; then
  echo "$BIN"
  exit 0
fi

# 1. Debian packages. golang-go is Go 1.19 on bookworm; dpkg-dev gives `apt-get source`;
#    the reflect2 sources replace a vendored copy that crashes under Go >= 1.18 (step 4).
need=()
for pkg in golang-go dpkg-dev golang-github-modern-go-reflect2-dev etcd-server openssl; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || need+=("$pkg")
done
if [ "${#need[@]}" -gt 0 ]; then
  say "apt-get install ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get install -y --no-install-recommends "${need[@]}" >&2 ||
    { as_root apt-get update >&2 && as_root apt-get install -y --no-install-recommends "${need[@]}" >&2; }
fi
export PATH="/usr/lib/go/bin:$PATH"

# 2. The source package. Debian images often lack deb-src lines: derive them from the
#    deb822 .sources entries that point at Debian's archive.
src_known() { apt-cache showsrc kubernetes 2>/dev/null | grep -q '^Package: kubernetes'; }
if [ ! -f "$CACHE/src/kubernetes/.complete" ]; then
  if ! src_known; then
    as_root apt-get update >&2 || true
  fi
  if ! src_known; then
    list=/etc/apt/sources.list.d/stitchboard-deb-src.sources
    say "adding deb-src entries in $list"
    for f in /etc/apt/sources.list.d/*.sources; do
      [ -f "$f" ] && [ "$f" != "$list" ] || continue
      awk 'BEGIN { RS = ""; ORS = "\n\n" }
           /Types:[^\n]*deb/ && !/deb-src/ && /URIs:[^\n]*debian/ { sub(/Types:[^\n]*/, "Types: deb-src"); print }' "$f"
    done | as_root tee "$list" >/dev/null
    as_root apt-get update >&2
    src_known || fail "no source package 'kubernetes' in the configured Debian archive"
  fi
  rm -rf "$CACHE/src"
  mkdir -p "$CACHE/src"
  (cd "$CACHE/src" && apt-get source --download-only kubernetes >&2 &&
    dpkg-source -x "$(ls kubernetes_*.dsc | sort -V | tail -n 1)" kubernetes >&2)
  touch "$CACHE/src/kubernetes/.complete"
fi
SRC="$CACHE/src/kubernetes"
VERSION="$(cd "$SRC" && dpkg-parsechangelog -SVersion)"   # 1.20.5+really1.20.2-1...
UPSTREAM="${VERSION%%-*}"
UPSTREAM="${UPSTREAM##*really}"
[[ "$UPSTREAM" == 1.20.* ]] || fail "expected a 1.20 source package, got $UPSTREAM"

# 3. kubectl 1.20 from Debian's kubernetes-client .deb, unpacked next to the server so an
#    image's own /usr/bin/kubectl is left alone.
if [ ! -x "$CACHE/bin/kubectl" ]; then
  tmp="$(mktemp -d)"
  (cd "$tmp" && apt-get download kubernetes-client >&2 && dpkg-deb -x kubernetes-client_*.deb root)
  mv "$tmp/root/usr/bin/kubectl" "$CACHE/bin/kubectl"
  rm -rf "$tmp"
fi

# 4. reflect2 v1.0.1 (vendored) links reflect.mapiterinit with its pre-Go-1.18 signature:
#    every json-iterator map encode (pretty JSON for curl, YAML) segfaults. 1.0.2 fixes it.
R2="$SRC/vendor/github.com/modern-go/reflect2"
if [ ! -f "$R2/go_above_118.go" ]; then
  rm -f "$R2"/*.go "$R2"/*.s
  cp /usr/share/gocode/src/github.com/modern-go/reflect2/*.go /usr/share/gocode/src/github.com/modern-go/reflect2/*.s "$R2/"
fi

# 5. GOPATH mode, as Kubernetes 1.20's own Makefile builds; vendor/ is used implicitly and
#    GOPROXY=off guarantees nothing is downloaded.
GOPATH_DIR="$CACHE/gopath"
mkdir -p "$GOPATH_DIR/src/k8s.io"
ln -sfn "$SRC" "$GOPATH_DIR/src/k8s.io/kubernetes"
in_gopath() {
  (cd "$GOPATH_DIR/src/k8s.io/kubernetes" &&
    GO111MODULE=off GOPATH="$GOPATH_DIR" GOCACHE="$CACHE/go-build" GOFLAGS= GOPROXY=off CGO_ENABLED=0 "$@")
}

# 6. The OpenAPI definitions are generated code that Debian's clean rule deletes; without
#    them the build stops at `undefined: openapi.GetOpenAPIDefinitions`.
OPENAPI="$SRC/pkg/generated/openapi/zz_generated.openapi.go"
if [ ! -s "$OPENAPI" ]; then
  say "generating OpenAPI definitions"
  in_gopath go build -o "$GOPATH_DIR/bin/openapi-gen" ./vendor/k8s.io/kube-openapi/cmd/openapi-gen
  pkgs="$(cd "$SRC" && grep -rl --include='*.go' --exclude-dir=vendor --exclude-dir=debian --exclude-dir='_*' \
      -e '+k8s:openapi-gen=' . |
    sed -e 's|^\./staging/src|vendor|' -e 's|^\./||' |
    grep -v -E '^vendor/k8s.io/(code-generator|sample-apiserver)/' |
    xargs -n1 dirname | LC_ALL=C sort -u | sed 's|^|k8s.io/kubernetes/|' | paste -sd, -)"
  [ -n "$pkgs" ] || fail "found no packages tagged +k8s:openapi-gen"
  in_gopath "$GOPATH_DIR/bin/openapi-gen" --logtostderr -i "$pkgs" \
    -p k8s.io/kubernetes/pkg/generated/openapi -O zz_generated.openapi \
    -h vendor/k8s.io/code-generator/hack/boilerplate.go.txt -r "$CACHE/openapi-violations.txt" >&2
fi

# 7. Build, stamping the version so /version says v1.20.2.
flags="-s -w"
for pkg in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
  flags+=" -X k8s.io/kubernetes/vendor/$pkg.gitVersion=v$UPSTREAM"
  flags+=" -X k8s.io/kubernetes/vendor/$pkg.gitMajor=1 -X k8s.io/kubernetes/vendor/$pkg.gitMinor=20"
  flags+=" -X k8s.io/kubernetes/vendor/$pkg.gitTreeState=archive"
done
say "compiling kube-apiserver v$UPSTREAM (several minutes on 2 cores)"
started=$SECONDS
in_gopath go build -trimpath -tags 'selinux notest' -ldflags "$flags" -o "$BIN.partial" ./cmd/kube-apiserver
mv -f "$BIN.partial" "$BIN"
echo "$RECIPE" > "$STAMP"
say "built in $((SECONDS - started)) s"
echo "$BIN"
