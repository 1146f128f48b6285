#!/usr/bin/env bash
# Installs what `make bench` needs from Debian's packages when it is missing: wrk, the HTTP load
# generator bench/catalog.py measures with. Without it (no apt rights) the bench falls back to
# a slower Python load generator and says so.
set -euo pipefail

command -v wrk >/dev/null 2>&1 && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "Installing wrk from Debian's packages..."
if ! { $SUDO apt-get update -qq && \
       DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends wrk \
       >/dev/null; }; then
    echo "Could not install wrk: bench/catalog.py will use its Python load generator." >&2
fi
exit 0
