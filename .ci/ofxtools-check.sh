#!/usr/bin/env bash
# Independent check of `ofxkit convert --to ofx2` with ofxtools (PyPI): creates a virtual
# environment under target/ (reused when present), installs ofxtools, builds ofxkit and runs
# .ci/ofxtools-check.py over the corpora. Needs python3 with venv and pip access to PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."

OFXTOOLS_VERSION=1.1.1
venv=target/ofxtools-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import ofxtools, importlib.metadata as m; assert m.version('ofxtools') == '$OFXTOOLS_VERSION'" 2>/dev/null; then
  "$venv/bin/pip" install --quiet --disable-pip-version-check "ofxtools==$OFXTOOLS_VERSION"
fi
cargo build -q --locked -p ofxkit-cli
"$venv/bin/python" .ci/ofxtools-check.py target/debug/ofxkit
