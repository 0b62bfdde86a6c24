//! The objects a [`SyncState`](super::SyncState) keeps: owned, serialisable copies of the
//! latest form of each payment, payee and recurring model.

use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::model::{
    Account, Amount, Date, ExtendedPayee, Payee, PayeeRecord, Payment, PaymentInfo,
    RecurringPayment,
};

/// Which account a token or an object belongs to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountKey {
    /// `BANKID`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_id: Option<String>,
    /// `BRANCHID`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch_id: Option<String>,
    /// `ACCTID`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// `ACCTTYPE` (`CHECKING`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_type: Option<String>,
}

impl AccountKey {
    /// The key of a model account.
    pub fn of(a: &Account<'_>) -> Self {
        let label = a.type_label();
        AccountKey {
            bank_id: a.bank_id.map(str::to_owned),
            branch_id: a.branch_id.map(str::to_owned),
            account_id: a.account_id.map(str::to_owned),
            account_type: (!label.is_empty()).then_some(label),
        }
    }
}

impl fmt::Display for AccountKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let part = |o: &Option<String>| o.clone().unwrap_or_else(|| "?".to_owned());
        write!(f, "{}/{}", part(&self.bank_id), part(&self.account_id))?;
        if let Some(t) = &self.account_type {
            write!(f, " {t}")?;
        }
        Ok(())
    }
}

/// A payee's name and address (`PAYEE`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PayeeData {
    /// `NAME`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub names: Vec<String>,
    /// `ADDR1`…`ADDR3`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub address: Vec<String>,
    /// `CITY`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// `STATE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// `POSTALCODE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    /// `COUNTRY`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// `PHONE`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phones: Vec<String>,
}

impl PayeeData {
    fn of(p: &Payee<'_>) -> Self {
        PayeeData {
            names: owned_all(&p.names),
            address: owned_all(&p.address),
            city: owned(p.city),
            state: owned(p.state),
            postal_code: owned(p.postal_code),
            country: owned(p.country),
            phones: owned_all(&p.phones),
        }
    }
}

/// `EXTDPAYEE`: the institution's payee and its days to pay.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtendedPayeeData {
    /// `PAYEEID`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payee_id: Option<String>,
    /// `IDSCOPE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_scope: Option<String>,
    /// `NAME`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `DAYSTOPAY`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days_to_pay: Option<String>,
}

impl ExtendedPayeeData {
    fn of(x: &ExtendedPayee<'_>) -> Self {
        ExtendedPayeeData {
            payee_id: owned(x.payee_id),
            id_scope: x.id_scope.as_ref().map(|c| c.as_str().to_owned()),
            name: owned(x.name),
            days_to_pay: owned(x.days_to_pay),
        }
    }
}

/// What a payment or model pays (`PMTINFO`), owned.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaymentDetails {
    /// `BANKACCTFROM`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<AccountKey>,
    /// `TRNAMT`, exact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Decimal>,
    /// `PAYEEID`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payee_id: Option<String>,
    /// `PAYEE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payee: Option<PayeeData>,
    /// `PAYEELSTID` inside `PMTINFO`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payee_list_id: Option<String>,
    /// `BANKACCTTO`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_to: Option<AccountKey>,
    /// `PAYACCT`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pay_account: Option<String>,
    /// `DTDUE`, ISO 8601 as the file gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<String>,
    /// `MEMO`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memo: Option<String>,
    /// `BILLREFINFO`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bill_reference: Option<String>,
}

impl PaymentDetails {
    pub(crate) fn of(i: &PaymentInfo<'_>) -> Self {
        PaymentDetails {
            account: i.account_from.as_ref().map(AccountKey::of),
            amount: amount(i.amount.as_ref()),
            payee_id: owned(i.payee_id),
            payee: i.payee.as_ref().map(PayeeData::of),
            payee_list_id: owned(i.payee_list_id),
            account_to: i.account_to.as_ref().map(AccountKey::of),
            pay_account: owned(i.pay_account),
            due: date(i.due.as_ref()),
            memo: i.memo.as_ref().map(|m| m.to_string()),
            bill_reference: owned(i.bill_reference),
        }
    }

    /// The due date's calendar day.
    pub fn due_date(&self) -> Option<NaiveDate> {
        self.due.as_deref().and_then(calendar_day)
    }
}

/// One payment, by `SRVRTID`, in its latest form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaymentEntry {
    /// `SRVRTID`.
    pub server_id: String,
    /// `PAYEELSTID`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payee_list_id: Option<String>,
    /// `CURDEF`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// `PMTINFO`.
    #[serde(default)]
    pub details: PaymentDetails,
    /// `EXTDPAYEE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extended_payee: Option<ExtendedPayeeData>,
    /// `CHECKNUM`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_number: Option<String>,
    /// `PMTPRCSTS/PMTPRCCODE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub processing_code: Option<String>,
    /// `PMTPRCSTS/DTPMTPRC`, ISO 8601.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub processing_date: Option<String>,
    /// `RECSRVRTID`: the model that generated it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recurring_id: Option<String>,
    /// Cancelled (`PMTCANCRS`, PMTPRCCODE CANCELEDON, or its model cancelled with
    /// CANPENDING).
    #[serde(default, skip_serializing_if = "is_false")]
    pub cancelled: bool,
}

impl PaymentEntry {
    /// The entry a `PMTRS` describes; `None` without a `SRVRTID`.
    pub(crate) fn from_record(p: &Payment<'_>) -> Option<Self> {
        let mut e = PaymentEntry {
            server_id: p.server_id?.to_owned(),
            payee_list_id: owned(p.payee_list_id),
            currency: owned(p.currency),
            details: p.info.as_ref().map(PaymentDetails::of).unwrap_or_default(),
            extended_payee: p.extended_payee.as_ref().map(ExtendedPayeeData::of),
            check_number: owned(p.check_number),
            processing_code: None,
            processing_date: None,
            recurring_id: owned(p.recurring_id),
            cancelled: false,
        };
        e.set_processing(p);
        Some(e)
    }

    /// Takes `PMTPRCSTS` and `CHECKNUM` from a record that has them.
    pub(crate) fn set_processing(&mut self, p: &Payment<'_>) {
        if let Some(s) = &p.processing {
            self.processing_code = s.code.as_ref().map(|c| c.as_str().to_owned());
            self.processing_date = date(s.date.as_ref());
            self.cancelled = self.processing_code.as_deref() == Some("CANCELEDON");
        }
        if let Some(c) = p.check_number {
            self.check_number = Some(c.to_owned());
        }
    }

    /// The payee's name: `PMTINFO/PAYEE/NAME`, else `EXTDPAYEE/NAME`.
    pub fn payee_name(&self) -> Option<&str> {
        self.details
            .payee
            .as_ref()
            .and_then(|p| p.names.first())
            .or(self.extended_payee.as_ref().and_then(|x| x.name.as_ref()))
            .map(String::as_str)
    }
}

/// One payee-list entry, by `PAYEELSTID`, in its latest form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PayeeEntry {
    /// `PAYEELSTID`.
    pub list_id: String,
    /// `PAYEE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payee: Option<PayeeData>,
    /// `BANKACCTTO`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_to: Option<AccountKey>,
    /// `PAYACCT`s.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pay_accounts: Vec<String>,
    /// `EXTDPAYEE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extended_payee: Option<ExtendedPayeeData>,
    /// Deleted (`PAYEEDELRS`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub deleted: bool,
}

impl PayeeEntry {
    /// The entry a `PAYEERS` describes; `None` without a `PAYEELSTID`.
    pub(crate) fn from_record(r: &PayeeRecord<'_>) -> Option<Self> {
        Some(PayeeEntry {
            list_id: r.list_id?.to_owned(),
            payee: r.payee.as_ref().map(PayeeData::of),
            account_to: r.account_to.as_ref().map(AccountKey::of),
            pay_accounts: owned_all(&r.pay_accounts),
            extended_payee: r.extended_payee.as_ref().map(ExtendedPayeeData::of),
            deleted: false,
        })
    }

    /// Applies a `PAYEEMODRS`: what it carries replaces what was there.
    pub(crate) fn modify(&mut self, r: &PayeeRecord<'_>) {
        if let Some(p) = &r.payee {
            self.payee = Some(PayeeData::of(p));
            self.account_to = r.account_to.as_ref().map(AccountKey::of);
        }
        if !r.pay_accounts.is_empty() {
            self.pay_accounts = owned_all(&r.pay_accounts);
        }
        if let Some(x) = &r.extended_payee {
            self.extended_payee = Some(ExtendedPayeeData::of(x));
        }
    }

    /// The payee's name.
    pub fn name(&self) -> Option<&str> {
        self.payee
            .as_ref()
            .and_then(|p| p.names.first())
            .or(self.extended_payee.as_ref().and_then(|x| x.name.as_ref()))
            .map(String::as_str)
    }
}

/// One recurring model, by `RECSRVRTID`, in its latest form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecurringEntry {
    /// `RECSRVRTID`.
    pub recurring_id: String,
    /// `PAYEELSTID`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payee_list_id: Option<String>,
    /// `CURDEF`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// `RECURRINST/FREQ` (canonical spelling).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frequency: Option<String>,
    /// `RECURRINST/NINSTS`; none: until cancelled (unless
    /// [`instalments_invalid`](Self::instalments_invalid) is set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instalments: Option<u32>,
    /// `RECURRINST/NINSTS` as written when it is not a number of instalments (one to three
    /// digits): the model's end is unknown, so it has no schedule (never an open-ended one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instalments_invalid: Option<String>,
    /// `PMTINFO`; its `due` is the first due date.
    #[serde(default)]
    pub details: PaymentDetails,
    /// `INITIALAMT`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_amount: Option<Decimal>,
    /// `FINALAMT`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub final_amount: Option<Decimal>,
    /// `EXTDPAYEE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extended_payee: Option<ExtendedPayeeData>,
    /// Cancelled (`RECPMTCANCRS`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub cancelled: bool,
}

impl RecurringEntry {
    /// The entry a `RECPMTRS` describes; `None` without a `RECSRVRTID`.
    pub(crate) fn from_record(r: &RecurringPayment<'_>) -> Option<Self> {
        let mut e = RecurringEntry {
            recurring_id: r.recurring_id?.to_owned(),
            payee_list_id: owned(r.payee_list_id),
            currency: owned(r.currency),
            frequency: None,
            instalments: None,
            instalments_invalid: None,
            details: PaymentDetails::default(),
            initial_amount: None,
            final_amount: None,
            extended_payee: r.extended_payee.as_ref().map(ExtendedPayeeData::of),
            cancelled: false,
        };
        e.modify(r);
        Some(e)
    }

    /// Applies a `RECPMTMODRS`: the new instructions, payment and amounts replace the old.
    pub(crate) fn modify(&mut self, r: &RecurringPayment<'_>) {
        if let Some(i) = &r.instructions {
            self.frequency = i.frequency.as_ref().map(|c| c.as_str().to_owned());
            self.instalments = i.instalments;
            self.instalments_invalid = match (i.instalments, i.instalments_raw) {
                (None, Some(raw)) => Some(raw.to_owned()),
                _ => None,
            };
        }
        if let Some(info) = &r.info {
            self.details = PaymentDetails::of(info);
        }
        self.initial_amount = amount(r.initial_amount.as_ref());
        self.final_amount = amount(r.final_amount.as_ref());
        if let Some(x) = &r.extended_payee {
            self.extended_payee = Some(ExtendedPayeeData::of(x));
        }
    }

    /// The payee's name: `PMTINFO/PAYEE/NAME`, else `EXTDPAYEE/NAME`.
    pub fn payee_name(&self) -> Option<&str> {
        self.details
            .payee
            .as_ref()
            .and_then(|p| p.names.first())
            .or(self.extended_payee.as_ref().and_then(|x| x.name.as_ref()))
            .map(String::as_str)
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn owned(s: Option<&str>) -> Option<String> {
    s.map(str::to_owned)
}

fn owned_all(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_owned()).collect()
}

fn amount(a: Option<&Amount<'_>>) -> Option<Decimal> {
    a.map(|a| a.value)
}

fn date(d: Option<&Date<'_>>) -> Option<String> {
    d.map(|d| d.value.to_iso8601())
}

/// The calendar day of an ISO 8601 text (`2024-03-15`, `2024-03-15T12:00:00-05:00`).
pub(crate) fn calendar_day(iso: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(iso.get(..10)?, "%Y-%m-%d").ok()
}
