//! The rule catalog: every finding the validator can make, with a stable id.
//!
//! Ids read `FAMILY-AREA-NNN`: the family is `OFX` or `OFC` (the same check may differ
//! between them), the area `STR` (structure), `AMT` (amounts), `DT` (dates), `CODE` (coded
//! values), `SEM` (meaning across elements). Findings of the syntax layer keep their own
//! codes (`E-…`, `W-…`) and are listed in the catalog under the area `SYN`.

use ofxkit_syntax::Severity;

/// Which profiles a rule applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applies {
    /// Every profile.
    All,
    /// OFX and QFX profiles.
    Ofx,
    /// The OFC profile.
    Ofc,
}

/// One rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Stable id.
    pub id: &'static str,
    /// Default severity.
    pub severity: Severity,
    /// Profiles it applies to.
    pub applies: Applies,
    /// One line: what it checks.
    pub summary: &'static str,
    /// Where the requirement comes from.
    pub spec: &'static str,
    /// How to fix a finding, when one fix fits all.
    pub help: Option<&'static str>,
}

const E: Severity = Severity::Error;
const W: Severity = Severity::Warning;

macro_rules! rules {
    ($( $id:literal, $sev:expr, $applies:ident, $summary:literal, $spec:literal, $help:expr; )*) => {
        /// Every rule, sorted by id.
        pub static RULES: &[Rule] = &[
            $( Rule { id: $id, severity: $sev, applies: Applies::$applies, summary: $summary, spec: $spec, help: $help }, )*
        ];
    };
}

rules! {
    "OFC-AMT-001", E, Ofc, "an amount is digits with an optional leading `-` and one `.` or `,` decimal mark", "ofc.dtd %AMTSTR; ofc-codes.md §2", Some("write the amount as -1234.56 or -1234,56");
    "OFC-AMT-002", E, Ofc, "an amount with a decimal mark has exactly two decimals", "ofc-codes.md §2 (AMTSTR: 0 or exactly 2 decimals, per the OFC spec and the Parse & Build reader)", Some("write exactly two digits after the decimal mark, e.g. 12.30");
    "OFC-AMT-003", E, Ofc, "an amount has no thousands separator, currency symbol or `+` sign", "ofc.dtd %AMTSTR; ofc-codes.md §2", Some("remove grouping separators, symbols and `+`: -1234.56");
    "OFC-CODE-001", E, Ofc, "a numeric code (ACCTTYPE, TRNTYPE, ACTION, SERVICE, STATUS) is one of the OFC table", "ofc.dtd comments; ofc-codes.md §1", None;
    "OFC-CODE-002", E, Ofc, "the file says DTD 2 and CPAGE 1252, the only values Money and the OFC reference reader accept", "ofc-codes.md §1.6 (DTD, CPAGE)", Some("write <DTD>2 and <CPAGE>1252 (and the text in Windows-1252)");
    "OFC-DT-001", E, Ofc, "a date is YYYYMMDD or YYYYMMDDHHMMSS (no fraction, no time zone)", "ofc.dtd %DTSTR; ofc-codes.md §2", Some("write the date as YYYYMMDD or YYYYMMDDHHMMSS");
    "OFC-DT-004", E, Ofc, "a date is a real calendar date and time (month 01-12, day of that month, hour < 24)", "ofc.dtd %DTSTR", None;
    "OFC-SEM-001", E, Ofc, "FITID is unique within a statement", "ofc.dtd GENTRN FITID; ofc-codes.md", Some("give every transaction of the statement its own FITID");
    "OFC-SEM-002", W, Ofc, "a transaction's DTPOSTED lies within the statement's DTSTART..DTEND (compared by day)", "ofc.dtd STMTRS (DTSTART, DTEND, LEDGER, STMTTRN*)", None;
    "OFC-SEM-003", E, Ofc, "a transaction has NAME or PAYEE, not both", "ofc.dtd GENTRN: (PAYEE | NAME)?", Some("keep one of NAME and PAYEE");
    "OFC-SEM-004", E, Ofc, "a statement has a LEDGER balance", "ofc.dtd STMTRS: (DTSTART, DTEND, LEDGER, STMTTRN*)", Some("add <LEDGER> with the closing balance after <DTEND>");
    "OFC-SEM-006", E, Ofc, "an ERROR text comes only with STATUS 100", "ofc.dtd STATUS comment; ofc-codes.md §1.5", Some("use STATUS 100 with ERROR, or drop ERROR");
    "OFC-SEM-007", W, Ofc, "a STATUS reports a failure (1, 3 or 100-106)", "ofc.dtd STATUS; ofc-codes.md §1.5", None;
    "OFC-SEM-011", W, Ofc, "a transaction has a FITID (optional in the DTD, but without one nothing can deduplicate the transaction)", "ofc.dtd GENTRN: FITID?", Some("give every transaction a FITID unique within its statement");
    "OFC-STR-001", E, Ofc, "a required element is present", "ofc.dtd content models", None;
    "OFC-STR-002", E, Ofc, "an element is allowed in its parent", "ofc.dtd content models", None;
    "OFC-STR-003", E, Ofc, "elements are in the order the DTD gives", "ofc.dtd content models", None;
    "OFC-STR-004", E, Ofc, "an element does not repeat more often than allowed", "ofc.dtd content models", None;
    "OFC-STR-005", E, Ofc, "an element is declared by the OFC DTD", "ofc.dtd", None;
    "OFC-STR-006", E, Ofc, "a leaf holds a value and an aggregate holds elements", "ofc.dtd element declarations", None;
    "OFX-AMT-001", E, Ofx, "an amount matches the OFX amount syntax ([+-]digits with at most one `.` or `,`, at most 32 characters)", "OFX_Common.xsd AmountType; ofx160.dtd %AMTTYPE", Some("write the amount as -1234.56");
    "OFX-AMT-003", W, Ofx, "an amount has no thousands separator, currency symbol, trailing or doubled sign (read anyway)", "OFX_Common.xsd AmountType", Some("write the amount as -1234.56");
    "OFX-CODE-001", E, Ofx, "an enumerated value (TRNTYPE, ACCTTYPE, SEVERITY, Y/N, ...) is one the profile's specification lists", "ofx160.dtd #Enum comments; OFX 2.2 XSD enumerations", None;
    "OFX-CODE-002", W, Ofx, "an enumerated value is written in upper case", "OFX 2.2 XSD enumerations (case-sensitive); ofx160.dtd #Enum comments", Some("write the value in upper case");
    "OFX-CODE-003", E, Ofx, "a currency code (CURDEF, CURSYM) is an ISO 4217 code", "OFX_Common.xsd CurrencyEnum (ISO 4217 codes); ofx160.dtd %CURRENCYENUM", None;
    "OFX-DT-001", E, Ofx, "a date-time is YYYYMMDD[HHMMSS[.XXX]][[offset[:TZ]]]", "OFX_Common.xsd DateTimeType; ofx160.dtd %DTTMTYPE", Some("write the date as YYYYMMDDHHMMSS.XXX[-5:EST]");
    "OFX-DT-002", W, Ofx, "a date-time uses a precision the specification allows (no 10- or 12-digit times, three-digit fractions, nothing after the value)", "OFX_Common.xsd DateTimeType; ofx160.dtd %DTTMTYPE", Some("write YYYYMMDD, YYYYMMDDHHMMSS or YYYYMMDDHHMMSS.XXX");
    "OFX-DT-003", E, Ofx, "a time zone bracket is [offset] or [offset:name] with |offset| <= 14 hours, and closed", "OFX_Common.xsd DateTimeType; ofx160.dtd %DTTMTYPE", Some("write the zone as [-5:EST]");
    "OFX-DT-004", E, Ofx, "a date-time is a real calendar date and time (month 01-12, day of that month, hour < 24)", "OFX_Common.xsd DateTimeType; ofx160.dtd %DTTMTYPE", None;
    "OFX-DT-005", W, Ofx, "a time zone bracket gives a numeric offset in whole hours (not [+5.30], [+05:30] or [+0530], which readers take differently), and its name agrees with it", "OFX_Common.xsd DateTimeType; ofx160.dtd %DTTMTYPE", Some("write the numeric offset before the name, e.g. [-5:EST]");
    "OFX-SEM-001", E, Ofx, "FITID is unique within a statement", "OFX_Common.xsd FinancialInstitutionTransactionIdType; ofx-essentials.md (FITID identifies a transaction)", Some("give every transaction of the statement its own FITID");
    "OFX-SEM-002", W, Ofx, "a transaction's DTPOSTED lies within its list's DTSTART..DTEND (compared by day)", "OFX_Common.xsd BankTransactionList (DTSTART, DTEND, STMTTRN*)", None;
    "OFX-SEM-003", E, Ofx, "a transaction has NAME or PAYEE, not both", "OFX_Common.xsd StatementTransaction: (NAME | PAYEE)?; ofx160.dtd STMTTRN", Some("keep one of NAME and PAYEE");
    "OFX-SEM-004", E, Ofx, "a bank or credit-card statement has a ledger balance (LEDGERBAL)", "OFX_Banking_Messages.xsd STMTRS, OFX_CreditCard_Messages.xsd CCSTMTRS (LEDGERBAL required)", Some("add <LEDGERBAL> with <BALAMT> and <DTASOF>");
    "OFX-SEM-005", W, Ofx, "a STATUS CODE is one the specification defines", "ofx-essentials.md §5.4 (status codes of the OFX 2.x tables)", None;
    "OFX-SEM-006", W, Ofx, "a STATUS reports an error or a warning (surfaced so it is not missed)", "ofx-essentials.md §5.4; OFX_Common.xsd Status", None;
    "OFX-SEM-007", E, Ofx, "a STATUS SEVERITY agrees with its CODE", "ofx-essentials.md §5.4 (CODE with its SEVERITY)", None;
    "OFX-SEM-008", E, Ofx, "a synchronization response (*SYNCRS) carries a TOKEN", "OFX_Common.xsd AbstractSyncResponse (TOKEN required); ofx160.dtd (TOKEN | TOKEN2)", Some("add <TOKEN> with the server's current token first in the response");
    "OFX-SEM-009", E, Ofx, "a PMTINFO names its payee (PAYEEID or PAYEE)", "OFX_BillPay.xsd PaymentInfo: (PAYEEID | PAYEE); ofx160.dtd PMTINFO", Some("add <PAYEEID> or a <PAYEE> aggregate");
    "OFX-SEM-010", W, Ofx, "a CORRECTFITID names a FITID of the same statement (otherwise it refers to an earlier download)", "OFX_Common.xsd StatementTransaction (CORRECTFITID, CORRECTACTION)", None;
    "OFX-STR-001", E, Ofx, "a required element is present", "ofx160.dtd / ofx201.dtd / OFX 2.2 XSD content models", None;
    "OFX-STR-002", E, Ofx, "an element is allowed in its parent", "ofx160.dtd / ofx201.dtd / OFX 2.2 XSD content models", None;
    "OFX-STR-003", E, Ofx, "elements are in the order the specification gives", "ofx160.dtd / ofx201.dtd / OFX 2.2 XSD content models", None;
    "OFX-STR-004", E, Ofx, "an element does not repeat more often than allowed", "ofx160.dtd / ofx201.dtd / OFX 2.2 XSD content models", None;
    "OFX-STR-005", E, Ofx, "an element is declared by the profile's specification (dotted vendor names are OFX-STR-007)", "ofx160.dtd / ofx201.dtd / OFX 2.2 XSD", None;
    "OFX-STR-006", E, Ofx, "a leaf holds a value and an aggregate holds elements", "ofx160.dtd / ofx201.dtd / OFX 2.2 XSD", None;
    "OFX-STR-007", W, Ofx, "a vendor extension element (a name with a period); Intuit INTU.* elements are expected, and not reported, in QFX", "OFX_Common.xsd (vendor extensions); QFX practice: INTU.* elements", Some("check the file with --profile qfx if Intuit elements are expected");
    "OFX-STR-009", W, Ofx, "an element the profile's DTD or schema lacks but another OFX version declares (such as the 401(k) elements under the 1.6 DTD)", "ofx160.dtd / ofx201.dtd / OFX 2.2 XSD", Some("check the file with the --profile of the version that declares it");
}

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.binary_search_by(|r| r.id.cmp(id)).ok().and_then(|i| RULES.get(i))
}

/// The anchor of a rule id or reader code in `crates/ofxkit/docs/rules.md`: the id in lower
/// case (`rules.md#ofc-amt-002`, `rules.md#e-unexpected-eof`).
///
/// ```
/// assert_eq!(ofxkit::validate::rules::anchor("OFC-AMT-002"), "ofc-amt-002");
/// assert!(ofxkit::validate::rules::catalog_markdown().contains("<a id=\"ofc-amt-002\"></a>"));
/// ```
pub fn anchor(id: &str) -> String {
    id.to_ascii_lowercase()
}

/// The default severity of a reader code: `E-…` codes are errors, `W-…` warnings (a
/// [`Leniency`](ofxkit_syntax::Leniency) switch turned off makes a warning an error).
pub fn reader_severity(code: ofxkit_syntax::Code) -> Severity {
    if code.as_str().starts_with("E-") { Severity::Error } else { Severity::Warning }
}

/// The catalog as Markdown (`crates/ofxkit/docs/rules.md` is this text; a test keeps it
/// current). Every rule id and reader code has an anchor, its id in lower case ([`anchor`]).
pub fn catalog_markdown() -> String {
    let mut out = String::from(
        "# ofxkit validation rules\n\n\
         Generated from `crates/ofxkit/src/validate/rules.rs` \
         (`OFXKIT_BLESS=1 cargo test -p ofxkit --test rules_catalog` regenerates it).\n\n\
         Ids: `FAMILY-AREA-NNN`, family `OFX` or `OFC`; areas STR structure, AMT amounts, DT dates, \
         CODE coded values, SEM meaning across elements. Findings of the reader itself keep their \
         `E-…`/`W-…` codes (see `ofxkit_syntax::Code`) and can be tuned with `--deny`/`--allow` too.\n\n\
         Every rule has a failing and a passing file in `corpus/validate/` \
         (`RULE.fail.*`, `RULE.pass.*`); `crates/ofxkit/tests/validate_rules.rs` checks the rule id, \
         line and column of each.\n\n\
         | id | severity | profiles | checks | spec | help |\n| --- | --- | --- | --- | --- | --- |\n",
    );
    for r in RULES {
        let applies = match r.applies {
            Applies::All => "all",
            Applies::Ofx => "ofx102–ofx220, qfx",
            Applies::Ofc => "ofc",
        };
        out.push_str(&format!(
            "| <a id=\"{}\"></a>`{}` | {} | {} | {} | {} | {} |\n",
            anchor(r.id),
            r.id,
            r.severity,
            applies,
            r.summary.replace('|', "\\|"),
            r.spec,
            r.help.unwrap_or("").replace('|', "\\|")
        ));
    }
    out.push_str(
        "\n## Reader codes\n\n\
         Findings of the reader itself (`ofxkit_syntax::Code`, where each is described): `E-…` \
         are errors, `W-…` warnings that a strict reading (`--strict`) makes errors.\n\n",
    );
    for code in ofxkit_syntax::Code::ALL {
        let id = code.as_str();
        out.push_str(&format!(
            "- <a id=\"{}\"></a>`{id}` ({})\n",
            anchor(id),
            reader_severity(*code)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_sorted_unique_and_well_formed() {
        for pair in RULES.windows(2) {
            if let [a, b] = pair {
                assert!(a.id < b.id, "{} before {}", a.id, b.id);
            }
        }
        for r in RULES {
            let parts: Vec<&str> = r.id.split('-').collect();
            assert_eq!(parts.len(), 3, "{}", r.id);
            assert!(matches!(parts[0], "OFX" | "OFC"), "{}", r.id);
            assert!(matches!(parts[1], "STR" | "AMT" | "DT" | "CODE" | "SEM"), "{}", r.id);
            assert_eq!(parts[2].len(), 3, "{}", r.id);
            assert_eq!(rule(r.id).map(|x| x.id), Some(r.id));
        }
    }
}
