//! The maps between OFC codes and OFX names (`shared/spec/ofc-codes.md` §1, after fixofx's
//! converter); the status map is ofxkit's own, documented there as a suggestion.

use crate::codes::ofc::{OfcAccountType, OfcStatus, OfcTrnType};
use crate::codes::ofx::{AccountType, Severity, TrnType};

/// What an OFC account type is in OFX.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfcAccountMapping {
    /// A bank account of this OFX `ACCTTYPE`.
    Bank(AccountType),
    /// A credit card: `CCACCTFROM`, not a bank `ACCTTYPE`.
    CreditCard,
    /// No OFX equivalent (loan, inter-bank payee, other).
    NoEquivalent,
}

/// OFC `ACCTTYPE` → OFX.
pub fn ofc_account_type_to_ofx(t: OfcAccountType) -> OfcAccountMapping {
    match t {
        OfcAccountType::Checking => OfcAccountMapping::Bank(AccountType::Checking),
        OfcAccountType::Savings => OfcAccountMapping::Bank(AccountType::Savings),
        OfcAccountType::CreditCard => OfcAccountMapping::CreditCard,
        OfcAccountType::MoneyMarket => OfcAccountMapping::Bank(AccountType::MoneyMarket),
        OfcAccountType::CreditLine => OfcAccountMapping::Bank(AccountType::CreditLine),
        _ => OfcAccountMapping::NoEquivalent,
    }
}

/// OFX `ACCTTYPE` → OFC (`None` for CD and CMA).
pub fn ofx_account_type_to_ofc(t: AccountType) -> Option<OfcAccountType> {
    Some(match t {
        AccountType::Checking => OfcAccountType::Checking,
        AccountType::Savings => OfcAccountType::Savings,
        AccountType::MoneyMarket => OfcAccountType::MoneyMarket,
        AccountType::CreditLine => OfcAccountType::CreditLine,
        _ => return None,
    })
}

/// OFC `TRNTYPE` → OFX.
pub fn ofc_trntype_to_ofx(t: OfcTrnType) -> Option<TrnType> {
    Some(match t {
        OfcTrnType::Credit => TrnType::Credit,
        OfcTrnType::Debit => TrnType::Debit,
        OfcTrnType::Interest => TrnType::Int,
        OfcTrnType::Dividend => TrnType::Div,
        OfcTrnType::ServiceCharge => TrnType::SrvChg,
        OfcTrnType::Deposit => TrnType::Dep,
        OfcTrnType::AtmWithdrawal => TrnType::Atm,
        OfcTrnType::Transfer => TrnType::Xfer,
        OfcTrnType::Check => TrnType::Check,
        OfcTrnType::ElectronicPayment => TrnType::Payment,
        OfcTrnType::CashWithdrawal => TrnType::Cash,
        OfcTrnType::PayrollDeposit => TrnType::DirectDep,
        OfcTrnType::Other => TrnType::Other,
    })
}

/// OFX `TRNTYPE` → OFC (`None` for FEE, POS, DIRECTDEBIT, REPEATPMT, HOLD).
pub fn ofx_trntype_to_ofc(t: TrnType) -> Option<OfcTrnType> {
    OfcTrnType::ALL_CODES.iter().copied().find(|c| ofc_trntype_to_ofx(*c) == Some(t))
}

impl OfcTrnType {
    const ALL_CODES: &'static [OfcTrnType] = <OfcTrnType as crate::codes::Code>::ALL;
}

/// An OFX status that stands for an OFC one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MappedStatus {
    /// OFX code.
    pub code: u32,
    /// OFX severity.
    pub severity: Severity,
}

/// OFC `STATUS` → OFX `CODE`/`SEVERITY`.
pub fn ofc_status_to_ofx(s: OfcStatus) -> MappedStatus {
    let (code, severity) = match s {
        OfcStatus::Accepted | OfcStatus::AccountPending | OfcStatus::NoClientId => {
            (0, Severity::Info)
        }
        OfcStatus::Rejected | OfcStatus::Undefined | OfcStatus::BankUnknown => {
            (2000, Severity::Error)
        }
        OfcStatus::AccountClosed => (2004, Severity::Error),
        OfcStatus::PasswordChangeRequired => (15000, Severity::Info),
        OfcStatus::UserIdUnknown | OfcStatus::PasswordUnknown | OfcStatus::SessionKeyUnknown => {
            (15500, Severity::Error)
        }
        OfcStatus::AccountUnknown => (2003, Severity::Error),
        OfcStatus::PayeeIdUnknown => (10510, Severity::Error),
    };
    MappedStatus { code, severity }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::Code;

    #[test]
    fn maps_per_the_spec_tables() {
        let expected = [
            ("0", "CREDIT"),
            ("1", "DEBIT"),
            ("2", "INT"),
            ("3", "DIV"),
            ("4", "SRVCHG"),
            ("5", "DEP"),
            ("6", "ATM"),
            ("7", "XFER"),
            ("8", "CHECK"),
            ("9", "PAYMENT"),
            ("10", "CASH"),
            ("11", "DIRECTDEP"),
            ("12", "OTHER"),
        ];
        for (ofc, ofx) in expected {
            let c = OfcTrnType::from_exact(ofc).unwrap();
            assert_eq!(ofc_trntype_to_ofx(c).map(|t| t.as_str()), Some(ofx));
            assert_eq!(ofx_trntype_to_ofc(TrnType::from_exact(ofx).unwrap()), Some(c));
        }
        for t in
            [TrnType::Fee, TrnType::Pos, TrnType::DirectDebit, TrnType::RepeatPmt, TrnType::Hold]
        {
            assert_eq!(ofx_trntype_to_ofc(t), None, "{t}");
        }
        assert_eq!(
            ofc_account_type_to_ofx(OfcAccountType::Savings),
            OfcAccountMapping::Bank(AccountType::Savings)
        );
        assert_eq!(
            ofc_account_type_to_ofx(OfcAccountType::CreditCard),
            OfcAccountMapping::CreditCard
        );
        assert_eq!(ofc_account_type_to_ofx(OfcAccountType::Loan), OfcAccountMapping::NoEquivalent);
        assert_eq!(ofc_status_to_ofx(OfcStatus::AccountUnknown).code, 2003);
        assert_eq!(ofc_status_to_ofx(OfcStatus::PasswordChangeRequired).severity, Severity::Info);
        for s in OfcStatus::ALL {
            let m = ofc_status_to_ofx(*s);
            assert_eq!(m.severity == Severity::Error, s.is_error(), "{s}");
        }
    }
}
