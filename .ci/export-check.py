#!/usr/bin/env python3
"""Independent checks of `ofxkit convert --to beancount|ledger|qif|parquet`.

For every statement file of both corpora (`corpus/` and `../shared/corpus`, or the
directories given with --corpus):

- beancount: the output loads in beancount (the library bean-check runs) with no error, and
  each bank, card and investment-cash account's balance (opening balances left out) equals
  the sum of ofxkit's own CSV rows for that account, to the cent and beyond (exactly);
- ledger: `hledger check` accepts it and `hledger balance` gives the same sums;
- ledger export: downloads imported into a ledger (one of them correcting earlier ones) and
  exported with `ofxkit ledger export --to beancount|ledger` load in beancount and pass
  `hledger check`, balance assertions from the ledger balances kept included;
- qif: quiffen reads it back, and its dates and amounts are those of the CSV rows;
- parquet: DuckDB and pyarrow read the files; `SELECT sum(amount)` per account equals the
  CSV sums exactly; the columns have the types stated; and a dataset partitioned by account,
  of every file of both corpora, reads as one table with every row.

The CSV sums are worked out here, independently of ofxkit's writers: rows without a date
are left out (and bank rows without an amount), corrections applied (a REPLACE removes the
row it names, a DELETE removes it and itself), a FITID seen before in the same account left
out, and reinvested income (`REINVEST`) kept out of the cash.

Usage: export-check.py OFXKIT [--only beancount,ledger,qif,parquet] [--corpus DIR]...
Exit status 0 when every check passed, 1 otherwise.
"""

import argparse
import csv
import datetime
import decimal
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from decimal import Decimal

EXTENSIONS = (".ofx", ".qfx", ".qbo", ".ofc")
INVEST_KINDS = {
    "INCOME", "REINVEST", "TRANSFER", "INVEXPENSE", "MARGININTEREST", "SPLIT", "JRNLSEC",
    "JRNLFUND", "RETOFCAP", "CLOSUREOPT",
}


def is_invest(kind):
    return kind.startswith("BUY") or kind.startswith("SELL") or kind in INVEST_KINDS


def component(text):
    """ofxkit's account component: letters, digits and - kept, others as -, X in front."""
    out = "".join(c if (c.isascii() and c.isalnum()) or c == "-" or (not c.isascii() and c.isalnum()) else "-" for c in text)
    if not out:
        return "Unknown"
    if not (out[0].isascii() and (out[0].isupper() or out[0].isdigit())):
        out = "X" + out
    return out


def account_name(kind, account_id):
    prefix = {
        "bank": "Assets:Bank",
        "credit_card": "Liabilities:CreditCard",
        "investment": "Assets:Investment",
        "loan": "Liabilities:Loan",
    }[kind]
    name = prefix + ":" + component(account_id)
    return name + ":Cash" if kind == "investment" else name


def expected_rows(ofxkit, path):
    """The CSV rows ofxkit writes, with corrections and duplicates applied here."""
    run = subprocess.run(
        [ofxkit, "convert", "-q", path, "--to", "csv", "--what", "transactions"],
        capture_output=True,
    )
    if run.returncode == 2:
        raise RuntimeError(run.stderr.decode(errors="replace"))
    rows = list(csv.DictReader(io.StringIO(run.stdout.decode("utf-8"))))
    # A statement without an account: its kind from the statement rows.
    kinds = {}
    if any(not r["account_kind"] for r in rows):
        st = subprocess.run(
            [ofxkit, "convert", "-q", path, "--to", "csv", "--what", "statements"],
            capture_output=True,
        )
        for s in csv.DictReader(io.StringIO(st.stdout.decode("utf-8"))):
            kinds[s["statement"]] = s["kind"]
    for r in rows:
        if not r["account_kind"]:
            r["account_kind"] = kinds.get(r["statement"], "bank")
    kept = []
    by_fitid = {}
    seen = set()
    for r in rows:
        if not r["date"]:
            continue
        invest = is_invest(r["type"])
        if not r["amount"] and not invest:
            continue
        key = (r["account_kind"], r["account_id"], r["currency"])
        action, target = r["correct_action"], r["correct_fitid"]
        if action in ("REPLACE", "DELETE") and target:
            at = by_fitid.pop((key, target), None)
            if at is not None:
                kept[at] = None
            if action == "DELETE":
                continue
        if r["fitid"]:
            if (key, r["fitid"]) in seen:
                continue
            seen.add((key, r["fitid"]))
            by_fitid[(key, r["fitid"])] = len(kept)
        kept.append(r)
    return [r for r in kept if r is not None]


def cash_sums(rows):
    sums = defaultdict(Decimal)
    for r in rows:
        if r["type"] == "REINVEST":
            continue
        currency = r["currency"] or "XXX"
        sums[(account_name(r["account_kind"], r["account_id"]), currency)] += Decimal(r["amount"] or "0")
    return dict(sums)


def convert(ofxkit, path, to, out, *extra):
    run = subprocess.run(
        [ofxkit, "convert", "-q", path, "--to", to, "-o", out, *extra], capture_output=True
    )
    if run.returncode == 2:
        raise RuntimeError(run.stderr.decode(errors="replace"))


def cash_accounts(expected):
    return {a for (a, _c) in expected}


def compare(label, path, expected, got, failures):
    accounts = cash_accounts(expected)
    got = {k: v for k, v in got.items() if k[0] in accounts}
    want = {k: v for k, v in expected.items()}
    keys = set(want) | set(got)
    bad = [(k, want.get(k, Decimal(0)), got.get(k, Decimal(0))) for k in sorted(keys)
           if want.get(k, Decimal(0)) != got.get(k, Decimal(0))]
    if bad:
        failures.append(f"{label} {path}: balances differ: " + "; ".join(
            f"{a} {c}: ofxkit {w}, {label} {g}" for (a, c), w, g in bad[:4]))


def check_beancount(ofxkit, path, tmp, expected, failures):
    from beancount import loader
    from beancount.core import data

    out = os.path.join(tmp, "out.beancount")
    convert(ofxkit, path, "beancount", out)
    entries, errors, _options = loader.load_file(out)
    if errors:
        failures.append(f"beancount {path}: {len(errors)} error(s): {errors[0].message}")
        return
    got = defaultdict(Decimal)
    for e in entries:
        if not isinstance(e, data.Transaction):
            continue
        if e.payee is None and e.narration == "Opening balance":
            continue
        for p in e.postings:
            got[(p.account, p.units.currency)] += p.units.number
    compare("beancount", path, expected, dict(got), failures)


def check_ledger(ofxkit, path, tmp, expected, failures):
    out = os.path.join(tmp, "out.journal")
    convert(ofxkit, path, "ledger", out)
    run = subprocess.run(["hledger", "-f", out, "check"], capture_output=True)
    if run.returncode != 0:
        failures.append(f"hledger check {path}: {run.stderr.decode(errors='replace').strip()[:300]}")
        return
    run = subprocess.run(
        ["hledger", "-f", out, "balance", "--flat", "--no-total", "--layout=bare", "-O", "csv",
         "not:desc:^Opening balance$"],
        capture_output=True,
    )
    if run.returncode != 0:
        failures.append(f"hledger balance {path}: {run.stderr.decode(errors='replace').strip()[:300]}")
        return
    got = defaultdict(Decimal)
    for row in list(csv.reader(io.StringIO(run.stdout.decode())))[1:]:
        account, commodity, amount = row[0], row[1], row[2]
        amount = amount.replace(commodity, "").replace('"', "").strip()
        if amount:
            got[(account, commodity.strip('"'))] += Decimal(amount)
    compare("hledger", path, expected, dict(got), failures)


def check_qif(ofxkit, path, tmp, rows, failures):
    import quiffen

    out = os.path.join(tmp, "out.qif")
    convert(ofxkit, path, "qif", out, "--qif-date", "ymd")
    if os.path.getsize(out) == 0:
        if rows:
            failures.append(f"qif {path}: empty output for {len(rows)} row(s)")
        return
    try:
        qif = quiffen.Qif.parse(out, day_first=False)
    except Exception as e:  # noqa: BLE001 - any failure to read is the finding
        failures.append(f"qif {path}: quiffen cannot read it: {e}")
        return
    got = []
    for account in qif.accounts.values():
        for kind, txns in account.transactions.items():
            for t in txns:
                amount = t.amount
                got.append((t.date.date().isoformat(), Decimal(str(amount)).copy_abs()))
    want = [(r["date"], Decimal(r["amount"] or "0").copy_abs()) for r in rows]
    if sorted(got) != sorted(want):
        missing = sorted(set(want) - set(got))[:3]
        extra = sorted(set(got) - set(want))[:3]
        failures.append(f"qif {path}: {len(got)} record(s) read, {len(want)} expected; missing {missing} extra {extra}")


PARQUET_TYPES = {
    "amount": "decimal128",
    "date": "date32[day]",
    "date_posted": "timestamp",
    "units": "decimal128",
    "account_id": "dictionary",
}


def check_parquet_file(ofxkit, path, tmp, expected_csv_sums, failures):
    import duckdb
    import pyarrow.parquet as pq

    out = os.path.join(tmp, "pq")
    shutil.rmtree(out, ignore_errors=True)
    convert(ofxkit, path, "parquet", out)
    files = [os.path.join(d, f) for d, _s, fs in os.walk(out) for f in fs if f.endswith(".parquet")]
    if not files:
        if expected_csv_sums:
            failures.append(f"parquet {path}: no file written")
        return
    table = pq.read_table(files[0])
    for column, prefix in PARQUET_TYPES.items():
        if column in table.column_names:
            t = str(table.schema.field(column).type)
            if not t.startswith(prefix):
                failures.append(f"parquet {path}: column {column} is {t}, not {prefix}")
    con = duckdb.connect()
    got = {}
    for kind, account, currency, total in con.execute(
        "SELECT account_kind, coalesce(account_id, ''), coalesce(currency, ''), sum(amount) FROM read_parquet(?) "
        "GROUP BY ALL", [files]
    ).fetchall():
        got[(kind, account, currency)] = Decimal(total) if total is not None else Decimal(0)
    # Keyed by account and currency (a statement without an account has no account_kind
    # in the CSV).
    def by_account(sums):
        out = defaultdict(Decimal)
        for (_kind, account, currency), total in sums.items():
            out[(account, currency)] += total
        return dict(out)
    got, expected_csv_sums = by_account(got), by_account(expected_csv_sums)
    if got != expected_csv_sums:
        failures.append(f"parquet {path}: sums differ: duckdb {sorted(got.items())[:3]} csv {sorted(expected_csv_sums.items())[:3]}")


def csv_sums_raw(ofxkit, path):
    """Sums of every CSV row's amount per account (what the Parquet rows hold: all rows)."""
    run = subprocess.run(
        [ofxkit, "convert", "-q", path, "--to", "csv", "--what", "transactions"], capture_output=True
    )
    sums = {}
    for r in csv.DictReader(io.StringIO(run.stdout.decode("utf-8"))):
        key = (r["account_kind"], r["account_id"], r["currency"])
        sums[key] = sums.get(key, Decimal(0)) + Decimal(r["amount"] or "0")
    return sums


def check_dataset(ofxkit, files, tmp, failures):
    import duckdb
    import pyarrow.dataset as ds

    out = os.path.join(tmp, "dataset")
    run = subprocess.run(
        [ofxkit, "convert", "-q", *files, "--to", "parquet", "--partition", "account", "-o", out],
        capture_output=True,
    )
    if run.returncode == 2:
        failures.append(f"parquet dataset: {run.stderr.decode(errors='replace')[:300]}")
        return
    want_rows = 0
    want_sum = Decimal(0)
    for f in files:
        for v in csv_sums_raw(ofxkit, f).values():
            want_sum += v
        run = subprocess.run([ofxkit, "convert", "-q", f, "--to", "csv", "--what", "transactions"], capture_output=True)
        want_rows += len(list(csv.DictReader(io.StringIO(run.stdout.decode("utf-8")))))
    con = duckdb.connect()
    n, total = con.execute(
        "SELECT count(*), sum(amount) FROM read_parquet(?, hive_partitioning = true, union_by_name = true)",
        [os.path.join(out, "**", "*.parquet")],
    ).fetchone()
    table = ds.dataset(out, format="parquet", partitioning="hive").to_table()
    if n != table.num_rows:
        failures.append(f"parquet dataset: duckdb reads {n} rows, pyarrow {table.num_rows}")
    if Decimal(total or 0) != want_sum:
        failures.append(f"parquet dataset: sum(amount) {total}, CSV {want_sum}")
    print(f"parquet dataset: {n} rows of {len(files)} files read as one table by DuckDB and pyarrow"
          f" (CSV has {want_rows} rows)")
    if n != want_rows:
        failures.append(f"parquet dataset: {n} rows, CSV {want_rows}")


def check_ledger_export(ofxkit, files, tmp, only, failures, checked):
    """`ledger import` of `files` in order, then `ledger export --to beancount|ledger`:
    bean-check's loader and `hledger check` accept the output (its balance assertions hold
    for the corrected history)."""
    from beancount import loader

    db = os.path.join(tmp, f"ledger-{len(checked)}-{os.getpid()}.db")
    if os.path.exists(db):
        os.remove(db)
    label = ", ".join(os.path.basename(f) for f in files)
    for f in files:
        run = subprocess.run([ofxkit, "ledger", "import", "--db", db, f], capture_output=True)
        if run.returncode != 0:
            failures.append(f"ledger import {f}: {run.stderr.decode(errors='replace')[:300]}")
            return
    for to, ext in (("beancount", "beancount"), ("ledger", "journal")):
        if to not in only:
            continue
        out = os.path.join(tmp, f"ledger-export.{ext}")
        run = subprocess.run([ofxkit, "ledger", "export", "--db", db, "--to", to, "-o", out],
                             capture_output=True)
        if run.returncode != 0:
            failures.append(f"ledger export --to {to} ({label}): {run.stderr.decode(errors='replace')[:300]}")
            continue
        text = open(out, encoding="utf-8").read()
        if " balance " not in text and " = " not in text:
            failures.append(f"ledger export --to {to} ({label}): no balance assertion written")
        if to == "beancount":
            _entries, errors, _options = loader.load_file(out)
            if errors:
                failures.append(f"beancount ledger export ({label}): {errors[0].message}")
        else:
            run = subprocess.run(["hledger", "-f", out, "check"], capture_output=True)
            if run.returncode != 0:
                failures.append(f"hledger check ledger export ({label}): "
                                f"{run.stderr.decode(errors='replace').strip()[:300]}")
        checked[f"ledger export {to}"] += 1


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("ofxkit")
    parser.add_argument("--only", default="beancount,ledger,qif,parquet")
    parser.add_argument("--corpus", action="append")
    args = parser.parse_args()
    only = set(args.only.split(","))
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    corpora = args.corpus or [os.path.join(root, "corpus"), os.path.join(os.path.dirname(root), "shared", "corpus")]
    if not args.corpus and not os.path.isdir(corpora[1]):
        corpora[1] = "/work/shared/corpus"
    files = sorted(
        os.path.join(d, f) for c in corpora for d, _s, fs in os.walk(c) for f in fs
        if f.lower().endswith(EXTENSIONS)
    )
    failures = []
    checked = defaultdict(int)
    statement_files = []
    with tempfile.TemporaryDirectory() as tmp:
        for path in files:
            try:
                rows = expected_rows(args.ofxkit, path)
            except RuntimeError:
                continue
            if not rows:
                continue
            statement_files.append(path)
            expected = cash_sums(rows)
            try:
                if "beancount" in only:
                    check_beancount(args.ofxkit, path, tmp, expected, failures)
                    checked["beancount"] += 1
                if "ledger" in only:
                    check_ledger(args.ofxkit, path, tmp, expected, failures)
                    checked["ledger"] += 1
                if "qif" in only:
                    check_qif(args.ofxkit, path, tmp, rows, failures)
                    checked["qif"] += 1
                if "parquet" in only:
                    check_parquet_file(args.ofxkit, path, tmp, csv_sums_raw(args.ofxkit, path), failures)
                    checked["parquet"] += 1
            except RuntimeError as e:
                failures.append(f"{path}: ofxkit failed: {str(e)[:300]}")
        # The deduplicating ledger: downloads that correct earlier ones, and statements of
        # every kind.
        root_corpus = os.path.join(root, "corpus")
        for group in (
            [os.path.join(root_corpus, "export", "ledger", f)
             for f in ("01-jan-10.ofx", "02-jan-12.ofx", "03-jan-14.ofx")],
            [os.path.join(root_corpus, "model", f)
             for f in ("ofx1-bank-and-card.ofx", "ofx2-investment.ofx", "ofx2-creditcard.ofx")],
        ):
            if only & {"beancount", "ledger"} and all(os.path.isfile(f) for f in group):
                check_ledger_export(args.ofxkit, group, tmp, only, failures, checked)
        if "parquet" in only and statement_files:
            check_dataset(args.ofxkit, statement_files, tmp, failures)
    for f in failures:
        print("FAIL", f)
    summary = ", ".join(f"{k} {v}" for k, v in sorted(checked.items()))
    print(f"export-check: {len(statement_files)} statement file(s) ({summary})")
    checks = sum(checked.values())
    print(f"export: {checks - len(failures)} passed, {len(failures)} failed")
    return 1 if failures or not checks else 0


if __name__ == "__main__":
    sys.exit(main())
