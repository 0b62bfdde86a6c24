//! `ofxkit convert --to beancount|ledger|qif`: golden outputs, the account map, appending
//! to an existing journal, and the options refused with other formats.

use crate::util::{corpus, root, run, scratch};

/// Inputs of the golden outputs in `corpus/export/`, with the extra arguments they get.
const GOLDEN: &[(&str, &str, &[&str])] = &[
    ("model/ofx1-bank-and-card.ofx", "bank-and-card", &[]),
    ("model/ofx2-creditcard.ofx", "creditcard", &[]),
    ("model/ofx2-investment.ofx", "investment", &[]),
    ("model/ofc-statement.ofc", "ofc-statement", &[]),
    ("export/corrected.ofx", "corrected", &["--accounts", "corpus/export/accounts.toml"]),
];

const FORMATS: &[(&str, &str)] =
    &[("beancount", "beancount"), ("ledger", "journal"), ("qif", "qif")];

#[test]
fn outputs_equal_their_golden_files() {
    let bless = std::env::var_os("OFXKIT_BLESS").is_some();
    let mut differ = Vec::new();
    for (input, stem, extra) in GOLDEN {
        for (to, ext) in FORMATS {
            let mut args = vec!["convert", "-q", "--to", to];
            let src = corpus(input);
            args.push(&src);
            args.extend_from_slice(extra);
            let out = run(&args, b"");
            assert_ne!(out.status, 2, "{input} --to {to}: {}", out.stderr);
            let path = root().join("corpus/export").join(format!("{stem}.{ext}"));
            if bless {
                std::fs::write(&path, &out.stdout).expect("bless");
                continue;
            }
            let expected = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e} (OFXKIT_BLESS=1 writes it)", path.display()));
            if expected != out.stdout {
                differ.push(format!("{}:\n{}", path.display(), out.stdout));
            }
        }
    }
    assert!(differ.is_empty(), "outputs differ from their goldens:\n{}", differ.join("\n"));
}

#[test]
fn corrections_duplicates_rules_and_the_balance_assertion() {
    let src = corpus("export/corrected.ofx");
    let map = corpus("export/accounts.toml");
    let out = run(&["convert", &src, "--to", "beancount", "--accounts", &map], b"");
    assert_eq!(out.status, 0, "{}", out.stderr);
    let text = &out.stdout;
    // T1 replaced by T1R, T2 and its DELETE gone, T4 once.
    assert!(!text.contains("ofxid: \"10898.5551212.T1\"\n"), "{text}");
    assert!(text.contains("ofxid: \"10898.5551212.T1R\"\n"), "{text}");
    assert!(!text.contains("T2"), "{text}");
    assert_eq!(text.matches("ofxid: \"10898.5551212.T4\"").count(), 1, "{text}");
    assert!(text.contains("  check: \"2045\"\n"), "{text}");
    // Escaped payee; rules by name, the default counter-account otherwise.
    assert!(text.contains(r#"* "GROCER; \"FRESH\" \\ MARKET" "corrected amount""#), "{text}");
    assert!(text.contains("  Assets:US:Checking  -54.00 USD\n  Expenses:Food  54.00 USD\n"));
    assert!(text.contains("  Income:Salary  -1500.00 USD\n"), "{text}");
    assert!(text.contains("  Expenses:Uncategorized  300.00 USD\n"), "{text}");
    // LEDGERBAL as of 2025-07-05 holds that day: checked at the start of the next.
    assert!(text.contains("2025-07-06 balance Assets:US:Checking  2146.00 USD\n"), "{text}");
    assert!(text.contains("  Assets:US:Checking  1000.00 USD\n"), "opening: {text}");
    assert!(out.stderr.contains("2 transaction(s) replaced or deleted by a correction"));
    assert!(out.stderr.contains("1 transaction(s) written once already"), "{}", out.stderr);

    let ledger = run(&["convert", &src, "--to", "ledger", "--accounts", &map], b"");
    assert!(
        ledger.stdout.contains("\n2025-07-01 * GROCER, \"FRESH\" \\ MARKET\n"),
        "{}",
        ledger.stdout
    );
    assert!(ledger.stdout.contains("\n2025-07-02 * (2045) Landlord\n"), "{}", ledger.stdout);
    assert!(ledger.stdout.contains("    Assets:US:Checking  0 USD = 2146.00 USD\n"));
}

#[test]
fn existing_journals_get_only_what_is_new() {
    let dir = scratch("export_existing");
    for (to, ext) in [("beancount", "beancount"), ("ledger", "journal")] {
        let journal = dir.join(format!("books.{ext}"));
        let journal_name = journal.display().to_string();
        let first = run(
            &["convert", &corpus("model/ofx1-bank-and-card.ofx"), "--to", to, "-o", &journal_name],
            b"",
        );
        assert_eq!(first.status, 0, "{}", first.stderr);
        let again = run(
            &[
                "convert",
                &corpus("model/ofx1-bank-and-card.ofx"),
                "--to",
                to,
                "--existing",
                &journal_name,
            ],
            b"",
        );
        assert_eq!(again.status, 0, "{}", again.stderr);
        assert!(!again.stdout.contains("ofxid"), "{to}: nothing new: {}", again.stdout);
        assert!(!again.stdout.contains("open "), "{to}: accounts already open: {}", again.stdout);
        assert!(!again.stdout.contains("Opening balance"), "{to}: {}", again.stdout);
        assert!(again.stderr.contains("8 transaction(s) already in"), "{}", again.stderr);
        assert!(again.stderr.contains(", 0 written"), "{}", again.stderr);
        let other = run(
            &[
                "convert",
                &corpus("model/ofx2-creditcard.ofx"),
                "--to",
                to,
                "--existing",
                &journal_name,
            ],
            b"",
        );
        assert_eq!(other.status, 0, "{}", other.stderr);
        assert!(
            other.stdout.contains("ofxid"),
            "{to}: a new account's transactions: {}",
            other.stdout
        );
        // Writing over the journal read is refused.
        let over = run(
            &[
                "convert",
                &corpus("model/ofx2-creditcard.ofx"),
                "--to",
                to,
                "--existing",
                &journal_name,
                "-o",
                &journal_name,
            ],
            b"",
        );
        assert_eq!(over.status, 2, "{}", over.stderr);
        assert!(over.stderr.contains("the output file is also an input"), "{}", over.stderr);
    }
    let missing = run(
        &[
            "convert",
            &corpus("model/ofx2-creditcard.ofx"),
            "--to",
            "ledger",
            "--existing",
            "no/such.journal",
        ],
        b"",
    );
    assert_eq!(missing.status, 2);
    assert!(missing.stderr.contains("--existing no/such.journal:"), "{}", missing.stderr);
}

#[test]
fn qif_dates_follow_qif_date() {
    let src = corpus("model/ofx2-creditcard.ofx");
    let us = run(&["convert", &src, "--to", "qif"], b"");
    assert_eq!(us.status, 0, "{}", us.stderr);
    assert!(us.stdout.starts_with("!Account\nNLiabilities:CreditCard:"), "{}", us.stdout);
    assert!(us.stdout.contains("\nTCCard\n^\n!Type:CCard\nD"), "{}", us.stdout);
    let first_date = |text: &str| text.lines().find(|l| l.starts_with('D')).unwrap().to_owned();
    let mdy = first_date(&us.stdout);
    let dmy = first_date(&run(&["convert", &src, "--to", "qif", "--qif-date", "dmy"], b"").stdout);
    let ymd = first_date(&run(&["convert", &src, "--to", "qif", "--qif-date", "YMD"], b"").stdout);
    let (m, rest) = mdy[1..].split_once('/').unwrap();
    let (d, y) = rest.split_once('/').unwrap();
    assert_eq!(dmy, format!("D{d}/{m}/{y}"));
    assert_eq!(ymd, format!("D{y}-{m}-{d}"));
}

#[test]
fn export_options_are_refused_elsewhere_and_bad_maps_named() {
    let src = corpus("model/ofx2-creditcard.ofx");
    for (args, says) in [
        (
            vec!["--to", "csv", "--accounts", "x.toml"],
            "--accounts goes with --to beancount, ledger or qif",
        ),
        (vec!["--to", "json", "--qif-date", "dmy"], "--qif-date goes with --to qif"),
        (vec!["--to", "ofx2", "--existing", "x"], "--existing goes with --to beancount or ledger"),
        (vec!["--to", "qif", "--existing", "x"], "--existing goes with --to beancount or ledger"),
        (vec!["--to", "beancount", "--qif-date", "dmy"], "--qif-date goes with --to qif"),
        (vec!["--to", "ledger", "--what", "accounts"], "--what goes with --to json, ndjson or csv"),
        (vec!["--to", "beancount", "--partition", "month"], "--partition goes with --to parquet"),
    ] {
        let mut all = vec!["convert", src.as_str()];
        all.extend(args.iter().copied());
        let out = run(&all, b"");
        assert_eq!(out.status, 2, "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains(says), "{args:?}: {}", out.stderr);
        assert!(out.stdout.is_empty());
    }
    let dir = scratch("export_bad_map");
    let map = dir.join("map.toml");
    std::fs::write(&map, "[[rule]]\npattern = \"(\"\naccount = \"Expenses:X\"\n").unwrap();
    let out =
        run(&["convert", &src, "--to", "ledger", "--accounts", &map.display().to_string()], b"");
    assert_eq!(out.status, 2);
    assert!(out.stderr.contains("map.toml: rule[0].pattern:"), "{}", out.stderr);
    assert!(out.stdout.is_empty());
}

#[test]
fn the_extension_of_o_names_the_format() {
    let dir = scratch("export_extension");
    for (ext, starts) in
        [("beancount", "; beancount"), ("journal", "; ledger"), ("qif", "!Account")]
    {
        let path = dir.join(format!("out.{ext}"));
        let out = run(
            &["convert", &corpus("model/ofx2-creditcard.ofx"), "-o", &path.display().to_string()],
            b"",
        );
        assert_eq!(out.status, 0, "{}", out.stderr);
        assert!(std::fs::read_to_string(&path).unwrap().starts_with(starts), "{ext}");
    }
}

#[test]
fn ledger_export_writes_the_same_entries_as_convert() {
    let dir = scratch("export_ledger");
    let db = dir.join("l.db").display().to_string();
    let files = [corpus("model/ofx1-bank-and-card.ofx"), corpus("model/ofx2-investment.ofx")];
    let imported = run(&["ledger", "import", "--db", &db, &files[0], &files[1]], b"");
    assert_eq!(imported.status, 0, "{}", imported.stderr);
    let ids = |text: &str| -> Vec<String> {
        let mut v: Vec<String> =
            text.lines().filter(|l| l.contains("ofxid:")).map(|l| l.trim().to_owned()).collect();
        v.sort();
        v
    };
    for to in ["beancount", "ledger"] {
        let exported = run(&["ledger", "export", "--db", &db, "--to", to], b"");
        assert_eq!(exported.status, 0, "{}", exported.stderr);
        let converted = run(&["convert", "-q", &files[0], &files[1], "--to", to], b"");
        assert_eq!(ids(&exported.stdout).len(), 13, "{}", exported.stdout);
        assert_eq!(ids(&exported.stdout), ids(&converted.stdout), "{to}");
        // Securities named by one rule (the ticker the SECLIST gave), and the same balance
        // assertions from the LEDGERBALs kept.
        let kept = |text: &str| -> Vec<String> {
            let mut v: Vec<String> = text
                .lines()
                .filter(|l| {
                    l.contains(" commodity ")
                        || l.contains(" balance ")
                        || l.contains(" = ")
                        || l.contains(" {")
                        || l.contains(" @@ ")
                })
                .map(str::to_owned)
                .collect();
            v.sort();
            v
        };
        let balances = exported.stdout.matches(" balance ").count()
            + exported.stdout.matches(" * Balance\n").count();
        assert_eq!(balances, 2, "a bank and a card statement: {}", exported.stdout);
        assert!(exported.stdout.contains("ACME"), "by ticker: {}", exported.stdout);
        assert_eq!(kept(&exported.stdout), kept(&converted.stdout), "{to}");
    }
    let journal = dir.join("books.beancount");
    std::fs::write(&journal, run(&["convert", "-q", &files[0], "--to", "beancount"], b"").stdout)
        .unwrap();
    let journal = journal.display().to_string();
    let new =
        run(&["ledger", "export", "--db", &db, "--to", "beancount", "--existing", &journal], b"");
    assert_eq!(new.status, 0, "{}", new.stderr);
    assert_eq!(ids(&new.stdout).len(), 5, "only the investment account's: {}", new.stdout);
    assert!(new.stderr.contains("8 transaction(s) already in"), "{}", new.stderr);
    let qif = run(&["ledger", "export", "--db", &db, "--to", "qif", "--qif-date", "ymd"], b"");
    assert_eq!(qif.status, 0, "{}", qif.stderr);
    assert_eq!(qif.stdout.matches("\n^\n").count(), 13 + 3, "13 records, 3 account blocks");
    let refused = run(&["ledger", "export", "--db", &db, "--to", "csv", "--qif-date", "ymd"], b"");
    assert_eq!(refused.status, 2, "{}", refused.stderr);
}

#[test]
fn parquet_files_per_input_or_partitioned() {
    let dir = scratch("export_parquet");
    let files = [corpus("model/ofx1-bank-and-card.ofx"), corpus("model/ofx2-investment.ofx")];
    let out = dir.join("each").display().to_string();
    let each = run(&["convert", "-q", &files[0], &files[1], "--to", "parquet", "-o", &out], b"");
    assert_eq!(each.status, 0, "{}", each.stderr);
    for name in ["ofx1-bank-and-card.parquet", "ofx2-investment.parquet"] {
        let bytes = std::fs::read(dir.join("each").join(name)).expect(name);
        assert!(bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"), "{name}");
    }
    let out = dir.join("by-account").display().to_string();
    let parts = run(
        &[
            "convert",
            "-q",
            &files[0],
            &files[1],
            "--to",
            "parquet",
            "--partition",
            "account",
            "-o",
            &out,
        ],
        b"",
    );
    assert_eq!(parts.status, 0, "{}", parts.stderr);
    let mut dirs: Vec<String> = std::fs::read_dir(dir.join("by-account"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    assert_eq!(dirs, ["account=1234567890", "account=4111111111111111", "account=X-1001"]);
    let out = dir.join("by-month").display().to_string();
    let months = run(
        &["convert", "-q", &files[0], "--to", "parquet", "--partition", "month", "-o", &out],
        b"",
    );
    assert_eq!(months.status, 0, "{}", months.stderr);
    assert!(dir.join("by-month/month=2025-06").is_dir());
    let no_dir = run(&["convert", &files[0], "--to", "parquet"], b"");
    assert_eq!(no_dir.status, 2);
    assert!(no_dir.stderr.contains("give -o DIR"), "{}", no_dir.stderr);
    let file = dir.join("plain");
    std::fs::write(&file, "x").unwrap();
    let not_dir =
        run(&["convert", &files[0], "--to", "parquet", "-o", &file.display().to_string()], b"");
    assert_eq!(not_dir.status, 2);
    assert!(not_dir.stderr.contains("not a directory"), "{}", not_dir.stderr);
}

/// Three downloads, the second correcting the first: `ledger export` writes the corrected
/// history (the REPLACE's transaction instead of the one it names, no deleted one, and the
/// deleted one not brought back by the third), and a balance assertion from each download's
/// LEDGERBAL but the first (which counted the charges corrected later).
#[test]
fn ledger_export_writes_corrected_history_and_balance_assertions() {
    let dir = scratch("export_ledger_corrections");
    let db = dir.join("l.db").display().to_string();
    let files: Vec<String> = ["01-jan-10.ofx", "02-jan-12.ofx", "03-jan-14.ofx"]
        .iter()
        .map(|f| corpus(&format!("export/ledger/{f}")))
        .collect();
    for f in &files {
        let imported = run(&["ledger", "import", "--db", &db, f], b"");
        assert_eq!(imported.status, 0, "{f}: {}", imported.stderr);
    }
    let bean = run(&["ledger", "export", "--db", &db, "--to", "beancount"], b"");
    assert_eq!(bean.status, 0, "{}", bean.stderr);
    let ids: Vec<&str> = bean.stdout.lines().filter(|l| l.contains("ofxid:")).collect();
    assert_eq!(
        ids,
        [
            "  ofxid: \"1001.1111.A-FIX\"",
            "  ofxid: \"1001.1111.C\"",
            "  ofxid: \"1001.1111.D\"",
            "  ofxid: \"1001.1111.E\""
        ],
        "{}",
        bean.stdout
    );
    // The corrections were applied on import: nothing for the export to say about them.
    assert!(!bean.stderr.contains("correction"), "{}", bean.stderr);
    let balances: Vec<&str> = bean.stdout.lines().filter(|l| l.contains(" balance ")).collect();
    assert_eq!(
        balances,
        [
            "2025-01-13 balance Assets:Bank:1111  119.01 USD",
            "2025-01-15 balance Assets:Bank:1111  118.02 USD"
        ],
        "{}",
        bean.stdout
    );
    // Opened so that the first assertion holds: 119.01 + 1.00 + 5.00 + 9.99.
    assert!(bean.stdout.contains("  Assets:Bank:1111  135.00 USD\n"), "{}", bean.stdout);
    let journal = run(&["ledger", "export", "--db", &db, "--to", "ledger"], b"");
    assert_eq!(journal.status, 0, "{}", journal.stderr);
    assert!(
        journal
            .stdout
            .contains("\n2025-01-14 * Balance\n    Assets:Bank:1111  0 USD = 118.02 USD\n"),
        "{}",
        journal.stdout
    );
    // Days outside --from/--until leave their balances out too.
    let early =
        run(&["ledger", "export", "--db", &db, "--to", "beancount", "--until", "2025-01-12"], b"");
    assert_eq!(early.status, 0, "{}", early.stderr);
    assert_eq!(early.stdout.matches(" balance ").count(), 1, "{}", early.stdout);
}
