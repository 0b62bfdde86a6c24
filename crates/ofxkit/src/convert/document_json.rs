//! The whole document as JSON (`--to json` without `--what`), written as it is read: the
//! model is read with each statement's transactions left as elements (their findings and
//! errors counted as the whole model's are), and each transaction is read again and written
//! at once when its statement's `transactions` array is written. A file of a million
//! transactions never holds them all as values (a `Transaction` is several hundred bytes,
//! more than the text it comes from): memory stays near the file and its tree.
//!
//! The bytes are those of `serde_json` over the whole [`Model`](crate::model::Model) (the
//! `documents_agree` oracle checks this on every corpus file): the model and each statement
//! are serialised by `serde_json` with an empty list, and the transactions are written where
//! that list's `[]` is.

use std::io::{self, Write};

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::model::ModelOptions;
use crate::read;

use super::Sourced;

/// Writes `doc` as one JSON document object (see the module doc); returns the model's
/// findings.
pub(super) fn write<W: Write>(
    out: &mut W,
    source: &str,
    doc: &Document<'_>,
    options: &ModelOptions,
) -> io::Result<Vec<Diagnostic>> {
    let syntax = doc.syntax();
    let tree = syntax.tree();
    let mut model = read::read_model_as_nodes(syntax, options, doc.findings_cap());
    let statements = std::mem::take(&mut model.statements);
    let mut scratch = Vec::new();
    let (head, tail) =
        around_empty_list(&mut scratch, &Sourced { source, model: &model }, "statements")?;
    let tail = tail.to_vec();
    out.write_all(head)?;
    let mut inner = Vec::new();
    for (i, statement) in statements.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        let (head, tail) = around_empty_list(&mut inner, statement, "transactions")?;
        out.write_all(head)?;
        for (j, (node, fund)) in statement.transaction_nodes.iter().enumerate() {
            let Some(el) = tree.get(*node) else { continue };
            let fund = fund.and_then(|f| tree.get(f));
            let t = read::read_transaction_again(
                tree,
                syntax.format(),
                options,
                el,
                fund,
                &model.errors,
            );
            if j > 0 {
                out.write_all(b",")?;
            }
            serde_json::to_writer(&mut *out, &t).map_err(io::Error::other)?;
        }
        out.write_all(tail)?;
    }
    out.write_all(&tail)?;
    Ok(std::mem::take(&mut model.diagnostics))
}

/// Serialises `value` into `buf` and splits it around the empty array of its field `key`:
/// the part up to and with the `[`, and the part from the `]`.
///
/// The first `"key":[]` is the field's: the fields before it (of the model: the source,
/// format, version, flags and sign-on; of a statement: its kind, identifiers, status,
/// currency, account and dates) have no field of that name, and text is escaped (a `"`
/// inside a string is written `\"`, so no string holds `"key":`).
fn around_empty_list<'b>(
    buf: &'b mut Vec<u8>,
    value: &impl Serialize,
    key: &str,
) -> io::Result<(&'b [u8], &'b [u8])> {
    buf.clear();
    serde_json::to_writer(&mut *buf, value).map_err(io::Error::other)?;
    let needle = format!("\"{key}\":[]");
    let at = memchr::memmem::find(buf, needle.as_bytes())
        .ok_or_else(|| io::Error::other(format!("no empty `{key}` list in the JSON written")))?;
    // Up to the `[` (inclusive), and from the `]`.
    Ok(buf.split_at(at + needle.len() - 1))
}
