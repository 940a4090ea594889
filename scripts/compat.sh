#!/usr/bin/env bash
# Builds keras_elu against each TensorFlow given, in a throwaway virtualenv
# with the Keras 3 release pip installs beside it, runs the core suite there
# (the tests marked `core`),
# and prints a pass/fail table.
#   bash scripts/compat.sh                  # every tested series (newest patch of each)
#   bash scripts/compat.sh 2.16.2 2.18.1    # just these
#   bash scripts/compat.sh --oldest         # the oldest tested series (what CI adds)
# The build happens in a copy of the working tree (git's view: tracked and
# untracked-but-not-ignored files), so the checkout's own build is untouched.
#   KERAS_ELU_COMPAT_DIR  where venvs, copies and logs go (default: a new temp dir)
#   PYTHON                the interpreter that creates the venvs (default: python3)
set -uo pipefail
cd "$(dirname "$0")/.."
# The tested range, oldest first, from its one home (setup.py derives the sdist's requirement from it).
read -r -a tested <<< "$(python3 build_tools/tensorflow_range.py)"
versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=("${tested[@]}")
[ "${versions[*]}" = "--oldest" ] && versions=("${tested[0]}")
work=${KERAS_ELU_COMPAT_DIR:-$(mktemp -d /tmp/keras_elu_compat.XXXXXX)}
python=${PYTHON:-python3}
# The core suite: the tests marked `core` (pyproject.toml). Only the files that
# use the marker are collected, since the venvs lack the examples' extras.
mapfile -t core < <(grep -l "pytest\.mark\.core" tests/test_*.py)

rows=() failed=0
for version in "${versions[@]}"; do
  dir=$work/tf-$version
  rm -rf "$dir" && mkdir -p "$dir/src"
  git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$dir/src"
  echo "compat: TensorFlow $version in $dir" >&2
  stage=install
  if "$python" -m venv "$dir/venv" &&
     "$dir/venv/bin/pip" install -q "tensorflow==$version" pytest setuptools wheel \
       -r "$dir/src/requirements-cuda.txt" >"$dir/install.log" 2>&1; then
    stage=build
    if (cd "$dir/src" && ../venv/bin/pip install -q --no-build-isolation --no-deps -e .) >"$dir/build.log" 2>&1; then
      stage=tests
      (cd "$dir/src" && ../venv/bin/python -m pytest -q -p no:cacheprovider -m core "${core[@]}") >"$dir/tests.log" 2>&1 && stage=ok
    fi
  fi
  keras=$("$dir/venv/bin/python" -c "import keras; print(keras.__version__)" 2>/dev/null || echo "?")
  summary=$(grep -E "^=*ok|[0-9]+ (passed|failed)" "$dir/tests.log" 2>/dev/null | tail -1 | tr -d '=' |
            sed -E 's/,? [0-9]+ warnings?//; s/ in [0-9.]+s.*//' | xargs)
  case $stage in
    ok) rows+=("| $version | $keras | ok | ${summary:-?} |") ;;
    tests) rows+=("| $version | $keras | ok | FAILED: ${summary:-see $dir/tests.log} |"); failed=1 ;;
    *) rows+=("| $version | $keras | FAILED at $stage (see $dir/$stage.log) | — |"); failed=1 ;;
  esac
  [ "$stage" = ok ] && rm -rf "$dir/venv"  # ~3 GB each; kept on failure for a look
done

echo
echo "| TensorFlow | Keras | build | core suite |"
echo "|---|---|---|---|"
printf '%s\n' "${rows[@]}"
passed=$(printf '%s\n' "${rows[@]}" | grep -c "| ok | [0-9]* passed" || true)
echo
echo "compat: $passed passed, $((${#versions[@]} - passed)) failed"
exit $failed
