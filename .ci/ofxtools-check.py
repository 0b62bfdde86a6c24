#!/usr/bin/env python3
"""Independent check of ofxkit's OFX 2 writer with ofxtools (a Python OFX library).

For every corpus file with transactions (`corpus/`, and the `ok` and `recover` files of
`../shared/corpus` when present), writes it with `ofxkit convert FILE --to ofx2`, parses the
output with ofxtools, and compares each statement's transactions (FITID, amount, date as an
instant; a date without an offset is UTC, as OFX says) with ofxkit's own
`convert --to ndjson` rows of the source. Files the writer refuses are counted (the Rust
test `write_roundtrip` lists them with their reasons). A file where ofxtools disagrees or
cannot parse the output must be listed, with why, in `.ci/ofxtools-known.tsv`; a line there
that no longer matches fails too.

Usage: ofxtools-check.py OFXKIT_BINARY
"""

import datetime
import decimal
import io
import json
import os
import subprocess
import sys
import warnings

from ofxtools.Parser import OFXTree

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SKIP_EXT = {".json", ".csv", ".golden", ".md", ".tsv", ".dtd", ".txt"}


def inputs():
    files = []
    for dirpath, _, names in os.walk(os.path.join(ROOT, "corpus")):
        for n in names:
            if os.path.splitext(n)[1] not in SKIP_EXT:
                path = os.path.join(dirpath, n)
                files.append((os.path.relpath(path, ROOT), path))
    shared = os.path.join(ROOT, "..", "shared", "corpus")
    manifest = os.path.join(shared, "MANIFEST.tsv")
    if os.path.isfile(manifest):
        with open(manifest, encoding="utf-8") as f:
            for row in list(f)[1:]:
                cols = row.rstrip("\n").split("\t")
                if len(cols) > 8 and cols[8] in ("ok", "recover"):
                    files.append(("shared:" + cols[7], os.path.join(shared, cols[7])))
    else:
        print("../shared/corpus is absent: corpus/ only")
    return sorted(files)


def instant(value):
    """An ISO 8601 text or a datetime as an aware UTC datetime (naive means UTC)."""
    if isinstance(value, str):
        if len(value) == 10:
            value = value + "T00:00:00"
        value = datetime.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone.utc)
    return value.astimezone(datetime.timezone.utc)


def ofxkit_rows(binary, path):
    out = subprocess.run([binary, "convert", "--to", "ndjson", path], capture_output=True)
    rows = []
    for line in out.stdout.decode("utf-8").splitlines():
        r = json.loads(line)
        if r.get("amount") is None or r.get("date_posted") is None:
            continue
        rows.append((r.get("fitid"), decimal.Decimal(r["amount"]), instant(r["date_posted"])))
    return sorted(rows, key=repr)


def ofxtools_rows(data):
    tree = OFXTree()
    tree.parse(io.BytesIO(data))
    ofx = tree.convert()
    rows = []
    # ofxtools' models look attributes up in their sub-aggregates (`t.total` of a BUYSTOCK
    # is its INVBUY's), and an absent one raises: ask by class name.
    for stmt in ofx.statements:
        kind = type(stmt).__name__
        if kind in ("STMTRS", "CCSTMTRS") and stmt.banktranlist is not None:
            for t in stmt.banktranlist:
                rows.append((t.fitid, t.trnamt, instant(t.dtposted)))
        if kind == "INVSTMTRS" and stmt.invtranlist is not None:
            for t in stmt.invtranlist:
                if type(t).__name__ == "INVBANKTRAN":
                    s = t.stmttrn
                    rows.append((s.fitid, s.trnamt, instant(s.dtposted)))
                    continue
                try:
                    total = t.total
                except Exception:
                    continue
                if total is not None:
                    rows.append((t.fitid, total, instant(t.dttrade)))
    return sorted(rows, key=repr)


def known():
    path = os.path.join(ROOT, ".ci", "ofxtools-known.tsv")
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            cols = line.rstrip("\n").split("\t")
            out[cols[0]] = cols[1]
    return out


def main():
    binary = sys.argv[1]
    expected = known()
    used = set()
    failures = []
    counts = {"files compared": 0, "transactions compared": 0, "refused by the writer": 0,
              "known": 0}
    warnings.simplefilter("ignore")
    for name, path in inputs():
        rows = ofxkit_rows(binary, path)
        if not rows:
            continue
        written = subprocess.run([binary, "convert", path, "--to", "ofx2"], capture_output=True)
        if written.returncode != 0 and not written.stdout:
            counts["refused by the writer"] += 1
            continue
        problem = None
        try:
            theirs = ofxtools_rows(written.stdout)
            if theirs != rows:
                mine = set(rows)
                other = set(theirs)
                problem = "differ: ofxkit only %s; ofxtools only %s" % (
                    sorted(mine - other, key=repr)[:3], sorted(other - mine, key=repr)[:3])
        except Exception as e:  # ofxtools refuses the file: reported below
            problem = "ofxtools cannot parse it: %s: %s" % (type(e).__name__, str(e)[:200])
        if problem is None:
            counts["files compared"] += 1
            counts["transactions compared"] += len(rows)
        elif name in expected:
            used.add(name)
            counts["known"] += 1
        else:
            failures.append("%s: %s" % (name, problem))
    for name in sorted(set(expected) - used):
        failures.append("%s: listed in .ci/ofxtools-known.tsv but no longer disagrees" % name)
    print(", ".join("%s: %d" % kv for kv in counts.items()))
    if failures:
        print("\n".join(failures))
        sys.exit(1)
    if counts["files compared"] < 20:
        print("too few files compared")
        sys.exit(1)


if __name__ == "__main__":
    main()
