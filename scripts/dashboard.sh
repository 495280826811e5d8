#!/usr/bin/env bash
# Sets up .venv and opens the dashboard on the seed articles (the database is built on first run).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup_env.sh requirements.txt
exec .venv/bin/streamlit run app.py "$@"
