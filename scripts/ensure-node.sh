#!/usr/bin/env bash
# Node.js and npm build the front-end assets. Install them with apt when
# missing and running as root; otherwise say what to install.
set -euo pipefail
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
  else
    echo "Node.js 20 or later with npm is needed to build the pages' styles: install it and run make again." >&2
    exit 1
  fi
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
  echo "Node.js $(node --version) is too old: install Node.js 20 or later (sass needs it) and run make again." >&2
  exit 1
fi
