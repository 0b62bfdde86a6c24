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
    "OFC-AMT-002", E, Ofc, "an amount with a decimal mark has exactly two decimals", "OFC spec v1.0.6 'Amount'; Parse & Build reader (pelement.c)", Some("write exactly two digits after the decimal mark, e.g. 12.30");
    "OFC-AMT-003", E, Ofc, "an amount has no thousands separator, currency symbol or `+` sign", "ofc.dtd %AMTSTR; ofc-codes.md §2", Some("remove grouping separators, symbols and `+`: -1234.56");
    "OFC-CODE-001", E, Ofc, "a numeric code (ACCTTYPE, TRNTYPE, ACTION, SERVICE, STATUS) is one of the OFC table", "ofc.dtd comments; ofc-codes.md §1", None;
    "OFC-DT-001", E, Ofc, "a date is YYYYMMDD or YYYYMMDDHHMMSS (no fraction, no time zone)", "ofc.dtd %DTSTR; ofc-codes.md §2", Some("write the date as YYYYMMDD or YYYYMMDDHHMMSS");
    "OFC-DT-004", E, Ofc, "a date is a real calendar date and time (month 01-12, day of that month, hour < 24)", "ofc.dtd %DTSTR", None;
    "OFC-SEM-001", E, Ofc, "FITID is unique within a statement", "OFC spec v1.0.6 (Money matches downloaded transactions on FITID)", Some("give every transaction of the statement its own FITID");
    "OFC-SEM-002", W, Ofc, "a transaction's DTPOSTED lies within the statement's DTSTART..DTEND (compared by day)", "ofc.dtd STMTRS; OFC spec 'Statement'", None;
    "OFC-SEM-003", E, Ofc, "a transaction has NAME or PAYEE, not both", "ofc.dtd GENTRN: (PAYEE | NAME)?", Some("keep one of NAME and PAYEE");
    "OFC-SEM-004", E, Ofc, "a statement has a LEDGER balance", "ofc.dtd STMTRS: (DTSTART, DTEND, LEDGER, STMTTRN*)", Some("add <LEDGER> with the closing balance after <DTEND>");
    "OFC-SEM-006", E, Ofc, "an ERROR text comes only with STATUS 100", "ofc.dtd STATUS comment; ofc-codes.md §1.5", Some("use STATUS 100 with ERROR, or drop ERROR");
    "OFC-SEM-007", W, Ofc, "a STATUS reports a failure (1, 3 or 100-106)", "ofc.dtd STATUS; ofc-codes.md §1.5", None;
    "OFC-STR-001", E, Ofc, "a required element is present", "ofc.dtd content models", None;
    "OFC-STR-002", E, Ofc, "an element is allowed in its parent", "ofc.dtd content models", None;
    "OFC-STR-003", E, Ofc, "elements are in the order the DTD gives", "ofc.dtd content models", None;
    "OFC-STR-004", E, Ofc, "an element does not repeat more often than allowed", "ofc.dtd content models", None;
    "OFC-STR-005", E, Ofc, "an element is declared by the OFC DTD", "ofc.dtd", None;
    "OFC-STR-006", E, Ofc, "a leaf holds a value and an aggregate holds elements", "ofc.dtd element declarations", None;
    "OFX-AMT-001", E, Ofx, "an amount matches the OFX amount syntax ([+-]digits with at most one `.` or `,`, at most 32 characters)", "OFX 2.2 OFX_Common.xsd AmountType; ofx160.dtd %AMTTYPE", Some("write the amount as -1234.56");
    "OFX-AMT-003", W, Ofx, "an amount has no thousands separator, currency symbol, trailing or doubled sign (read anyway)", "OFX 2.2 OFX_Common.xsd AmountType", Some("write the amount as -1234.56");
    "OFX-CODE-001", E, Ofx, "an enumerated value (TRNTYPE, ACCTTYPE, SEVERITY, Y/N, ...) is one the profile's specification lists", "ofx160.dtd #Enum comments; OFX 2.2 XSD enumerations", None;
    "OFX-CODE-002", W, Ofx, "an enumerated value is written in upper case", "OFX 2.2 XSD enumerations (case-sensitive)", Some("write the value in upper case");
    "OFX-CODE-003", E, Ofx, "a currency code (CURDEF, CURSYM) is an ISO 4217 code", "OFX 2.2 §5.2 (CurrencyEnum: ISO 4217)", None;
    "OFX-DT-001", E, Ofx, "a date-time is YYYYMMDD[HHMMSS[.XXX]][[offset[:TZ]]]", "OFX 2.2 OFX_Common.xsd DateTimeType; ofx160.dtd %DTTMTYPE", Some("write the date as YYYYMMDDHHMMSS.XXX[-5:EST]");
    "OFX-DT-002", W, Ofx, "a date-time uses a precision the specification allows (no 10- or 12-digit times, three-digit fractions, nothing after the value)", "OFX 2.2 §3.2.8.2; DateTimeType", Some("write YYYYMMDD, YYYYMMDDHHMMSS or YYYYMMDDHHMMSS.XXX");
    "OFX-DT-003", E, Ofx, "a time zone bracket is [offset] or [offset:name] with |offset| <= 14 hours, and closed", "OFX 2.2 §3.2.8.2; DateTimeType", Some("write the zone as [-5:EST]");
    "OFX-DT-004", E, Ofx, "a date-time is a real calendar date and time (month 01-12, day of that month, hour < 24)", "OFX 2.2 §3.2.8.2", None;
    "OFX-DT-005", W, Ofx, "a time zone bracket gives a numeric offset, and its name agrees with it", "OFX 2.2 §3.2.8.2", Some("write the numeric offset before the name, e.g. [-5:EST]");
    "OFX-SEM-001", E, Ofx, "FITID is unique within a statement", "OFX 2.2 §3.2.1 (FITID)", Some("give every transaction of the statement its own FITID");
    "OFX-SEM-002", W, Ofx, "a transaction's DTPOSTED lies within its list's DTSTART..DTEND (compared by day)", "OFX 2.2 §11.4.2.2 (BANKTRANLIST)", None;
    "OFX-SEM-003", E, Ofx, "a transaction has NAME or PAYEE, not both", "OFX 2.2 §11.4.4.1 STMTTRN: (NAME | PAYEE)?", Some("keep one of NAME and PAYEE");
    "OFX-SEM-004", E, Ofx, "a bank or credit-card statement has a ledger balance (LEDGERBAL)", "OFX 2.2 §11.4.2.2 STMTRS, §11.4.3.2 CCSTMTRS", Some("add <LEDGERBAL> with <BALAMT> and <DTASOF>");
    "OFX-SEM-005", W, Ofx, "a STATUS CODE is one the specification defines", "OFX 2.2 §3.1.4 and the status tables of each message", None;
    "OFX-SEM-006", W, Ofx, "a STATUS reports an error or a warning (surfaced so it is not missed)", "OFX 2.2 §3.1.4", None;
    "OFX-SEM-007", E, Ofx, "a STATUS SEVERITY agrees with its CODE", "OFX 2.2 status code tables", None;
    "OFX-SEM-008", E, Ofx, "a synchronization response (*SYNCRS) carries a TOKEN", "OFX 2.2 §6.5.2 (synchronization responses)", Some("add <TOKEN> with the server's current token first in the response");
    "OFX-SEM-009", E, Ofx, "a PMTINFO names its payee (PAYEEID or PAYEE)", "OFX 2.2 §12.5.1.1 PMTINFO", Some("add <PAYEEID> or a <PAYEE> aggregate");
    "OFX-SEM-010", W, Ofx, "a CORRECTFITID names a FITID of the same statement (otherwise it refers to an earlier download)", "OFX 2.2 §11.4.4.1 (CORRECTFITID)", None;
    "OFX-STR-001", E, Ofx, "a required element is present", "ofx160.dtd / ofx201.dtd / OFX 2.2 XSD content models", None;
    "OFX-STR-002", E, Ofx, "an element is allowed in its parent", "ofx160.dtd / ofx201.dtd / OFX 2.2 XSD content models", None;
    "OFX-STR-003", E, Ofx, "elements are in the order the specification gives", "ofx160.dtd / ofx201.dtd / OFX 2.2 XSD content models", None;
    "OFX-STR-004", E, Ofx, "an element does not repeat more often than allowed", "ofx160.dtd / ofx201.dtd / OFX 2.2 XSD content models", None;
    "OFX-STR-005", E, Ofx, "an element is declared by the profile's specification (dotted vendor names are OFX-STR-007)", "ofx160.dtd / ofx201.dtd / OFX 2.2 XSD", None;
    "OFX-STR-006", E, Ofx, "a leaf holds a value and an aggregate holds elements", "ofx160.dtd / ofx201.dtd / OFX 2.2 XSD", None;
    "OFX-STR-007", W, Ofx, "a vendor extension element (a name with a period, such as INTU.BID) in a file not checked as QFX", "OFX 2.2 §2.7.1 (private tags contain a period)", Some("check the file with --profile qfx if Intuit elements are expected");
    "OFX-STR-009", W, Ofx, "an element the profile's DTD or schema lacks but another OFX version declares (such as the 401(k) elements under the 1.6 DTD)", "ofx160.dtd / ofx201.dtd / OFX 2.2 XSD", Some("check the file with the --profile of the version that declares it");
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
            "| `{}` | {} | {} | {} | {} | {} |\n",
            r.id,
            r.severity,
            applies,
            r.summary.replace('|', "\\|"),
            r.spec,
            r.help.unwrap_or("").replace('|', "\\|")
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
