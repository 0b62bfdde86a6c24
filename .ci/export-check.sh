#!/usr/bin/env bash
# Independent checks of `ofxkit convert --to beancount|ledger|qif|parquet` with the real
# tools: beancount (bean-check's loader), quiffen, DuckDB and pyarrow from PyPI in a virtual
# environment under target/ (reused when present), and hledger (Debian's package; .ci/run
# installs it when missing). Runs .ci/export-check.py over both corpora.
# Needs python3 with venv and pip access to PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=target/export-venv
packages=(beancount==3.2.3 quiffen==4.0.1 duckdb==2.0.1 pyarrow==26.0.1)
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
if ! "$venv/bin/python" - "${packages[@]}" <<'PY' 2>/dev/null
import sys, importlib.metadata as m
for spec in sys.argv[1:]:
    name, version = spec.split("==")
    assert m.version(name) == version, spec
PY
then
  "$venv/bin/pip" install --quiet --disable-pip-version-check "${packages[@]}"
fi
command -v hledger >/dev/null || { echo "hledger is not installed"; exit 1; }
cargo build -q --locked -p ofxkit-cli
only=beancount,ledger,qif
# Parquet when this build has it (the default `parquet` feature).
probe=$(mktemp -d)
if target/debug/ofxkit convert -q corpus/model/ofx2-creditcard.ofx --to parquet -o "$probe/p" 2>/dev/null; then
  only=$only,parquet
fi
rm -rf "$probe"
"$venv/bin/python" .ci/export-check.py target/debug/ofxkit --only "$only"
