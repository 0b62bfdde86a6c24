//! The fields of a bank or card transaction (OFX `STMTTRN`, OFC `STMTTRN` and `GENTRN`), in
//! one place.
//!
//! [`Field`] says, for each field, the tags it is written with and what its text is read as
//! ([`Kind`]); [`TRANSACTION_CELLS`] says which row column shows which field, and how. Four
//! things follow these tables, so a field is added here and nowhere else:
//!
//! - the model reader (`read::statement::read_transaction`) reads a child by its field's
//!   kind into the [`Transaction`] member of that field ([`Transaction::text_mut`] and its
//!   siblings are the one map from fields to members);
//! - the rows written from the model (`convert::rows::transaction_cells`) write each column
//!   of [`TRANSACTION_CELLS`] from the model;
//! - the rows written straight from the tree (`convert::tree_rows`) take a plain child by its
//!   field and write the same columns from the texts, through the same cell writer
//!   (`convert::cells`);
//! - the rows of investment transactions (`convert::rows::investment_row`) write each column
//!   as its [`Invests`] says.
//!
//! For example, `TRNAMT` is [`Field::Amount`], read as [`Kind::Amount`], and shown in the
//! `amount` column by [`Shows::Amount`].

use std::borrow::Cow;

use crate::model::{Amount, Date, Extension, Transaction};

/// What a field's text is read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Text kept as written (the first one; a repeat is an extension).
    Text,
    /// Texts joined with a line break (OFC allows several `MEMO`s).
    JoinedText,
    /// A date or date-time ([`crate::datetime`]).
    Date,
    /// An amount ([`crate::amount`]).
    Amount,
    /// `TRNTYPE`: an OFX name, or (OFC) a number mapped to one.
    TrnType,
    /// A `CORRECTACTION` code.
    CorrectAction,
    /// An `INV401KSOURCE` code.
    Inv401kSource,
    /// A `PAYEE` aggregate.
    Payee,
    /// An account aggregate (`BANKACCTTO`, `CCACCTTO`, OFC `ACCTTO`).
    Account,
    /// A `CURRENCY` or `ORIGCURRENCY` aggregate.
    Currency,
    /// OFC `GENTRN`: an aggregate of more of the transaction's fields.
    Fields,
}

impl Kind {
    /// A leaf whose text the rows written from the tree take as it is (checked when it is
    /// a date, an amount or a code).
    pub(crate) const fn is_plain_leaf(self) -> bool {
        matches!(
            self,
            Kind::Text
                | Kind::JoinedText
                | Kind::Date
                | Kind::Amount
                | Kind::TrnType
                | Kind::CorrectAction
        )
    }

    /// A value the reader checks (and may remark on), so a row written from the tree must
    /// check it too, shown or not.
    pub(crate) const fn is_checked(self) -> bool {
        matches!(self, Kind::Date | Kind::Amount | Kind::TrnType | Kind::CorrectAction)
    }
}

/// The table of fields: `Name: "TAG" | "TAG2" => Kind,` in the order of [`Field`]'s
/// values (the plain leaves first, as the rows from the tree number them).
macro_rules! fields {
    ($($(#[$doc:meta])* $field:ident: $($tag:literal)|+ => $kind:ident,)*) => {
        /// A field of a transaction.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub(crate) enum Field {
            $($(#[$doc])* $field,)*
        }

        impl Field {
            /// Every field, in the order of their values.
            pub(crate) const ALL: &'static [Field] = &[$(Field::$field,)*];

            /// The field written with `tag`; `None` for any other tag (an extension).
            #[inline]
            pub(crate) fn of_tag(tag: &str) -> Option<Field> {
                match tag {
                    $($($tag)|+ => Some(Field::$field),)*
                    _ => None,
                }
            }

            /// What its text is read as.
            pub(crate) const fn kind(self) -> Kind {
                match self {
                    $(Field::$field => Kind::$kind,)*
                }
            }

            /// The tags it is written with.
            #[cfg(test)]
            pub(crate) const fn tags(self) -> &'static [&'static str] {
                match self {
                    $(Field::$field => &[$($tag),+],)*
                }
            }
        }
    };
}

fields! {
    /// `TRNTYPE`.
    TrnType: "TRNTYPE" => TrnType,
    /// `DTPOSTED`.
    DatePosted: "DTPOSTED" => Date,
    /// `DTUSER`.
    DateUser: "DTUSER" => Date,
    /// `DTAVAIL`.
    DateAvailable: "DTAVAIL" => Date,
    /// `TRNAMT`.
    Amount: "TRNAMT" => Amount,
    /// `FITID`.
    Fitid: "FITID" => Text,
    /// `NAME`.
    Name: "NAME" => Text,
    /// `MEMO` (OFC `MEMO2` too; several are joined).
    Memo: "MEMO" | "MEMO2" => JoinedText,
    /// `CHECKNUM` (OFC `CHKNUM`).
    CheckNumber: "CHECKNUM" | "CHKNUM" => Text,
    /// `REFNUM`.
    Reference: "REFNUM" => Text,
    /// `PAYEEID`.
    PayeeId: "PAYEEID" | "PAYEEID2" => Text,
    /// `SIC`.
    Sic: "SIC" => Text,
    /// `SRVRTID`.
    ServerId: "SRVRTID" | "SRVRTID2" => Text,
    /// `CORRECTFITID`.
    CorrectFitid: "CORRECTFITID" => Text,
    /// `CORRECTACTION`.
    CorrectAction: "CORRECTACTION" => CorrectAction,
    /// OFC `CLTID`.
    ClientId: "CLTID" => Text,
    /// `EXTDNAME`.
    ExtendedName: "EXTDNAME" => Text,
    /// `PAYEE`: its first `NAME` is the row's name when there is no `NAME`.
    Payee: "PAYEE" | "PAYEE2" => Payee,
    /// OFC `GENTRN`.
    GenTrn: "GENTRN" => Fields,
    /// `BANKACCTTO`, `CCACCTTO`, OFC `ACCTTO`.
    AccountTo: "BANKACCTTO" | "CCACCTTO" | "ACCTTO" => Account,
    /// `CURRENCY` or `ORIGCURRENCY`.
    Currency: "CURRENCY" | "ORIGCURRENCY" => Currency,
    /// `INV401KSOURCE`.
    Inv401kSource: "INV401KSOURCE" => Inv401kSource,
}

impl Field {
    /// Its bit in a set of fields (there are fewer than 32).
    pub(crate) const fn bit(self) -> u32 {
        1 << self as u32
    }
}

/// What a transaction row's column shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shows {
    /// A date field, as ISO 8601 with the file's offset.
    Date(Field),
    /// The calendar part (`YYYY-MM-DD`) of the date field shown just before.
    CalendarDate(Field),
    /// An amount field, as an exact decimal.
    Amount(Field),
    /// `TRNTYPE` as an OFX name (an OFC code mapped to one).
    Type,
    /// An OFC `TRNTYPE` as its code.
    OfcType,
    /// A text field, guarded in CSV.
    Text(Field),
    /// `NAME`, else the `PAYEE`'s first `NAME`.
    Name,
    /// `CORRECTACTION` as its name.
    CorrectAction,
    /// Nothing (a column of investment rows).
    Nothing,
}

impl Shows {
    /// The fields whose values it shows.
    const fn fields(self) -> u32 {
        match self {
            Shows::Date(f) | Shows::CalendarDate(f) | Shows::Amount(f) | Shows::Text(f) => f.bit(),
            Shows::Type | Shows::OfcType => Field::TrnType.bit(),
            Shows::Name => Field::Name.bit() | Field::Payee.bit(),
            Shows::CorrectAction => Field::CorrectAction.bit(),
            Shows::Nothing => 0,
        }
    }
}

/// What a transaction row's column shows in the row of an investment transaction
/// (`BUYSTOCK`, `INCOME`, …; `convert::rows::investment_row`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Invests {
    /// `DTTRADE`, as ISO 8601 with the file's offset.
    TradeDate,
    /// The calendar part of `DTTRADE`.
    TradeCalendarDate,
    /// `TOTAL`.
    Total,
    /// The aggregate's name (`BUYSTOCK`).
    Kind,
    /// `FITID`.
    Fitid,
    /// The security's name from `SECLIST` (else its ticker, else its id).
    SecurityName,
    /// `MEMO`.
    Memo,
    /// `SRVRTID`.
    ServerId,
    /// The security's `UNIQUEID`.
    SecurityId,
    /// `UNITS`.
    Units,
    /// `UNITPRICE`.
    UnitPrice,
    /// Nothing.
    Nothing,
}

/// A column of a transaction row after the statement's: its name, its JSON key as a member
/// that is not an object's first (`,"name":`), what it shows in a bank or card transaction's
/// row, and what in an investment transaction's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Column {
    /// The column's name.
    pub(crate) name: &'static str,
    /// `,"name":`.
    pub(crate) key: &'static str,
    /// What it shows.
    pub(crate) shows: Shows,
    /// What it shows in an investment transaction's row.
    pub(crate) invests: Invests,
}

macro_rules! column {
    ($name:literal, $shows:expr, $invests:ident) => {
        Column {
            name: $name,
            key: concat!(",\"", $name, "\":"),
            shows: $shows,
            invests: Invests::$invests,
        }
    };
}

/// The columns of a transaction row after the statement's cells (source to currency), in
/// order.
pub(crate) const TRANSACTION_CELLS: [Column; 19] = [
    column!("date_posted", Shows::Date(Field::DatePosted), TradeDate),
    column!("date", Shows::CalendarDate(Field::DatePosted), TradeCalendarDate),
    column!("date_user", Shows::Date(Field::DateUser), Nothing),
    column!("amount", Shows::Amount(Field::Amount), Total),
    column!("type", Shows::Type, Kind),
    column!("ofc_type", Shows::OfcType, Nothing),
    column!("fitid", Shows::Text(Field::Fitid), Fitid),
    column!("name", Shows::Name, SecurityName),
    column!("memo", Shows::Text(Field::Memo), Memo),
    column!("check_number", Shows::Text(Field::CheckNumber), Nothing),
    column!("reference", Shows::Text(Field::Reference), Nothing),
    column!("payee_id", Shows::Text(Field::PayeeId), Nothing),
    column!("sic", Shows::Text(Field::Sic), Nothing),
    column!("server_id", Shows::Text(Field::ServerId), ServerId),
    column!("correct_fitid", Shows::Text(Field::CorrectFitid), Nothing),
    column!("correct_action", Shows::CorrectAction, Nothing),
    column!("security_id", Shows::Nothing, SecurityId),
    column!("units", Shows::Nothing, Units),
    column!("unit_price", Shows::Nothing, UnitPrice),
];

/// The columns from this one on are empty in most rows: the rows from the tree write them
/// as one piece when none of their fields is there.
pub(crate) const OFTEN_EMPTY_FROM: usize = 9;

/// The fields shown from [`OFTEN_EMPTY_FROM`] on.
pub(crate) const OFTEN_EMPTY_FIELDS: u32 = {
    let mut set = 0;
    let mut i = OFTEN_EMPTY_FROM;
    while i < TRANSACTION_CELLS.len() {
        set |= TRANSACTION_CELLS[i].shows.fields();
        i += 1;
    }
    set
};

/// The fields whose value the reader checks but no column shows (`DTAVAIL`): a row from
/// the tree checks them all the same.
pub(crate) const CHECKED_NOT_SHOWN: u32 = {
    let mut shown = 0;
    let mut i = 0;
    while i < TRANSACTION_CELLS.len() {
        shown |= TRANSACTION_CELLS[i].shows.fields();
        i += 1;
    }
    let mut set = 0;
    let mut f = 0;
    while f < Field::ALL.len() {
        let field = Field::ALL[f];
        if field.kind().is_checked() && shown & field.bit() == 0 {
            set |= field.bit();
        }
        f += 1;
    }
    set
};

/// The names of [`TRANSACTION_CELLS`] after `prefix`, then `tail`: a row's column names.
pub(crate) const fn transaction_columns<const N: usize>(
    prefix: &[&'static str],
    tail: &[&'static str],
) -> [&'static str; N] {
    let mut out = [""; N];
    let mut at = 0;
    let mut i = 0;
    while i < prefix.len() {
        out[at] = prefix[i];
        at += 1;
        i += 1;
    }
    i = 0;
    while i < TRANSACTION_CELLS.len() {
        out[at] = TRANSACTION_CELLS[i].name;
        at += 1;
        i += 1;
    }
    i = 0;
    while i < tail.len() {
        out[at] = tail[i];
        at += 1;
        i += 1;
    }
    assert!(at == N, "the number of columns");
    out
}

/// The one map from fields to [`Transaction`] members, by kind: the member a field is read
/// into (with the extensions, where a repeat goes), and the value a row shows.
impl<'t> Transaction<'t> {
    /// The member of a [`Kind::Text`] field; `None` for another field.
    pub(crate) fn text_mut(
        &mut self,
        field: Field,
    ) -> Option<(&mut Option<&'t str>, &mut Vec<Extension<'t>>)> {
        let member = match field {
            Field::Fitid => &mut self.fitid,
            Field::Name => &mut self.name,
            Field::CheckNumber => &mut self.check_number,
            Field::Reference => &mut self.reference,
            Field::PayeeId => &mut self.payee_id,
            Field::Sic => &mut self.sic,
            Field::ServerId => &mut self.server_id,
            Field::CorrectFitid => &mut self.correct_fitid,
            Field::ClientId => &mut self.client_id,
            Field::ExtendedName => &mut self.extended_name,
            _ => return None,
        };
        Some((member, &mut self.extensions))
    }

    /// The member of a [`Kind::Date`] field; `None` for another field.
    pub(crate) fn date_mut(
        &mut self,
        field: Field,
    ) -> Option<(&mut Option<Date<'t>>, &mut Vec<Extension<'t>>)> {
        let member = match field {
            Field::DatePosted => &mut self.date_posted,
            Field::DateUser => &mut self.date_user,
            Field::DateAvailable => &mut self.date_available,
            _ => return None,
        };
        Some((member, &mut self.extensions))
    }

    /// The member of a [`Kind::Amount`] field; `None` for another field.
    pub(crate) fn amount_mut(
        &mut self,
        field: Field,
    ) -> Option<(&mut Option<Amount<'t>>, &mut Vec<Extension<'t>>)> {
        match field {
            Field::Amount => Some((&mut self.amount, &mut self.extensions)),
            _ => None,
        }
    }

    /// The value of a text field ([`Kind::Text`] or [`Kind::JoinedText`]).
    pub(crate) fn text_of(&self, field: Field) -> Option<Cow<'t, str>> {
        let text = match field {
            Field::Memo => return self.memo.clone(),
            Field::Fitid => self.fitid,
            Field::Name => self.name,
            Field::CheckNumber => self.check_number,
            Field::Reference => self.reference,
            Field::PayeeId => self.payee_id,
            Field::Sic => self.sic,
            Field::ServerId => self.server_id,
            Field::CorrectFitid => self.correct_fitid,
            Field::ClientId => self.client_id,
            Field::ExtendedName => self.extended_name,
            _ => None,
        };
        text.map(Cow::Borrowed)
    }

    /// The value of a date field.
    pub(crate) fn date_of(&self, field: Field) -> Option<&Date<'t>> {
        match field {
            Field::DatePosted => self.date_posted.as_ref(),
            Field::DateUser => self.date_user.as_ref(),
            Field::DateAvailable => self.date_available.as_ref(),
            _ => None,
        }
    }

    /// The value of an amount field.
    pub(crate) fn amount_of(&self, field: Field) -> Option<&Amount<'t>> {
        match field {
            Field::Amount => self.amount.as_ref(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every tag names its field, each field's value is its place in the table, and every
    /// field of a kind the rows read has its member.
    #[test]
    fn the_table_is_consistent() {
        let mut seen = std::collections::HashSet::new();
        for (i, &field) in Field::ALL.iter().enumerate() {
            assert_eq!(field as usize, i);
            for tag in field.tags() {
                assert!(seen.insert(*tag), "{tag} twice");
                assert_eq!(Field::of_tag(tag), Some(field), "{tag}");
            }
            let mut t = Transaction::new(crate::Span::new(0, 0));
            match field.kind() {
                Kind::Text => assert!(t.text_mut(field).is_some(), "{field:?}"),
                Kind::Date => assert!(t.date_mut(field).is_some(), "{field:?}"),
                Kind::Amount => assert!(t.amount_mut(field).is_some(), "{field:?}"),
                _ => {}
            }
        }
        assert!(Field::ALL.len() < 32);
        assert_eq!(Field::of_tag("STMTTRN"), None);
        // Fields a row from the tree takes as leaves come before the aggregates.
        let plain = Field::ALL.iter().take_while(|f| f.kind().is_plain_leaf()).count();
        assert!(Field::ALL.iter().skip(plain).all(|f| !f.kind().is_plain_leaf()));
        assert_eq!(CHECKED_NOT_SHOWN, Field::DateAvailable.bit());
    }

    /// The columns shown are those the statement's cells are followed by, and each date
    /// column's calendar date comes right after it.
    #[test]
    fn columns_follow_the_table() {
        let names: Vec<&str> = TRANSACTION_CELLS.iter().map(|c| c.name).collect();
        let all = crate::convert::rows::TRANSACTION_COLUMNS;
        let prefix = crate::convert::rows::TRANSACTION_PREFIX_LEN;
        assert_eq!(all.get(prefix..prefix + names.len()), Some(names.as_slice()));
        for c in &TRANSACTION_CELLS {
            assert_eq!(c.key, format!(",\"{}\":", c.name));
        }
        for pair in TRANSACTION_CELLS.windows(2) {
            if let Shows::CalendarDate(f) = pair[1].shows {
                assert_eq!(pair[0].shows, Shows::Date(f));
            }
        }
        assert_eq!(TRANSACTION_CELLS[OFTEN_EMPTY_FROM - 1].name, "memo");
    }
}
