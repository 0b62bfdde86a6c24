//! Entry points for the fuzz targets in `fuzz/` that go past the syntax layer, also run by a
//! stable test over every corpus file so CI exercises them.

use std::fmt::Write as _;

use crate::write::values::{canonical, value_kind};

use crate::convert::{ConvertOptions, Converter, Target, What};
use crate::validate::{ValidateOptions, ValidationProfile, rules, validate};

/// Parses arbitrary bytes, reads the typed model and converts it to every output and row kind.
/// Must never panic. Oracles: JSON output is valid JSON, with every secret value `***` (see
/// [`assert_redacted`]); the number of NDJSON transaction rows
/// equals the number of transactions and investment transactions in the model; every
/// diagnostic's span lies inside the text read; and those of [`tree_rows_agree`].
pub fn convert_any(data: &[u8]) {
    tree_rows_agree(data);
    let Ok(doc) = crate::parse(data) else { return };
    statement_rows_agree(&doc);
    documents_agree(&doc);
    let model = doc.model();
    // Positions refer to the text read (a UTF-16 file is transcoded first).
    let text_len = doc.syntax().tree().source().len().max(data.len());
    for d in &model.diagnostics {
        assert!(d.span.start <= d.span.end && d.span.end as usize <= text_len, "span {d:?}");
    }
    let expected_rows: usize = model
        .statements
        .iter()
        .map(|s| s.transactions.len() + s.investment_transactions.len())
        .sum();
    for target in [Target::Json, Target::Ndjson, Target::Csv] {
        for what in
            [What::Documents, What::Transactions, What::Statements, What::Accounts, What::Payees]
        {
            let options = ConvertOptions { target, what, ..ConvertOptions::default() };
            let Ok(mut conv) = Converter::new(Vec::new(), options) else { continue };
            if conv.add("fuzz", &doc).is_err() {
                continue;
            }
            let Ok(out) = conv.finish() else { continue };
            match target {
                Target::Json => {
                    let parsed = serde_json::from_slice::<serde_json::Value>(&out);
                    assert!(parsed.is_ok(), "invalid JSON for {what:?}: {parsed:?}");
                    if let Ok(value) = &parsed {
                        assert_redacted(value);
                    }
                }
                Target::Ndjson if what == What::Transactions => {
                    let lines = out.split(|b| *b == b'\n').filter(|l| !l.is_empty()).count();
                    assert_eq!(lines, expected_rows, "NDJSON transaction rows");
                }
                _ => {}
            }
        }
    }
}

/// Oracle: statement rows written as each statement is read (and then dropped) are those
/// written from the whole model, with the same findings, in CSV and NDJSON, marking or
/// leaving out rows with problems.
pub fn statement_rows_agree(doc: &crate::Document<'_>) {
    use crate::convert::OnError;
    for (target, on_error) in [
        (Target::Csv, OnError::Mark),
        (Target::Ndjson, OnError::Mark),
        (Target::Csv, OnError::Skip),
    ] {
        let options = ConvertOptions {
            target,
            what: What::Statements,
            on_error,
            ..ConvertOptions::default()
        };
        let run = |through_model_only: bool| {
            let mut conv = Converter::new(Vec::new(), options).expect("in memory");
            conv.through_model_only = through_model_only;
            let findings = conv.add("fuzz", doc).map_err(|e| e.to_string());
            let skipped = (conv.skipped_rows(), conv.rows_with_problems());
            (
                String::from_utf8_lossy(&conv.finish().expect("in memory")).into_owned(),
                findings,
                skipped,
            )
        };
        let (streamed, whole) = (run(false), run(true));
        assert_eq!(streamed.0, whole.0, "{target:?} {on_error:?}: statement rows differ");
        assert_eq!(streamed.1, whole.1, "{target:?} {on_error:?}: findings differ");
        assert_eq!(streamed.2, whole.2, "{target:?} {on_error:?}: rows counted");
    }
}

/// Oracle: the whole document written as JSON as it is read (each transaction read again
/// and written at once) is byte for byte `serde_json` of the whole model, with the same
/// findings, secrets redacted or shown. Returns how many transactions the model holds.
pub fn documents_agree(doc: &crate::Document<'_>) -> usize {
    for show_secrets in [false, true] {
        let options = ConvertOptions { target: Target::Json, show_secrets, ..Default::default() };
        let run = |through_model_only: bool| {
            let mut conv = Converter::new(Vec::new(), options).expect("in memory");
            conv.through_model_only = through_model_only;
            // Twice: the separator between documents too.
            let first = conv.add("fuzz", doc).map_err(|e| e.to_string());
            let second = conv.add("again", doc).map_err(|e| e.to_string());
            let out = conv.finish().expect("in memory");
            (String::from_utf8_lossy(&out).into_owned(), first, second)
        };
        let (streamed, whole) = (run(false), run(true));
        assert_eq!(streamed.0, whole.0, "secrets shown {show_secrets}: the JSON differs");
        assert_eq!(streamed.1, whole.1, "secrets shown {show_secrets}: findings differ");
        assert_eq!(streamed.2, whole.2, "secrets shown {show_secrets}: findings differ");
    }
    doc.model().statements.iter().map(|s| s.transactions.len()).sum()
}

/// Panics if JSON output shows a secret: an element kept by name (`{"name": "USERPASS",
/// "text": …}`) or a typed secret field (`user_key`, `session_key`, `tan`) whose value is
/// not `***` (an empty value aside).
pub fn assert_redacted(value: &serde_json::Value) {
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            serde_json::Value::Array(items) => stack.extend(items),
            serde_json::Value::Object(map) => {
                let secret_name =
                    map.get("name").and_then(|n| n.as_str()).is_some_and(ofxkit_syntax::is_secret);
                for (key, item) in map {
                    let secret = match key.as_str() {
                        "text" => secret_name,
                        "user_key" | "session_key" | "tan" => true,
                        _ => false,
                    };
                    if let (true, Some(text)) = (secret, item.as_str()) {
                        assert!(
                            text.is_empty() || text == crate::model::REDACTED,
                            "secret shown: {key} = {text:?}"
                        );
                    }
                    stack.push(item);
                }
            }
            _ => {}
        }
    }
}

/// How many transaction rows [`tree_rows_agree`] saw written each way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RowPaths {
    /// Rows written straight from the tree.
    pub from_tree: usize,
    /// Rows written through the typed model.
    pub through_model: usize,
    /// Rows written while the file was being read ([`Converter::add_bytes`]).
    pub streamed: usize,
    /// Of those, rows written straight from the children the tokenizer read at once,
    /// without a tree ([`Offered::plain_leaves`](ofxkit_syntax::Offered::plain_leaves)).
    pub leaves: usize,
}

/// Parses arbitrary bytes and converts the transactions to CSV (formula guard on and off),
/// NDJSON and JSON twice: with plain transactions written straight from the tree, and with
/// every transaction read into the model first. Must never panic. Oracle: the two outputs,
/// and the findings, are identical. Returns how many rows of one conversion took each way.
pub fn tree_rows_agree(data: &[u8]) -> RowPaths {
    let Ok(doc) = crate::parse(data) else { return RowPaths::default() };
    let mut paths = RowPaths::default();
    for (target, formula_guard) in
        [(Target::Csv, true), (Target::Csv, false), (Target::Ndjson, true), (Target::Json, true)]
    {
        let options = ConvertOptions {
            target,
            what: What::Transactions,
            formula_guard,
            ..ConvertOptions::default()
        };
        let run = |through_model_only: bool| {
            let mut conv = Converter::new(Vec::new(), options).ok()?;
            conv.through_model_only = through_model_only;
            let findings = conv.add("fuzz", &doc).ok()?;
            let counts = conv.row_paths;
            Some((conv.finish().ok()?, findings, counts))
        };
        let (Some((from_tree, tree_findings, counts)), Some((general, general_findings, _))) =
            (run(false), run(true))
        else {
            continue;
        };
        assert_eq!(
            String::from_utf8_lossy(&from_tree),
            String::from_utf8_lossy(&general),
            "{target:?} (guard {formula_guard}): rows differ"
        );
        assert_eq!(tree_findings, general_findings, "{target:?}: findings differ");
        // Streaming while reading: the same rows and findings, and the same document but
        // for the transactions taken.
        let mut conv = Converter::new(Vec::new(), options).expect("in memory");
        let parse_options = ofxkit_syntax::Options::default();
        let (streamed_doc, streamed_findings) = match conv.add_bytes("fuzz", data, &parse_options) {
            Ok(r) => r,
            Err(e) => panic!("{target:?}: streaming failed where parsing did not: {e}"),
        };
        let streamed_rows = conv.row_paths;
        let streamed = conv.finish().expect("in memory");
        assert_eq!(
            String::from_utf8_lossy(&streamed),
            String::from_utf8_lossy(&general),
            "{target:?} (guard {formula_guard}): streamed rows differ"
        );
        assert_eq!(streamed_findings, general_findings, "{target:?}: streamed findings differ");
        let taken = streamed_rows.streamed;
        assert_eq!(
            kept_elements(doc.syntax().tree(), streamed_doc.syntax().tree(), taken),
            Ok(()),
            "{target:?}: the streamed document's tree"
        );
        assert_eq!(
            (streamed_rows.from_tree, streamed_rows.through_model),
            (counts.from_tree, counts.through_model),
            "{target:?}: rows counted"
        );
        assert_eq!(streamed_doc.syntax().diagnostics(), doc.syntax().diagnostics());
        if target == Target::Ndjson {
            rows_carry_the_model_problems(&doc, &general);
        }
        paths = RowPaths { streamed: taken, leaves: streamed_rows.leaves, ..counts };
    }
    paths
}

/// Oracle: each NDJSON transaction row's `line` and `problems` are those of the model's
/// transaction it comes from ([`Transaction::problems`](crate::model::Transaction::problems)).
fn rows_carry_the_model_problems(doc: &crate::Document<'_>, ndjson: &[u8]) {
    let model = doc.model();
    let mut expected: Vec<(u32, &[&'static str])> = Vec::new();
    for s in &model.statements {
        let start = expected.len();
        expected.extend(s.transactions.iter().map(|t| (t.span.start, t.problems.as_slice())));
        expected.extend(
            s.investment_transactions.iter().map(|t| (t.span.start, t.problems.as_slice())),
        );
        if let Some(list) = expected.get_mut(start..) {
            list.sort_by_key(|(at, _)| *at);
        }
    }
    let rows: Vec<serde_json::Value> = ndjson
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).expect("an NDJSON row"))
        .collect();
    assert_eq!(rows.len(), expected.len(), "rows and model transactions");
    let index = doc.syntax().line_index();
    for (row, (start, problems)) in rows.iter().zip(expected) {
        assert_eq!(row["line"], index.line_col(start).line, "line of {row}");
        assert_eq!(row["problems"], serde_json::json!(problems), "problems of {row}");
    }
}

/// Checks that `left` is `whole` without `taken` `STMTTRN` subtrees: the same elements, names,
/// spans and texts, in the same order.
fn kept_elements(
    whole: &ofxkit_syntax::Tree<'_>,
    left: &ofxkit_syntax::Tree<'_>,
    taken: usize,
) -> Result<(), String> {
    let key = |e: ofxkit_syntax::Element<'_>| {
        (e.name().to_owned(), e.span(), e.text().map(str::to_owned))
    };
    let kept: Vec<_> = left.elements().map(key).collect();
    let stmttrn =
        |t: &ofxkit_syntax::Tree<'_>| t.elements().filter(|e| e.name() == "STMTTRN").count();
    if stmttrn(whole) != stmttrn(left) + taken {
        return Err(format!("{} STMTTRN, {} left, {taken} taken", stmttrn(whole), stmttrn(left)));
    }
    let left_trn: std::collections::HashSet<_> =
        left.elements().filter(|e| e.name() == "STMTTRN").map(|e| e.span()).collect();
    let mut expected = Vec::new();
    let mut skip_until = 0;
    for e in whole.elements() {
        if e.id().index() < skip_until {
            continue;
        }
        if e.name() == "STMTTRN" && !left_trn.contains(&e.span()) {
            skip_until = e.id().index() + 1 + e.descendants().count();
            continue;
        }
        expected.push(key(e));
    }
    if expected != kept {
        let at = expected.iter().zip(&kept).position(|(a, b)| a != b);
        return Err(format!("differ at element {at:?} of {} / {}", expected.len(), kept.len()));
    }
    Ok(())
}

/// Validates arbitrary bytes in one pass ([`crate::validate::validate_bytes`], a statement's
/// transactions checked as they are read) and the plain way (the whole tree), under a few
/// profiles and caps. Must never panic. Oracle: the reports are equal (the same findings in
/// the same order, with the same caps), and so are the documents' own findings; or both
/// ways fail to read the bytes, with the same error.
pub fn validate_streamed_agrees(data: &[u8]) {
    use crate::syntax::{Limits, Options};
    for (profile, cap) in [
        (ValidationProfile::Auto, 1000),
        (ValidationProfile::Auto, 1),
        (ValidationProfile::Ofc, 2),
        (ValidationProfile::Qfx, 0),
    ] {
        let limits = Limits { max_findings_per_code: cap, ..Limits::default() };
        let parse = Options { limits, ..Options::default() };
        let options = ValidateOptions { profile, max_findings_per_rule: cap, ..Default::default() };
        match (
            crate::validate::validate_bytes(data, &parse, &options),
            crate::parse_with(data, &parse),
        ) {
            (Ok((doc, streamed)), Ok(whole)) => {
                let expected = validate(&whole, &options);
                assert_eq!(streamed, expected, "{profile}, cap {cap}: reports differ");
                assert_eq!(
                    doc.syntax().diagnostics(),
                    whole.syntax().diagnostics(),
                    "{profile}, cap {cap}: the documents' findings differ"
                );
            }
            (Err(s), Err(w)) => assert_eq!(s.to_string(), w.to_string(), "{profile}: errors"),
            (s, w) => panic!("{profile}: streamed read {:?}, whole {:?}", s.is_ok(), w.is_ok()),
        }
    }
}

/// Parses arbitrary bytes and validates them under every profile, rendering every finding.
/// Must never panic. Oracles: every finding's span is ordered and lies inside the text read;
/// findings are sorted by position, except `E-UNEXPECTED-EOF` (the root cause of a file cut
/// short), which comes first; every finding has a rule id, the validator's ones are in
/// [`rules::RULES`], and its rendering mentions it.
pub fn validate_any(data: &[u8]) {
    let Ok(doc) = crate::parse(data) else { return };
    // Positions refer to the text read (a UTF-16 file is transcoded first).
    let text_len = doc.syntax().tree().source().len().max(data.len());
    let mut rendered = String::new();
    for profile in ValidationProfile::ALL {
        let options = ValidateOptions { profile, ..ValidateOptions::default() };
        let report = validate(&doc, &options);
        let mut previous = 0;
        let eof = report.findings.iter().position(|f| f.code == "E-UNEXPECTED-EOF");
        assert!(eof.is_none_or(|i| i == 0), "{profile}: E-UNEXPECTED-EOF is not first");
        for f in report.findings.iter().skip(usize::from(eof.is_some())) {
            assert!(
                f.span.start <= f.span.end && f.span.end as usize <= text_len,
                "{profile}: span {f:?} outside 0..{text_len}"
            );
            assert!(f.span.start >= previous, "{profile}: findings out of order at {f:?}");
            previous = f.span.start;
            assert!(!f.code.is_empty(), "{profile}: finding without a rule id: {f:?}");
            if f.code.starts_with("OFC-") || f.code.starts_with("OFX-") {
                assert!(
                    rules::rule(f.code).is_some(),
                    "{profile}: {} is not in the catalog",
                    f.code
                );
            }
            rendered.clear();
            let _ = write!(rendered, "{f}");
            assert!(rendered.contains(f.code), "{profile}: {rendered:?} lacks {}", f.code);
            let _ = write!(rendered, "{} {:?}", f.message, f.path);
            let _ = doc.syntax().line_col(f.span.start).to_string();
        }
    }
}

/// Parses arbitrary bytes and, when they read without an error, writes them as OFX 1.x and
/// 2.x (leaves open and closed). Must never panic. Oracles, for every output written: it
/// reads back without an error; every secret in it is `***`; writing it again gives the same
/// bytes; and, for an OFX
/// source, the model is the same ([`write_model`]: the whole model as JSON but for the
/// format, version, encoding, findings, a made-up sign-on and `.000` on zoned dates). A
/// document the writer refuses is fine (a character the target cannot hold, an OFC record
/// with no counterpart), as long as it says why with a code.
pub fn write_any(data: &[u8]) {
    use crate::write::{Target, WriteOptions};
    let Ok(doc) = crate::parse(data) else { return };
    let model = doc.model();
    if model.diagnostics.iter().any(|d| d.severity == ofxkit_syntax::Severity::Error) {
        return;
    }
    let ofc = doc.syntax().format() == ofxkit_syntax::Format::Ofc;
    for (target, close_all) in [(Target::Ofx1, false), (Target::Ofx1, true), (Target::Ofx2, false)]
    {
        let options = WriteOptions { target, close_all, ..WriteOptions::default() };
        let mut first = Vec::new();
        let written = match doc.write_ofx(&mut first, &options) {
            Ok(w) => w,
            Err(e) => {
                assert!(e.code().starts_with("E-WRITE-") && !e.is_io(), "{e:?}");
                continue;
            }
        };
        let again = match crate::parse(&first) {
            Ok(d) => d,
            Err(e) => panic!(
                "{target:?}: the written file does not read: {e}\n{}",
                String::from_utf8_lossy(&first)
            ),
        };
        // Secrets are written `***` (also those kept as `OFC.*` vendor elements).
        for e in again.syntax().tree().elements() {
            let name = e.name();
            let secret = ofxkit_syntax::is_secret(name)
                || name.strip_prefix("OFC.").is_some_and(ofxkit_syntax::is_secret);
            if secret && let Some(text) = e.text() {
                assert!(text.is_empty() || text == "***", "{target:?}: <{name}> shows {text:?}");
            }
        }
        let errors: Vec<_> = again
            .diagnostics()
            .iter()
            .filter(|d| d.severity == ofxkit_syntax::Severity::Error)
            .collect();
        assert!(
            errors.is_empty(),
            "{target:?}: the written file has errors: {errors:?}\n{}",
            String::from_utf8_lossy(&first)
        );
        let mut second = Vec::new();
        match again.write_ofx(&mut second, &options) {
            Ok(_) => assert!(
                second == first,
                "{target:?}: writing twice differs:\n{}\n---\n{}",
                String::from_utf8_lossy(&first),
                String::from_utf8_lossy(&second)
            ),
            Err(e) => panic!("{target:?}: the written file cannot be written: {e}"),
        }
        if !ofc {
            let (a, b) = (
                write_model(&doc, written.signon_synthesized),
                write_model(&again, written.signon_synthesized),
            );
            assert!(
                a == b,
                "{target:?}: models differ:\n{a}\n---\n{b}\n{}",
                String::from_utf8_lossy(&first)
            );
        }
    }
}

/// The model of `doc` as JSON as [`write_any`] compares it: without the format, version,
/// encoding, findings and rows' problems (what writing changes on purpose), without the
/// sign-on when `drop_signon` (one the writer made up, response or request), with `.000` on date-times that have
/// an offset and no milliseconds, and the texts of extensions in the canonical form of their
/// element's kind (an amount, a date, a [`CODED`](crate::write::CODED) enumeration), as the
/// writer writes every such value.
pub fn write_model(doc: &crate::Document<'_>, drop_signon: bool) -> serde_json::Value {
    use serde_json::Value;
    fn normalise(v: &mut Value) {
        match v {
            Value::String(s) => with_milliseconds(s),
            Value::Array(items) => items.iter_mut().for_each(normalise),
            Value::Object(map) => {
                map.remove("problems");
                let extension = map.contains_key("path") && map.contains_key("name");
                let kind = map.get("name").and_then(Value::as_str).map(value_kind);
                if extension
                    && let Some(kind) = kind
                    && let Some(Value::String(text)) = map.get_mut("text")
                    && let Some(c) = canonical(kind, text, crate::amount::Dialect::Ofx)
                {
                    *text = c;
                }
                map.values_mut().for_each(normalise);
            }
            _ => {}
        }
    }
    let mut v = serde_json::to_value(doc.model()).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut v {
        for key in ["format", "version", "encoding", "diagnostics"] {
            map.remove(key);
        }
        // QFX is a file with `INTU.*` elements: the reader also says so of a file whose only
        // `INTU.*` name is a stray end tag (`</INTU.SONRS>`), which is no element and is not
        // written.
        let intu = doc.syntax().tree().elements().any(|e| e.name().starts_with("INTU."));
        map.insert("qfx".to_owned(), Value::Bool(intu));
        if drop_signon {
            // A made-up response sign-on is the model's `signon`; a made-up request sign-on
            // (the model reads no SONRQ) is an extension of the root.
            map.remove("signon");
            if let Some(Value::Array(ext)) = map.get_mut("extensions") {
                ext.retain(|e| {
                    e["path"].as_str().is_none_or(|p| !p.starts_with("OFX/SIGNONMSGSRQV1"))
                });
            }
        }
    }
    normalise(&mut v);
    v
}

/// Adds `.000` to a model date-time with an offset and no milliseconds
/// (`2024-01-05T10:00:00+01:00`), the canonical form the writer gives such a date; any other
/// text is left as it is.
///
/// ```
/// let mut s = "2024-01-05T10:00:00-05:00".to_owned();
/// ofxkit::fuzz::with_milliseconds(&mut s);
/// assert_eq!(s, "2024-01-05T10:00:00.000-05:00");
/// let mut day = "2024-01-05".to_owned();
/// ofxkit::fuzz::with_milliseconds(&mut day);
/// assert_eq!(day, "2024-01-05");
/// ```
pub fn with_milliseconds(s: &mut String) {
    let b = s.as_bytes();
    if b.len() == 25
        && b.get(10) == Some(&b'T')
        && b.get(19).is_some_and(|c| *c == b'+' || *c == b'-')
    {
        s.insert_str(19, ".000");
    }
}

/// Applies arbitrary bytes as a card-processor plan log (one event a line) to an empty
/// [`PlanState`](crate::plans::PlanState). Must never panic. Oracles: every line gets a
/// result whose code is one the processor lists; the state written as JSON reads back to
/// the same JSON; applying the same log again over that state changes nothing (every line
/// that was applied is now `already_applied`, with its first code); and every plan's
/// schedule can be listed.
pub fn plan_log_any(data: &[u8]) {
    use crate::plans::{PlanState, ResultCode};
    let mut state = PlanState::new();
    let first = state.apply_log("fuzz.ndjson", data);
    for outcome in &first {
        let code = outcome.result.code;
        assert!(
            ResultCode::ALL.contains(&code),
            "an unlisted code {}: {:?}",
            code.as_str(),
            outcome.result
        );
    }
    let json = state.to_json();
    let read = match PlanState::from_json(&json) {
        Ok(s) => s,
        Err(e) => panic!("the state does not read back: {e}\n{json}"),
    };
    assert_eq!(read.to_json(), json, "the state changes when read back");
    let again = state.apply_log("fuzz.ndjson", data);
    assert_eq!(state.to_json(), json, "applying the log twice changed the state");
    assert_eq!(again.len(), first.len(), "the log has another number of lines");
    for (a, b) in first.iter().zip(&again) {
        assert_eq!(a.result.code, b.result.code, "a replayed line got another code");
    }
    for plan in state.plans.values() {
        if let Some(schedule) = plan.schedule(None, None, 24) {
            assert!(schedule.count() <= 24);
        }
    }
}

/// What converting `data` to `target` transaction rows wrote, and its findings placed in
/// the input (or the code and place of the error that stopped it).
type Converted = (Vec<u8>, Result<Vec<(crate::Diagnostic, ofxkit_syntax::LineCol)>, String>);

/// [`Converter::add_bytes`] over the whole input.
fn converted_whole(data: &[u8], target: Target) -> Converted {
    let options = ConvertOptions { target, what: What::Transactions, ..Default::default() };
    let mut conv = Converter::new(Vec::new(), options).expect("writes to memory");
    let result = match conv.add_bytes("f", data, &Default::default()) {
        Ok((doc, findings)) => {
            let index = doc.syntax().line_index();
            Ok(findings.into_iter().map(|d| (d.clone(), index.line_col(d.span.start))).collect())
        }
        Err(crate::convert::AddError::Parse(e)) => {
            let index = ofxkit_syntax::LineIndex::new(data, std::str::from_utf8(data).is_ok());
            Err(format!("{} at {}", e.code(), index.line_col(e.span().start)))
        }
        Err(e) => Err(e.to_string()),
    };
    (conv.finish().expect("writes to memory"), result)
}

/// [`Converter::add_reader`] over `data` handed over `chunk` bytes at a time, in parts of
/// `part` bytes.
fn converted_from_read(data: &[u8], target: Target, chunk: usize, part: usize) -> Converted {
    let options = ConvertOptions { target, what: What::Transactions, ..Default::default() };
    let mut conv = Converter::new(Vec::new(), options).expect("writes to memory");
    conv.read_part = Some(part);
    let reader = ofxkit_syntax::fuzz::Trickle { data, chunk };
    let result = match conv.add_reader("f", reader, &Default::default()) {
        Ok(found) => Ok(found.into_iter().map(|l| (l.diagnostic, l.line_col)).collect()),
        Err(f) => match f.error {
            crate::convert::AddError::Parse(e) => Err(format!("{} at {}", e.code(), f.line_col)),
            e => Err(e.to_string()),
        },
    };
    (conv.finish().expect("writes to memory"), result)
}

/// The oracle of [`Converter::add_reader`]: transaction rows (CSV and NDJSON) and findings
/// (with their offsets and line:column) are those of [`Converter::add_bytes`] over the whole
/// input, whatever the size of the reader's chunks and of the parts (1 byte: every
/// `</STMTTRN>` ends a part; the input is read a part at a time, at most 64 KiB).
pub fn from_read_agrees(data: &[u8]) {
    for target in [Target::Csv, Target::Ndjson] {
        let whole = converted_whole(data, target);
        for (chunk, part) in [(1 << 16, 1 << 23), (4096, 4096), (64, 64), (7, 7), (2, 1), (1, 1)] {
            let read = converted_from_read(data, target, chunk, part);
            assert!(
                read.0 == whole.0,
                "{target:?}, chunks of {chunk}, parts of {part}: rows differ:\n{}\n---\n{}",
                String::from_utf8_lossy(&read.0),
                String::from_utf8_lossy(&whole.0)
            );
            assert_eq!(read.1, whole.1, "{target:?}, chunks of {chunk}, parts of {part}: findings");
        }
    }
}
