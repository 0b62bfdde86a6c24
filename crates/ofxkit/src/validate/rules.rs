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
    "OFC-AMT-001", E, Ofc, "an amount must be digits with an optional leading `-` and a `.` or `,` decimal mark", "ofc.dtd %AMTSTR; ofc-codes.md §2", Some("write the amount as -1234.56 or -1234,56");
    "OFC-AMT-002", E, Ofc, "an amount has exactly two decimals (or none)", "OFC spec v1.0.6 'Amount'; Microsoft Parse & Build reader", Some("write two digits after the decimal mark");
    "OFC-AMT-003", E, Ofc, "an amount has no thousands separator, currency symbol or `+` sign", "ofc.dtd %AMTSTR", None;
    "OFC-CODE-001", E, Ofc, "a numeric code (ACCTTYPE, TRNTYPE, ACTION, SERVICE, STATUS) is in the OFC table", "ofc.dtd comments; ofc-codes.md §1", None;
    "OFC-DT-001", E, Ofc, "a date is YYYYMMDD or YYYYMMDDHHMMSS and a real calendar date and time", "ofc.dtd %DTSTR", Some("write the date as YYYYMMDD or YYYYMMDDHHMMSS");
    "OFC-SEM-001", E, Ofc, "FITID is unique within a statement", "OFC spec: Money de-duplicates on FITID", None;
    "OFC-SEM-002", W, Ofc, "a transaction's DTPOSTED lies within the statement's DTSTART..DTEND", "OFC spec ch. 13", None;
    "OFC-SEM-003", E, Ofc, "a transaction has NAME or PAYEE, not both", "ofc.dtd GENTRN: (PAYEE | NAME)?", Some("keep one of NAME and PAYEE");
    "OFC-SEM-004", E, Ofc, "a statement has a LEDGER balance", "ofc.dtd STMTRS: DTSTART, DTEND, LEDGER, STMTTRN*", None;
    "OFC-SEM-005", W, Ofc, "a transaction has a payee name (NAME or PAYEE), which Money requires", "MSDN Active Statement FAQ", None;
    "OFC-SEM-006", E, Ofc, "an ERROR text appears only with STATUS 100", "ofc.dtd STATUS comment", None;
    "OFC-SEM-007", W, Ofc, "a STATUS that reports a failure", "ofc.dtd STATUS codes 1, 3, 100–106", None;
    "OFC-STR-001", E, Ofc, "a required element is present", "ofc.dtd content models", None;
    "OFC-STR-002", E, Ofc, "an element is allowed in its parent", "ofc.dtd content models", None;
    "OFC-STR-003", E, Ofc, "elements are in the order the DTD gives", "ofc.dtd content models", None;
    "OFC-STR-004", E, Ofc, "an element does not repeat more often than allowed", "ofc.dtd content models", None;
    "OFC-STR-005", E, Ofc, "an element is declared by the OFC DTD", "ofc.dtd", None;
    "OFC-STR-006", E, Ofc, "a leaf holds a value and an aggregate holds elements", "ofc.dtd", None;
    "OFX-AMT-001", E, Ofx, "an amount matches the OFX amount syntax ([+-]digits with one `.` or `,`, at most 32 characters)", "OFX 2.2 OFX_Common.xsd AmountType; ofx160.dtd %AMTTYPE", Some("write the amount as -1234.56");
    "OFX-AMT-003", W, Ofx, "an amount has no thousands separator, currency symbol or trailing sign", "OFX 2.2 AmountType", None;
    "OFX-CODE-001", E, Ofx, "an enumerated value (TRNTYPE, ACCTTYPE, SEVERITY, …) is one the specification lists", "DTD #Enum comments; OFX 2.2 XSD enumerations", None;
    "OFX-CODE-002", W, Ofx, "an enumerated value is written in upper case", "OFX 2.2 XSD enumerations", Some("write the value in upper case");
    "OFX-CODE-003", E, Ofx, "a currency code (CURDEF, CURSYM) is an ISO 4217 code", "OFX 2.2 CurrencyEnum (ISO 4217)", None;
    "OFX-DT-001", E, Ofx, "a date-time is YYYYMMDD[HHMMSS[.XXX]][[offset[:TZ]]] and a real calendar date and time", "OFX 2.2 DateTimeType; ofx160.dtd %DTTMTYPE", Some("write the date as YYYYMMDDHHMMSS.XXX[-5:EST]");
    "OFX-DT-002", W, Ofx, "a date-time uses a form the specification allows (no 12-digit times, repeated or partial zones)", "OFX 2.2 DateTimeType", None;
    "OFX-DT-003", W, Ofx, "a time zone's offset and name agree", "OFX 2.2 DateTimeType", None;
    "OFX-SEM-001", E, Ofx, "FITID is unique within a statement", "OFX 2.2 §3.2.1 (FITID)", None;
    "OFX-SEM-002", W, Ofx, "a transaction's DTPOSTED lies within the list's DTSTART..DTEND", "OFX 2.2 §11.4.2", None;
    "OFX-SEM-003", E, Ofx, "a transaction has NAME or PAYEE, not both", "OFX 2.2 STMTTRN: (NAME | PAYEE)?", Some("keep one of NAME and PAYEE");
    "OFX-SEM-004", E, Ofx, "a statement has a ledger balance (LEDGERBAL)", "OFX 2.2 STMTRS/CCSTMTRS", None;
    "OFX-SEM-005", W, Ofx, "a STATUS code is one the specification defines", "OFX 2.2 status code tables", None;
    "OFX-SEM-006", W, Ofx, "a STATUS reports an error", "OFX 2.2 §3.1.4", None;
    "OFX-SEM-007", E, Ofx, "a STATUS SEVERITY agrees with its CODE", "OFX 2.2 status code tables", None;
    "OFX-SEM-008", E, Ofx, "a synchronization response carries a TOKEN", "OFX 2.2 §6.5 (AbstractSyncResponse)", None;
    "OFX-SEM-009", E, Ofx, "a PMTINFO names a payee (PAYEEID or PAYEE)", "OFX 2.2 §12.5.1 PMTINFO", None;
    "OFX-SEM-010", W, Ofx, "a CORRECTFITID names a FITID of the same statement", "OFX 2.2 §11.4.4.1", None;
    "OFX-SEM-011", E, Ofx, "a CORRECTFITID comes with a CORRECTACTION", "OFX 2.2 STMTTRN: (CORRECTFITID, CORRECTACTION)?", None;
    "OFX-STR-001", E, Ofx, "a required element is present", "DTD / XSD content models", None;
    "OFX-STR-002", E, Ofx, "an element is allowed in its parent", "DTD / XSD content models", None;
    "OFX-STR-003", E, Ofx, "elements are in the order the specification gives", "DTD / XSD content models", None;
    "OFX-STR-004", E, Ofx, "an element does not repeat more often than allowed", "DTD / XSD content models", None;
    "OFX-STR-005", W, Ofx, "an element is declared by the profile's specification (vendor `X.Y` names are reported as OFX-STR-007)", "DTD / XSD", None;
    "OFX-STR-006", E, Ofx, "a leaf holds a value and an aggregate holds elements", "DTD / XSD", None;
    "OFX-STR-007", W, Ofx, "a vendor extension element (INTU.*, …)", "OFX 2.2 §2.7 (private tags contain a period)", None;
}

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.binary_search_by(|r| r.id.cmp(id)).ok().and_then(|i| RULES.get(i))
}

/// The catalog as Markdown (`crates/ofxkit/docs/rules.md` is this text; a test keeps it
/// current).
pub fn catalog_markdown() -> String {
    let mut out = String::from(
        "# ofxkit validation rules\n\n\
         Generated from `crates/ofxkit/src/validate/rules.rs` \
         (`OFXKIT_BLESS=1 cargo test -p ofxkit --test rules_catalog` regenerates it).\n\n\
         Ids: `FAMILY-AREA-NNN`, family `OFX` or `OFC`; areas STR structure, AMT amounts, DT dates, \
         CODE coded values, SEM meaning across elements. Findings of the reader itself keep their \
         `E-…`/`W-…` codes (see `ofxkit_syntax::Code`) and can be tuned with `--deny`/`--allow` too.\n\n\
         | id | severity | profiles | checks | spec |\n| --- | --- | --- | --- | --- |\n",
    );
    for r in RULES {
        let applies = match r.applies {
            Applies::All => "all",
            Applies::Ofx => "ofx102–ofx220, qfx",
            Applies::Ofc => "ofc",
        };
        out.push_str(&format!("| `{}` | {} | {} | {} | {} |\n", r.id, r.severity, applies, r.summary, r.spec));
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
