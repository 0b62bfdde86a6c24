//! The card processor's result codes and the result object of each operation.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A result code from the processor's list, written as it writes them (`0x4004`).
///
/// ofxkit gives the codes of the requests it judges (invalid request, invalid action, wrong
/// data, purchase not found, invalid seller account, OK); `0x1000`, `0x1001` and `0x4001`
/// are the processor's own (users, usage, its database) and complete the list.
///
/// ```
/// use ofxkit::plans::ResultCode;
/// assert_eq!(ResultCode::PurchaseNotFound.as_str(), "0x4004");
/// assert_eq!(ResultCode::from_hex("0x4002"), Some(ResultCode::InvalidData));
/// // One code, two names.
/// assert_eq!(ResultCode::InvalidData.names(), ["wrong data format", "invalid data"]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ResultCode {
    /// `0x1000` invalid user.
    InvalidUser,
    /// `0x1001` restricted usage.
    RestrictedUsage,
    /// `0x2000` invalid request: the line is not a request ofxkit can read.
    InvalidRequest,
    /// `0x3000` transaction invalid action: not allowed in the plan's state (moving a
    /// cancelled or finished plan, …).
    InvalidAction,
    /// `0x4001` database error.
    DatabaseError,
    /// `0x4002` wrong data format, also named invalid data: a field is missing or malformed.
    InvalidData,
    /// `0x4004` purchase not found: no plan has the order id.
    PurchaseNotFound,
    /// `0x4005` invalid seller account.
    InvalidSellerAccount,
    /// `0x5000` OK.
    Ok,
}

impl ResultCode {
    /// Every code, in the processor's order.
    pub const ALL: [ResultCode; 9] = [
        ResultCode::InvalidUser,
        ResultCode::RestrictedUsage,
        ResultCode::InvalidRequest,
        ResultCode::InvalidAction,
        ResultCode::DatabaseError,
        ResultCode::InvalidData,
        ResultCode::PurchaseNotFound,
        ResultCode::InvalidSellerAccount,
        ResultCode::Ok,
    ];

    /// The number.
    pub fn value(self) -> u16 {
        match self {
            ResultCode::InvalidUser => 0x1000,
            ResultCode::RestrictedUsage => 0x1001,
            ResultCode::InvalidRequest => 0x2000,
            ResultCode::InvalidAction => 0x3000,
            ResultCode::DatabaseError => 0x4001,
            ResultCode::InvalidData => 0x4002,
            ResultCode::PurchaseNotFound => 0x4004,
            ResultCode::InvalidSellerAccount => 0x4005,
            ResultCode::Ok => 0x5000,
        }
    }

    /// As the processor writes it: `0x` and four hexadecimal digits.
    pub fn as_str(self) -> &'static str {
        match self {
            ResultCode::InvalidUser => "0x1000",
            ResultCode::RestrictedUsage => "0x1001",
            ResultCode::InvalidRequest => "0x2000",
            ResultCode::InvalidAction => "0x3000",
            ResultCode::DatabaseError => "0x4001",
            ResultCode::InvalidData => "0x4002",
            ResultCode::PurchaseNotFound => "0x4004",
            ResultCode::InvalidSellerAccount => "0x4005",
            ResultCode::Ok => "0x5000",
        }
    }

    /// The code written `0x…` (letter case of the digits and the `x` aside).
    pub fn from_hex(text: &str) -> Option<ResultCode> {
        let digits = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X"))?;
        let value = u16::from_str_radix(digits, 16).ok()?;
        ResultCode::ALL.into_iter().find(|c| c.value() == value)
    }

    /// The processor's names for it: one, or two for `0x4002` (wrong data format, invalid
    /// data).
    pub fn names(self) -> &'static [&'static str] {
        match self {
            ResultCode::InvalidUser => &["invalid user"],
            ResultCode::RestrictedUsage => &["restricted usage"],
            ResultCode::InvalidRequest => &["invalid request"],
            ResultCode::InvalidAction => &["transaction invalid action"],
            ResultCode::DatabaseError => &["database error"],
            ResultCode::InvalidData => &["wrong data format", "invalid data"],
            ResultCode::PurchaseNotFound => &["purchase not found"],
            ResultCode::InvalidSellerAccount => &["invalid seller account"],
            ResultCode::Ok => &["OK"],
        }
    }

    /// Every name, joined by ` / ` (the `message` of a result object).
    pub fn message(self) -> String {
        self.names().join(" / ")
    }

    /// True for `0x5000`.
    pub fn is_ok(self) -> bool {
        self == ResultCode::Ok
    }
}

impl fmt::Display for ResultCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ResultCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ResultCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ResultCode, D::Error> {
        let text = String::deserialize(d)?;
        ResultCode::from_hex(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "\"{}\" is not a result code (0x1000 … 0x5000)",
                ofxkit_syntax::shown(&text)
            ))
        })
    }
}

/// One entry of a result's stack of errors: its code, the rule that refused, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Detail {
    /// The code this rule gives.
    pub code: ResultCode,
    /// The rule's stable id (`price-decimals`, `plan-cancelled`, …).
    pub rule: &'static str,
    /// What was wrong; text from the log is quoted through [`ofxkit_syntax::shown`].
    pub message: String,
}

impl Detail {
    /// A detail.
    pub fn new(code: ResultCode, rule: &'static str, message: impl Into<String>) -> Detail {
        Detail { code, rule, message: message.into() }
    }
}

/// What one line of a plan log gave: the processor's `{action, code, message, details}`,
/// and where it came from.
///
/// `details` is the stack of errors, the outermost first, each naming the rule that refused
/// (empty for an operation done).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OperationResult {
    /// The event (`moveRecurrence`, …) as the line names it; `null` when the line names
    /// none.
    pub action: Option<String>,
    /// The result code.
    pub code: ResultCode,
    /// The code's names ([`ResultCode::message`]).
    pub message: String,
    /// The stack of errors, outermost first.
    pub details: Vec<Detail>,
    /// The order the line is about, when it names one.
    #[serde(rename = "orderId", skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
    /// The log it came from.
    pub source: String,
    /// Its line (1 = the first).
    pub line: u64,
}

impl OperationResult {
    /// True when the code is `0x5000`.
    pub fn is_ok(&self) -> bool {
        self.code.is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_written_and_read_as_the_processor_lists_them() {
        let table = [
            (ResultCode::InvalidUser, "0x1000", "invalid user"),
            (ResultCode::RestrictedUsage, "0x1001", "restricted usage"),
            (ResultCode::InvalidRequest, "0x2000", "invalid request"),
            (ResultCode::InvalidAction, "0x3000", "transaction invalid action"),
            (ResultCode::DatabaseError, "0x4001", "database error"),
            (ResultCode::InvalidData, "0x4002", "wrong data format / invalid data"),
            (ResultCode::PurchaseNotFound, "0x4004", "purchase not found"),
            (ResultCode::InvalidSellerAccount, "0x4005", "invalid seller account"),
            (ResultCode::Ok, "0x5000", "OK"),
        ];
        for (code, hex, message) in table {
            assert_eq!(code.as_str(), hex);
            assert_eq!(format!("{:#06x}", code.value()), hex);
            assert_eq!(ResultCode::from_hex(hex), Some(code));
            assert_eq!(code.message(), message);
            assert_eq!(serde_json::to_string(&code).unwrap(), format!("\"{hex}\""));
            let back: ResultCode = serde_json::from_str(&format!("\"{hex}\"")).unwrap();
            assert_eq!(back, code);
        }
        assert_eq!(ResultCode::from_hex("0X4004"), Some(ResultCode::PurchaseNotFound));
        for bad in ["4004", "0x4003", "0x", "0x1_000", "0x10000", ""] {
            assert_eq!(ResultCode::from_hex(bad), None, "{bad}");
        }
        assert!(serde_json::from_str::<ResultCode>("\"0x9999\"").is_err());
    }
}
