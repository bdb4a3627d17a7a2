#!/usr/bin/env bash
# Build the HTML documentation into docs/_build/html, with every Sphinx
# warning an error. The gallery is rendered without running the examples;
# SKGAN_DOCS_RUN_GALLERY=1 bash docs/build.sh runs them (minutes on a CPU).
# Extra arguments go to Sphinx, e.g. bash docs/build.sh -E for a clean build.
set -euo pipefail
cd "$(dirname "$0")/.."
python -m sphinx -b html -W --keep-going docs docs/_build/html "$@"
