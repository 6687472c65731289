#!/bin/sh
# Installs what `make`, `make run` and `make test` need, from Debian's packages.
# With --fuzz: only what `make fuzz` needs on top (clang and its libFuzzer runtime), which
# `make test` does not require.
# As root it runs apt-get; otherwise it prints the exact command and fails.
set -eu
FUZZ_PKGS="clang libclang-rt-14-dev"
PKGS="build-essential pkg-config librdkafka-dev libjansson-dev libcurl4-openssl-dev libutf8proc-dev \
libgumbo-dev libxxhash-dev libexttextcat-dev libexttextcat-data libcmocka-dev libmicrohttpd-dev kcat python3-confluent-kafka python3-jsonschema \
docker-compose valgrind curl"
[ "${1:-}" = --fuzz ] && PKGS="$FUZZ_PKGS"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "install-deps: missing Debian packages:$missing"
if [ "$(id -u)" = 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends $missing
else
    echo "install-deps: run as root:  sudo apt-get install -y$missing" >&2
    exit 1
fi
