#!/usr/bin/env bash
# Builds a keras_elu wheel against the TensorFlow in the development venv and
# checks it as a user would receive it: its metadata pins that TF series, and
# it installs with no compiler (binaries only) into a clean venv holding the
# same series, where scripts/smoke_test.py passes from outside the source tree.
#   bash scripts/build_wheel.sh [DIST_DIR]      (default: dist)
#   KERAS_ELU_VENV  the venv whose TensorFlow the wheel is built against (default: .venv)
#   PYTHON          the interpreter that creates the clean venv (default: python3)
set -euo pipefail
cd "$(dirname "$0")/.."
source_dir=$(pwd)
venv=$(cd "${KERAS_ELU_VENV:-.venv}" && pwd)
dist=$(mkdir -p "${1:-dist}" && cd "${1:-dist}" && pwd)
python=${PYTHON:-python3}

"$venv/bin/pip" wheel -q --no-build-isolation --no-deps -w "$dist" .
wheel=$(ls -t "$dist"/keras_elu-*.whl | head -1)
series=$("$venv/bin/python" -c "import tensorflow as tf; print('.'.join(tf.__version__.split('.')[:2]))")
pin=$("$venv/bin/python" - "$wheel" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as wheel:
    metadata = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
    print(next((l for l in wheel.read(metadata).decode().splitlines()
                if l.startswith("Requires-Dist: tensorflow")), ""))
PY
)
echo "build_wheel: $wheel, built against TensorFlow $series; $pin"
major=${series%.*} minor=${series#*.}
[ "$pin" = "Requires-Dist: tensorflow<$major.$((minor + 1)),>=$series" ] ||
  { echo "build_wheel: the wheel must pin tensorflow $series.*; it says: ${pin:-nothing}" >&2; exit 1; }

clean=$(mktemp -d /tmp/keras_elu_wheel.XXXXXX)
trap 'rm -rf "$clean"' EXIT
"$python" -m venv "$clean/venv"
# CC/CXX=false: anything that tried to compile would fail loudly.
CC=false CXX=false "$clean/venv/bin/pip" install -q --only-binary=:all: "$wheel"
(cd "$clean" && "$clean/venv/bin/python" "$source_dir/scripts/smoke_test.py")
echo "build_wheel: ok"
