"""The TensorFlow releases keras_elu is built and tested against: the one home of that fact.

setup.py derives the sdist's requirement from it, scripts/compat.sh runs its
suite against each release (``python build_tools/tensorflow_range.py``
prints them), and tests check the README's table against it.
"""

import sys

# Oldest first: the newest patch of each tested series.
TESTED = ("2.16.2", "2.17.1", "2.18.1", "2.19.1", "2.20.0", "2.21.0")


def _series(version: str) -> tuple[int, int]:
    major, minor = version.split(".")[:2]
    return int(major), int(minor)


def requirement() -> str:
    """The pip requirement for the whole tested range, e.g. tensorflow>=2.16,<2.22."""
    (low_major, low_minor), (high_major, high_minor) = _series(TESTED[0]), _series(TESTED[-1])
    return f"tensorflow>={low_major}.{low_minor},<{high_major}.{high_minor + 1}"


def series_requirement(version: str) -> str:
    """The requirement of a wheel compiled against `version`: its one series."""
    major, minor = _series(version)
    return f"tensorflow>={major}.{minor},<{major}.{minor + 1}"


if __name__ == "__main__":
    print(" ".join(TESTED if sys.argv[1:] != ["--oldest"] else TESTED[:1]))
