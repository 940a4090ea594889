#!/usr/bin/env bash
# The README's test command: set up (idempotent), then run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
"${KERAS_ELU_VENV:-.venv}/bin/python" -m pytest -ra "$@"
