#!/usr/bin/env bash
# Sets up .venv with the dev requirements, installs Debian's chromium for the browser tests if it is
# missing, then runs ruff and the whole test suite (browser tests included).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup_env.sh requirements-dev.txt
if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi
.venv/bin/ruff check .
.venv/bin/python -m pytest -q --timeout=600 "$@"
