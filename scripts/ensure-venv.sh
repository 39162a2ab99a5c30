#!/usr/bin/env bash
# Create the virtualenv with Python 3.11, installing venv support with apt
# when it is missing and running as root.
set -euo pipefail
python=${1:-python3.11}
venv=${2:-.venv}
[ -x "$venv/bin/python" ] && exit 0
if ! command -v "$python" >/dev/null; then
  echo "Python 3.11 is needed ($python not found): install it and run make again." >&2
  exit 1
fi
if ! "$python" -m venv "$venv" 2>/dev/null; then
  rm -rf "$venv"
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    "$python" -m venv "$venv"
  else
    echo "$python cannot create a virtualenv: install its venv module (e.g. apt-get install python3-venv) and run make again." >&2
    exit 1
  fi
fi
