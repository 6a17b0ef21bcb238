#!/usr/bin/env bash
# Install everything the course and its grading tool need into .venv, from requirements.txt.
# Safe to run again: it reinstalls only when requirements.txt or pyproject.toml changed.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! python3 -c "import ensurepip, venv" 2>/dev/null; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "setup: python3 cannot create virtual environments; install python3-venv (sudo apt-get install python3-venv)" >&2
        exit 1
    fi
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
fi

# The grader runs every submission in a bubblewrap sandbox.
if ! command -v bwrap >/dev/null; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "setup: bubblewrap is missing; install it (sudo apt-get install bubblewrap) or grade with --no-sandbox" >&2
    else
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap >/dev/null
    fi
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
stamp=.venv/.installed-from
wanted=$(cat requirements.txt pyproject.toml | sha256sum)
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
    echo "$wanted" > "$stamp"
fi
