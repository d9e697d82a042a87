#!/usr/bin/env bash
# Make sure a headless Chromium is on this machine, for the report's screenshot test.
#
# Why a script: the report test renders the deal report in a real browser and checks the
# picture. CI machines start clean, so the project installs the browser itself (Debian's
# `chromium` package; no browser download from elsewhere is possible here). Without root or
# apt-get it only says so and exits 0: the test then skips with that reason.
set -euo pipefail

find_chromium() {
    local name
    for name in chromium chromium-browser google-chrome-stable google-chrome; do
        if command -v "$name" >/dev/null 2>&1; then
            command -v "$name"
            return 0
        fi
    done
    return 1
}

if path="$(find_chromium)"; then
    echo "chromium: $path"
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "chromium: not installed and apt-get is not available; the report screenshot test will skip" >&2
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo -n"
    else
        echo "chromium: not installed and not root (no passwordless sudo); the report screenshot test will skip" >&2
        exit 0
    fi
fi

echo "chromium: installing Debian package 'chromium' with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
# bounded: a hung mirror must not hang the test run
if ! timeout 300 $SUDO apt-get update -qq >/dev/null 2>&1; then
    echo "chromium: apt-get update failed; trying to install from the cached package lists" >&2
fi
if ! timeout 600 $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null; then
    echo "chromium: apt-get install chromium failed; the report screenshot test will skip" >&2
    exit 0
fi

if path="$(find_chromium)"; then
    echo "chromium: $path"
else
    echo "chromium: installed but not on PATH; the report screenshot test will skip" >&2
fi
