//! Leaf values: amounts, dates, booleans, coded values, status aggregates.

use ofxkit_syntax::{Element, Severity, shown};

use crate::amount;
use crate::codes::ofc::{OfcAccountType, OfcStatus, OfcTrnType};
use crate::codes::ofx::{AccountType, Severity as OfxSeverity, TrnType};
use crate::codes::{Code, Coded};
use crate::datetime;
use crate::model::{AccountKind, Amount, Date, Status};
use crate::read::Ctx;

impl<'t> Ctx<'t> {
    /// An amount; recoveries are warnings, failures errors (never a silent zero).
    pub(crate) fn amount(&mut self, el: Element<'t>) -> Option<Amount<'t>> {
        let raw = self.text(el)?;
        match amount::parse_amount(raw, self.dialect) {
            Ok(parsed) => {
                for w in &parsed.warnings {
                    self.report(w.code(), Severity::Warning, el, format!("<{}>: {w}", el.name()));
                }
                Some(Amount { value: parsed.value, raw })
            }
            Err(e) => {
                self.report(e.code(), Severity::Error, el, format!("<{}>: {e}", el.name()));
                None
            }
        }
    }

    /// A date or date-time.
    pub(crate) fn date(&mut self, el: Element<'t>) -> Option<Date<'t>> {
        let raw = self.text(el)?;
        match datetime::parse_datetime(raw, self.dialect) {
            Ok(parsed) => {
                for w in &parsed.warnings {
                    self.report(w.code(), Severity::Warning, el, format!("<{}>: {w}", el.name()));
                }
                Some(Date { value: parsed.value, raw })
            }
            Err(e) => {
                self.report(e.code(), Severity::Error, el, format!("<{}>: {e}", el.name()));
                None
            }
        }
    }

    /// `Y`/`N`.
    pub(crate) fn boolean(&mut self, el: Element<'t>) -> Option<bool> {
        let raw = self.text(el)?;
        match raw.trim() {
            "Y" => Some(true),
            "N" => Some(false),
            other => {
                let upper = other.to_ascii_uppercase();
                let value = match upper.as_str() {
                    "Y" | "YES" | "TRUE" => true,
                    "N" | "NO" | "FALSE" => false,
                    _ => {
                        self.report(
                            "E-BOOLEAN",
                            Severity::Error,
                            el,
                            format!(
                                "<{}> is \"{}\"; OFX booleans are Y or N",
                                el.name(),
                                shown(raw)
                            ),
                        );
                        return None;
                    }
                };
                self.report(
                    "W-BOOLEAN-FORM",
                    Severity::Warning,
                    el,
                    format!(
                        "<{}> is \"{}\"; read as {}",
                        el.name(),
                        shown(raw),
                        if value { "Y" } else { "N" }
                    ),
                );
                Some(value)
            }
        }
    }

    /// A coded value: unknown codes are kept raw and reported, never guessed.
    pub(crate) fn coded<T: Code>(&mut self, el: Element<'t>) -> Option<Coded<T>> {
        let raw = self.text(el)?;
        let (value, normalised) = T::read(raw);
        if !value.is_known() {
            self.report(
                "W-UNKNOWN-CODE",
                Severity::Warning,
                el,
                format!(
                    "{} \"{}\" is not in the {} table; kept as written",
                    el.name(),
                    shown(raw),
                    T::TABLE
                ),
            );
        } else if normalised {
            self.report(
                "W-CODE-FORM",
                Severity::Warning,
                el,
                format!("{} \"{}\" read as {}", el.name(), shown(raw), value.as_str()),
            );
        }
        Some(value)
    }
}

/// OFX `STATUS` (CODE, SEVERITY, MESSAGE).
pub(crate) fn ofx_status<'t>(el: Element<'t>, ctx: &mut Ctx<'t>) -> Status<'t> {
    let mut code_text = "";
    let mut severity = None;
    let mut message = None;
    let mut extensions = Vec::new();
    for child in el.children() {
        match child.name() {
            "CODE" => code_text = ctx.text(child).unwrap_or(""),
            "SEVERITY" => severity = ctx.coded::<OfxSeverity>(child),
            "MESSAGE" | "MESSAGE2" => message = ctx.text(child),
            _ => ctx.keep_extension(&mut extensions, child),
        }
    }
    let code: Option<u32> = code_text.trim().parse().ok();
    let info = code.and_then(crate::codes::status::lookup);
    if code.is_some() && info.is_none() {
        ctx.report(
            "W-UNKNOWN-STATUS",
            Severity::Warning,
            el,
            format!("status code {} is not in the OFX table", shown(code_text)),
        );
    }
    let is_error = match (&severity, info) {
        (Some(s), _) if s.is_known() => s.as_str() == "ERROR",
        (_, Some(i)) => i.severity == OfxSeverity::Error,
        _ => code.is_some_and(|c| c >= 2000),
    };
    Status {
        code,
        code_text,
        severity,
        meaning: info.map(|i| i.meaning),
        message,
        ofc_status: None,
        is_error,
        extensions,
    }
}

/// OFC `STATUS` (numeric) and `ERROR` (text).
pub(crate) fn ofc_status<'t>(
    el: Element<'t>,
    error: Option<&'t str>,
    ctx: &mut Ctx<'t>,
) -> Status<'t> {
    let code_text = ctx.text(el).unwrap_or("");
    let ofc = ctx.coded::<OfcStatus>(el);
    let mapped =
        ofc.as_ref().and_then(|c| c.known()).map(|k| crate::codes::mapping::ofc_status_to_ofx(*k));
    Status {
        code: mapped.map(|m| m.code),
        code_text,
        severity: None,
        meaning: ofc.as_ref().and_then(|c| c.known()).map(|k| Code::description(*k)),
        message: error,
        is_error: ofc.as_ref().and_then(|c| c.known()).is_some_and(|k| k.is_error()),
        ofc_status: ofc,
        extensions: Vec::new(),
    }
}

/// The account kind and OFX type of an OFC `ACCTTYPE`.
pub(crate) fn ofc_account_mapping(
    code: &Coded<OfcAccountType>,
) -> (Option<AccountKind>, Option<Coded<AccountType>>) {
    use crate::codes::mapping::OfcAccountMapping;
    match code.known().map(|k| crate::codes::mapping::ofc_account_type_to_ofx(*k)) {
        Some(OfcAccountMapping::Bank(t)) => (Some(AccountKind::Bank), Some(Coded::Known(t))),
        Some(OfcAccountMapping::CreditCard) => (Some(AccountKind::CreditCard), None),
        Some(_) if code.known() == Some(&OfcAccountType::Loan) => (Some(AccountKind::Loan), None),
        _ => (None, None),
    }
}

/// The OFX `TRNTYPE` of an OFC code.
pub(crate) fn ofc_trntype_mapping(code: &Coded<OfcTrnType>) -> Option<Coded<TrnType>> {
    code.known().and_then(|k| crate::codes::mapping::ofc_trntype_to_ofx(*k)).map(Coded::Known)
}
