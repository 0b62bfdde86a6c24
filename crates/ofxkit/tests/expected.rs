//! Cross-check against `../shared/corpus/expected/`: what two independent readers (ofxtools and
//! ofxparse) extracted from each shared corpus file. For every statement where a peer succeeded,
//! the account id, transaction count, exact amount sum, FITID list, ledger balance and currency
//! are compared. Every disagreement must be explained in `tests/data/expected_disagreements.tsv`
//! (file, peer, statement, field, why ofxkit is right); an explanation that no longer matches a
//! disagreement is stale and fails the test too.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use common::shared_corpus;

/// One statement as the peers summarise it.
#[derive(Debug, Default)]
struct Summary {
    account_id: Option<String>,
    currency: Option<String>,
    transactions: usize,
    amount_sum: String,
    fitids: Vec<String>,
    ledger_balance: Option<String>,
}

fn ours(bytes: &[u8]) -> Result<Vec<Summary>, String> {
    let doc = ofxkit::parse(bytes).map_err(|e| e.to_string())?;
    Ok(doc
        .statements()
        .iter()
        .map(|s| Summary {
            account_id: s.account.as_ref().and_then(|a| a.account_id).map(str::to_owned),
            currency: s.currency.map(str::to_owned),
            transactions: s.transactions.len() + s.investment_transactions.len(),
            amount_sum: s.amount_sum().normalize().to_string(),
            fitids: {
                // In file order: bank and investment transactions interleave in INVTRANLIST.
                let mut ids: Vec<(u32, &str)> = s
                    .transactions
                    .iter()
                    .filter_map(|t| Some((t.span.start, t.fitid?)))
                    .chain(
                        s.investment_transactions
                            .iter()
                            .filter_map(|t| Some((t.span.start, t.fitid?))),
                    )
                    .collect();
                ids.sort_unstable();
                ids.into_iter().map(|(_, f)| f.to_owned()).collect()
            },
            ledger_balance: s
                .ledger_balance
                .as_ref()
                .and_then(|b| b.amount.as_ref())
                .map(|a| a.value.normalize().to_string()),
        })
        .collect())
}

fn decimal_text(v: &Value) -> Option<String> {
    let s = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    match s.parse::<rust_decimal::Decimal>() {
        Ok(d) => Some(d.normalize().to_string()),
        Err(_) => Some(s),
    }
}

fn peer_statement(v: &Value) -> Summary {
    // The peers write an absent value as "": the same as absent here.
    let text =
        |k: &str| v.get(k).and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_owned);
    Summary {
        account_id: text("account_id"),
        currency: text("currency"),
        transactions: v.get("transactions").and_then(Value::as_u64).unwrap_or(0) as usize,
        amount_sum: v.get("amount_sum").and_then(decimal_text).unwrap_or_default(),
        fitids: v
            .get("fitids")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
            .unwrap_or_default(),
        ledger_balance: v.get("ledger_balance").and_then(decimal_text),
    }
}

/// `file \t peer \t statement \t field`, plus what each side said.
fn compare(file: &str, peer: &str, ours: &[Summary], theirs: &[Summary], out: &mut Vec<String>) {
    let mut push = |index: String, field: &str, a: String, b: String| {
        out.push(format!("{file}\t{peer}\t{index}\t{field}\t(ofxkit {a}, {peer} {b})"));
    };
    if ours.len() != theirs.len() {
        push("*".into(), "statements", ours.len().to_string(), theirs.len().to_string());
        return;
    }
    for (i, (a, b)) in ours.iter().zip(theirs).enumerate() {
        let i = i.to_string();
        if a.account_id != b.account_id {
            push(
                i.clone(),
                "account_id",
                format!("{:?}", a.account_id),
                format!("{:?}", b.account_id),
            );
        }
        let lower = |c: &Option<String>| c.as_deref().map(str::to_ascii_uppercase);
        if b.currency.is_some() && lower(&a.currency) != lower(&b.currency) {
            push(i.clone(), "currency", format!("{:?}", a.currency), format!("{:?}", b.currency));
        }
        if a.transactions != b.transactions {
            push(i.clone(), "transactions", a.transactions.to_string(), b.transactions.to_string());
        }
        if a.amount_sum != b.amount_sum {
            push(i.clone(), "amount_sum", a.amount_sum.clone(), b.amount_sum.clone());
        }
        if a.fitids != b.fitids {
            let only_a: Vec<_> = a.fitids.iter().filter(|f| !b.fitids.contains(f)).collect();
            let only_b: Vec<_> = b.fitids.iter().filter(|f| !a.fitids.contains(f)).collect();
            if only_a.is_empty() && only_b.is_empty() {
                let at = a.fitids.iter().zip(&b.fitids).position(|(x, y)| x != y);
                let (la, lb) = (a.fitids.len(), b.fitids.len());
                push(
                    i.clone(),
                    "fitids",
                    format!("{la} ids, order differs at {at:?}"),
                    lb.to_string(),
                );
            } else {
                push(i.clone(), "fitids", format!("only {only_a:?}"), format!("only {only_b:?}"));
            }
        }
        if a.ledger_balance != b.ledger_balance {
            push(
                i,
                "ledger_balance",
                format!("{:?}", a.ledger_balance),
                format!("{:?}", b.ledger_balance),
            );
        }
    }
}

#[test]
fn statements_agree_with_peers_or_the_disagreement_is_explained() {
    let Some(corpus) = shared_corpus() else {
        eprintln!("../shared/corpus is absent: skipping the cross-check against peer readers");
        return;
    };
    let mut files = Vec::new();
    common::files_under(&corpus.join("expected"), &mut files);
    files.retain(|p| p.extension().is_some_and(|x| x == "json"));
    files.sort();
    assert!(files.len() > 50, "expected/ summaries found: {}", files.len());

    let mut found = Vec::new();
    let mut compared = 0;
    for path in &files {
        let summary: Value =
            serde_json::from_slice(&std::fs::read(path).expect("readable")).expect("json");
        let file = summary["file"].as_str().expect("file").to_owned();
        let Ok(bytes) = std::fs::read(corpus.join(&file)) else {
            found.push(format!("{file}\t-\t*\tinput\t(missing from the corpus)"));
            continue;
        };
        for peer in ["ofxtools", "ofxparse"] {
            let p = &summary[peer];
            if p["ok"] != Value::Bool(true) {
                continue;
            }
            let theirs: Vec<Summary> = p["statements"]
                .as_array()
                .map(|a| a.iter().map(peer_statement).collect())
                .unwrap_or_default();
            match ours(&bytes) {
                Ok(o) => compare(&file, peer, &o, &theirs, &mut found),
                Err(e) => found.push(format!("{file}\t{peer}\t*\tparse\t(ofxkit: {e})")),
            }
            compared += 1;
        }
    }
    assert!(compared > 50, "peer summaries compared: {compared}");

    let table_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/expected_disagreements.tsv");
    let table = std::fs::read_to_string(&table_path).expect("disagreement table");
    let explained: BTreeSet<String> = table
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').take(4).collect::<Vec<_>>().join("\t"))
        .collect();
    let key = |l: &str| l.split('\t').take(4).collect::<Vec<_>>().join("\t");
    let unexplained: Vec<&String> = found.iter().filter(|l| !explained.contains(&key(l))).collect();
    let current: BTreeSet<String> = found.iter().map(|l| key(l)).collect();
    let stale: Vec<&String> = explained.iter().filter(|k| !current.contains(*k)).collect();
    assert!(
        unexplained.is_empty() && stale.is_empty(),
        "unexplained disagreements with peers:\n{}\n\nstale entries in {}:\n{}",
        unexplained.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n"),
        table_path.display(),
        stale.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n"),
    );
}
