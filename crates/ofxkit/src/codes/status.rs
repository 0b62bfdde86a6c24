//! OFX `STATUS` codes with their severity and meaning (OFX 2.x specification tables, as
//! collected in `shared/spec/ofx-essentials.md` §5.4).
//!
//! ```
//! use ofxkit::codes::status::lookup;
//! use ofxkit::codes::ofx::Severity;
//! let s = lookup(2000).unwrap();
//! assert_eq!((s.severity, s.meaning), (Severity::Error, "general error (use only when no specific code fits)"));
//! assert!(lookup(99999).is_none());
//! ```

use crate::codes::ofx::Severity;

/// One row of the status table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusInfo {
    /// The code.
    pub code: u32,
    /// The severity the specification gives it.
    pub severity: Severity,
    /// What it means.
    pub meaning: &'static str,
}

use Severity as Sev;

/// Every status code, sorted.
pub static STATUS_CODES: &[StatusInfo] = &[
    StatusInfo { code: 0, severity: Sev::Info, meaning: "success" },
    StatusInfo { code: 1, severity: Sev::Info, meaning: "client is up to date (nothing new)" },
    StatusInfo {
        code: 2000,
        severity: Sev::Error,
        meaning: "general error (use only when no specific code fits)",
    },
    StatusInfo { code: 2001, severity: Sev::Error, meaning: "invalid account" },
    StatusInfo { code: 2002, severity: Sev::Error, meaning: "general account error" },
    StatusInfo { code: 2003, severity: Sev::Error, meaning: "account not found" },
    StatusInfo { code: 2004, severity: Sev::Error, meaning: "account closed" },
    StatusInfo { code: 2005, severity: Sev::Error, meaning: "account not authorized" },
    StatusInfo { code: 2006, severity: Sev::Error, meaning: "source account not found" },
    StatusInfo { code: 2007, severity: Sev::Error, meaning: "source account closed" },
    StatusInfo { code: 2008, severity: Sev::Error, meaning: "source account not authorized" },
    StatusInfo { code: 2009, severity: Sev::Error, meaning: "destination account not found" },
    StatusInfo { code: 2010, severity: Sev::Error, meaning: "destination account closed" },
    StatusInfo { code: 2011, severity: Sev::Error, meaning: "destination account not authorized" },
    StatusInfo { code: 2012, severity: Sev::Error, meaning: "invalid amount" },
    StatusInfo { code: 2014, severity: Sev::Error, meaning: "date too soon" },
    StatusInfo { code: 2015, severity: Sev::Error, meaning: "date too far in future" },
    StatusInfo {
        code: 2016,
        severity: Sev::Error,
        meaning: "transaction already committed (cannot modify/cancel via OFX)",
    },
    StatusInfo { code: 2017, severity: Sev::Error, meaning: "already canceled" },
    StatusInfo { code: 2018, severity: Sev::Error, meaning: "unknown server ID" },
    StatusInfo {
        code: 2019,
        severity: Sev::Error,
        meaning: "duplicate request (TRNUID already processed)",
    },
    StatusInfo { code: 2020, severity: Sev::Error, meaning: "invalid date" },
    StatusInfo { code: 2021, severity: Sev::Error, meaning: "unsupported version" },
    StatusInfo { code: 2022, severity: Sev::Error, meaning: "invalid TAN" },
    StatusInfo {
        code: 2023,
        severity: Sev::Error,
        meaning: "unknown FITID (BILLID in billing sets)",
    },
    StatusInfo { code: 2025, severity: Sev::Error, meaning: "branch ID missing" },
    StatusInfo { code: 2026, severity: Sev::Error, meaning: "bank name doesn't match bank ID" },
    StatusInfo { code: 2027, severity: Sev::Error, meaning: "invalid date range" },
    StatusInfo {
        code: 2028,
        severity: Sev::Warn,
        meaning: "requested element unknown (rest executed)",
    },
    StatusInfo {
        code: 3000,
        severity: Sev::Error,
        meaning: "MFA challenge authentication required",
    },
    StatusInfo { code: 3001, severity: Sev::Error, meaning: "MFA challenge information invalid" },
    StatusInfo {
        code: 6500,
        severity: Sev::Error,
        meaning: "REJECTIFMISSINGY invalid without TOKEN (with REFRESH or TOKENONLY)",
    },
    StatusInfo {
        code: 6501,
        severity: Sev::Warn,
        meaning: "embedded transactions in request failed: token out of date (goes in SYNCERROR)",
    },
    StatusInfo {
        code: 6502,
        severity: Sev::Error,
        meaning: "embedded transaction not processed because of out-of-date token",
    },
    StatusInfo { code: 10000, severity: Sev::Info, meaning: "stop check in process" },
    StatusInfo { code: 10500, severity: Sev::Error, meaning: "too many checks to process" },
    StatusInfo { code: 10501, severity: Sev::Error, meaning: "invalid payee" },
    StatusInfo { code: 10502, severity: Sev::Error, meaning: "invalid payee address" },
    StatusInfo { code: 10503, severity: Sev::Error, meaning: "invalid payee account number" },
    StatusInfo { code: 10504, severity: Sev::Error, meaning: "insufficient funds" },
    StatusInfo { code: 10505, severity: Sev::Error, meaning: "cannot modify element" },
    StatusInfo {
        code: 10506,
        severity: Sev::Error,
        meaning: "cannot modify source account (reserved)",
    },
    StatusInfo {
        code: 10507,
        severity: Sev::Error,
        meaning: "cannot modify destination account (reserved)",
    },
    StatusInfo { code: 10508, severity: Sev::Error, meaning: "invalid frequency" },
    StatusInfo { code: 10509, severity: Sev::Error, meaning: "model already canceled" },
    StatusInfo { code: 10510, severity: Sev::Error, meaning: "invalid payee ID" },
    StatusInfo { code: 10511, severity: Sev::Error, meaning: "invalid payee city" },
    StatusInfo { code: 10512, severity: Sev::Error, meaning: "invalid payee state" },
    StatusInfo { code: 10513, severity: Sev::Error, meaning: "invalid payee postal code" },
    StatusInfo { code: 10514, severity: Sev::Error, meaning: "transaction already processed" },
    StatusInfo { code: 10515, severity: Sev::Error, meaning: "payee not modifiable by client" },
    StatusInfo { code: 10516, severity: Sev::Error, meaning: "wire beneficiary invalid" },
    StatusInfo { code: 10517, severity: Sev::Error, meaning: "invalid payee name" },
    StatusInfo { code: 10518, severity: Sev::Error, meaning: "unknown model ID" },
    StatusInfo { code: 10519, severity: Sev::Error, meaning: "invalid payee list ID" },
    StatusInfo { code: 10600, severity: Sev::Error, meaning: "table type not found" },
    StatusInfo {
        code: 12250,
        severity: Sev::Warn,
        meaning: "investment transaction download not supported",
    },
    StatusInfo {
        code: 12251,
        severity: Sev::Warn,
        meaning: "investment position download not supported",
    },
    StatusInfo {
        code: 12252,
        severity: Sev::Warn,
        meaning: "positions for requested date not available",
    },
    StatusInfo { code: 12253, severity: Sev::Warn, meaning: "open-order download not supported" },
    StatusInfo { code: 12254, severity: Sev::Warn, meaning: "balances download not supported" },
    StatusInfo {
        code: 12255,
        severity: Sev::Error,
        meaning: "401(k) not available for this account",
    },
    StatusInfo { code: 12500, severity: Sev::Error, meaning: "one or more securities not found" },
    StatusInfo {
        code: 13000,
        severity: Sev::Info,
        meaning: "user ID & password will be sent out of band",
    },
    StatusInfo { code: 13500, severity: Sev::Error, meaning: "unable to enroll user" },
    StatusInfo { code: 13501, severity: Sev::Error, meaning: "user already enrolled" },
    StatusInfo { code: 13502, severity: Sev::Error, meaning: "invalid service" },
    StatusInfo { code: 13503, severity: Sev::Error, meaning: "cannot change user information" },
    StatusInfo { code: 13504, severity: Sev::Error, meaning: "FI missing or invalid in SONRQ" },
    StatusInfo { code: 14500, severity: Sev::Error, meaning: "1099 forms not available" },
    StatusInfo {
        code: 14501,
        severity: Sev::Error,
        meaning: "1099 forms not available for user ID",
    },
    StatusInfo { code: 14600, severity: Sev::Error, meaning: "W2 forms not available" },
    StatusInfo { code: 14601, severity: Sev::Error, meaning: "W2 forms not available for user ID" },
    StatusInfo { code: 14700, severity: Sev::Error, meaning: "1098 forms not available" },
    StatusInfo {
        code: 14701,
        severity: Sev::Error,
        meaning: "1098 forms not available for user ID",
    },
    StatusInfo { code: 15000, severity: Sev::Info, meaning: "must change USERPASS" },
    StatusInfo {
        code: 15500,
        severity: Sev::Error,
        meaning: "signon invalid (bad user ID or password)",
    },
    StatusInfo { code: 15501, severity: Sev::Error, meaning: "customer account already in use" },
    StatusInfo { code: 15502, severity: Sev::Error, meaning: "USERPASS lockout" },
    StatusInfo { code: 15503, severity: Sev::Error, meaning: "could not change USERPASS" },
    StatusInfo { code: 15504, severity: Sev::Error, meaning: "could not provide random data" },
    StatusInfo { code: 15505, severity: Sev::Error, meaning: "country system not supported" },
    StatusInfo { code: 15506, severity: Sev::Error, meaning: "empty signon not supported" },
    StatusInfo {
        code: 15507,
        severity: Sev::Error,
        meaning: "signon invalid without supporting PIN-change request",
    },
    StatusInfo { code: 15508, severity: Sev::Error, meaning: "transaction not authorized" },
    StatusInfo { code: 15510, severity: Sev::Error, meaning: "CLIENTUID error" },
    StatusInfo { code: 15511, severity: Sev::Error, meaning: "MFA error" },
    StatusInfo { code: 15512, severity: Sev::Error, meaning: "AUTHTOKEN required" },
    StatusInfo { code: 15513, severity: Sev::Error, meaning: "AUTHTOKEN invalid" },
    StatusInfo { code: 16500, severity: Sev::Error, meaning: "HTML not allowed" },
    StatusInfo { code: 16501, severity: Sev::Error, meaning: "unknown mail To:" },
    StatusInfo { code: 16502, severity: Sev::Error, meaning: "invalid URL" },
    StatusInfo { code: 16503, severity: Sev::Error, meaning: "unable to get URL" },
];

/// The row of a status code.
pub fn lookup(code: u32) -> Option<&'static StatusInfo> {
    STATUS_CODES.binary_search_by_key(&code, |s| s.code).ok().and_then(|i| STATUS_CODES.get(i))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_complete() {
        assert!(STATUS_CODES.windows(2).all(|w| w[0].code < w[1].code));
        assert_eq!(STATUS_CODES.len(), 93);
        assert_eq!(lookup(0).map(|s| s.severity), Some(Severity::Info));
        assert_eq!(lookup(2028).map(|s| s.severity), Some(Severity::Warn));
        assert_eq!(lookup(6501).map(|s| s.severity), Some(Severity::Warn));
        assert_eq!(
            lookup(15500).map(|s| s.meaning),
            Some("signon invalid (bad user ID or password)")
        );
        assert_eq!(lookup(2013), None);
    }
}
