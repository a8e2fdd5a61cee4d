#!/bin/bash
# setup-debian.sh - installs, once, every Debian 12 package Orga needs to
# build, run and test (`make`, `make run`, `make test`); used by .ci/run
# and by `make run` / `make test`. Runs apt-get as root (through sudo when
# needed). With --if-missing it does nothing when everything is installed.
set -euo pipefail

# Build and runtime libraries (docs/architecture.md), the local PostgreSQL,
# the SMTP listener of the tests, the browser of the browser tests (with a
# font, since recommends are not installed), and clang for fuzzing.
PACKAGES=(
	build-essential pkg-config libnng-dev libexpat1-dev libprotobuf-c-dev
	protobuf-c-compiler libpq-dev libcurl4-openssl-dev libmicrohttpd-dev
	libarchive-dev libsodium-dev liblasso3-dev libjansson-dev libcmocka-dev
	python3-aiosmtpd zip unzip curl openssl ca-certificates
	postgresql-15 chromium fonts-liberation
	clang-14 libclang-rt-14-dev
)

SUDO=()
if (( EUID != 0 )); then
	command -v sudo >/dev/null ||
		{ echo "setup-debian: run as root (no sudo found)" >&2; exit 1; }
	SUDO=(sudo)
fi

# Node.js 18+ runs the integration and browser tests. Keep one already
# installed (for instance from NodeSource, which bundles npm); otherwise
# take Debian's.
if ! command -v node >/dev/null; then
	PACKAGES+=(nodejs npm)
elif ! command -v npm >/dev/null; then
	PACKAGES+=(npm)
fi

if [[ ${1:-} == --if-missing ]]; then
	missing=0
	for pkg in "${PACKAGES[@]}"; do
		status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
		[[ $status == "install ok installed" ]] || { missing=1; break; }
	done
	(( missing )) || exit 0
	echo "setup-debian: installing the Debian packages Orga needs"
fi

export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -q
"${SUDO[@]}" apt-get install -y -q --no-install-recommends "${PACKAGES[@]}"
