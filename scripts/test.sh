#!/usr/bin/env bash
# The README's test command (what CI runs): set up (idempotent), run the whole
# suite on the pinned TensorFlow, then build and run the core suite against
# the oldest TensorFlow of the tested range in a throwaway venv
# (scripts/compat.sh --oldest; KERAS_ELU_COMPAT=0 skips that step).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
"${KERAS_ELU_VENV:-.venv}/bin/python" -m pytest -ra "$@"
if [ "${KERAS_ELU_COMPAT:-1}" != 0 ]; then
  bash scripts/compat.sh --oldest
fi
