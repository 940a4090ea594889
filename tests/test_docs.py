"""The prose against the one home of each fact it repeats: a test here fails when the two disagree.

The README and docs/ say which TensorFlow releases are tested, which GPU
images are built, the float math's alpha range and the version; each has one
home in code, and a reader should never meet an older copy.
"""

import os
import re
import sys

from support import ROOT

sys.path.insert(0, os.path.join(ROOT, "build_tools"))
import cuda_images  # noqa: E402
import tensorflow_range  # noqa: E402


def _read(relative_path: str) -> str:
    with open(os.path.join(ROOT, relative_path), encoding="utf-8") as f:
        return f.read()


def _series(version: str) -> str:
    return ".".join(version.split(".")[:2])


def test_readme_compatibility_table_lists_the_tested_releases():
    rows = re.findall(r"^\| (\d+\.\d+\.\d+)[^|]*\|", _read("README.md"), flags=re.MULTILINE)
    assert tuple(rows) == tensorflow_range.TESTED


def test_readme_states_the_tested_range():
    first, last = _series(tensorflow_range.TESTED[0]), _series(tensorflow_range.TESTED[-1])
    readme = _read("README.md")
    assert f"TF {first} – {last}" in readme
    assert f"oldest tested TF ({first})" in readme


def test_readme_names_every_built_gpu_image():
    arches = [f"sm_{arch}" for arch in cuda_images.CUBIN_ARCHES]
    listed = ", ".join(arches[:-1]) + " and " + arches[-1]
    readme = _read("README.md")
    assert listed in readme
    assert f"compute_{cuda_images.PTX_ARCH} PTX" in readme
    assert f"{cuda_images.CUBIN_MIN_DRIVER_RELEASE}+" in readme


def test_design_states_the_float_math_alpha_range():
    from keras_elu._loader import FLOAT_FMA_ALPHA_RANGE  # noqa: PLC0415  (loads the library)

    low, end = re.search(r"\[2\^−(\d+), 2\^(\d+)\)", _read("docs/design.md")).groups()
    assert FLOAT_FMA_ALPHA_RANGE == (2.0 ** -int(low), 2.0 ** int(end))


def test_changelog_leads_with_the_package_version():
    version = re.search(r'^version = "([^"]+)"', _read("pyproject.toml"), flags=re.MULTILINE).group(1)
    assert re.search(r"^## (\S+)", _read("CHANGELOG.md"), flags=re.MULTILINE).group(1) == version
