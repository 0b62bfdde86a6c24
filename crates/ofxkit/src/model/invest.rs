//! Investment statements: transactions (`INVTRANLIST`), positions (`INVPOSLIST`), balances
//! (`INVBAL`), and the security list (`SECLIST`).

use schemars::JsonSchema;
use serde::Serialize;

use crate::codes::Coded;
use crate::codes::ofx::{IncomeType, Inv401kSource, PosType, SubAccountType};
use crate::diagnostic::Span;
use crate::model::common::{Amount, BalanceItem, Currency, Date, Extension};

/// `SECID`: how a security is identified.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct SecurityId<'t> {
    /// `UNIQUEID` (e.g. a CUSIP).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unique_id: Option<&'t str>,
    /// `UNIQUEIDTYPE` (e.g. `CUSIP`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unique_id_type: Option<&'t str>,
}

/// One investment transaction (`BUYSTOCK`, `SELLMF`, `INCOME`, `REINVEST`, `TRANSFER`, …),
/// with its `INVBUY`/`INVSELL`/`INVTRAN` parts flattened.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct InvestmentTransaction<'t> {
    /// The aggregate's name: `BUYSTOCK`, `SELLMF`, `INCOME`, ….
    pub kind: &'t str,
    /// `FITID`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fitid: Option<&'t str>,
    /// `SRVRTID`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_id: Option<&'t str>,
    /// `DTTRADE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_trade: Option<Date<'t>>,
    /// `DTSETTLE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_settle: Option<Date<'t>>,
    /// `MEMO`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memo: Option<&'t str>,
    /// `SECID`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub security: Option<SecurityId<'t>>,
    /// `UNITS`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub units: Option<Amount<'t>>,
    /// `UNITPRICE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit_price: Option<Amount<'t>>,
    /// `COMMISSION`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commission: Option<Amount<'t>>,
    /// `FEES`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fees: Option<Amount<'t>>,
    /// `TAXES`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub taxes: Option<Amount<'t>>,
    /// `LOAD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub load: Option<Amount<'t>>,
    /// `WITHHOLDING`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withholding: Option<Amount<'t>>,
    /// `TOTAL`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<Amount<'t>>,
    /// `INCOMETYPE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub income_type: Option<Coded<IncomeType>>,
    /// `BUYTYPE`, `SELLTYPE`, `OPTBUYTYPE`, `OPTSELLTYPE`, `TFERACTION`, `OPTACTION`, as
    /// written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<&'t str>,
    /// `SUBACCTSEC`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub_account_security: Option<Coded<SubAccountType>>,
    /// `SUBACCTFUND`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub_account_fund: Option<Coded<SubAccountType>>,
    /// `POSTYPE` (transfers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position_type: Option<Coded<PosType>>,
    /// `INV401KSOURCE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inv401k_source: Option<Coded<Inv401kSource>>,
    /// `CURRENCY` or `ORIGCURRENCY`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency<'t>>,
    /// Elements not named above.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<Extension<'t>>,
    /// The codes of the errors found inside this transaction (each once, in file order):
    /// empty when it was read cleanly.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<&'static str>,
    /// Where it is.
    #[serde(skip)]
    pub span: Span,
}

impl<'t> InvestmentTransaction<'t> {
    /// The security of `SECLIST` whose `SECID/UNIQUEID` this transaction names, if any.
    ///
    /// ```
    /// let doc = ofxkit::parse(b"<OFX><INVSTMTMSGSRSV1><INVSTMTTRNRS><INVSTMTRS><CURDEF>USD\
    ///   <INVACCTFROM><BROKERID>b<ACCTID>1</INVACCTFROM><INVTRANLIST>\
    ///   <BUYSTOCK><INVBUY><INVTRAN><FITID>t<DTTRADE>20240105</INVTRAN>\
    ///   <SECID><UNIQUEID>922908769<UNIQUEIDTYPE>CUSIP</SECID><UNITS>10<UNITPRICE>1\
    ///   <TOTAL>-10</INVBUY><BUYTYPE>BUY</BUYSTOCK></INVTRANLIST></INVSTMTRS>\
    ///   </INVSTMTTRNRS></INVSTMTMSGSRSV1><SECLISTMSGSRSV1><SECLIST><STOCKINFO><SECINFO>\
    ///   <SECID><UNIQUEID>922908769<UNIQUEIDTYPE>CUSIP</SECID><SECNAME>Total Market\
    ///   <TICKER>VTI</SECINFO></STOCKINFO></SECLIST></SECLISTMSGSRSV1></OFX>")?;
    /// let model = doc.model();
    /// let t = &model.statements[0].investment_transactions[0];
    /// assert_eq!(t.security_in(&model.securities).and_then(|s| s.ticker), Some("VTI"));
    /// # Ok::<(), ofxkit::ParseError>(())
    /// ```
    pub fn security_in<'s>(&self, securities: &'s [Security<'t>]) -> Option<&'s Security<'t>> {
        let id = self.security.as_ref()?.unique_id?;
        securities.iter().find(|s| s.id.as_ref().and_then(|i| i.unique_id) == Some(id))
    }
}

/// A position (`POSSTOCK`, `POSMF`, `POSDEBT`, `POSOPT`, `POSOTHER`) with `INVPOS` flattened.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Position<'t> {
    /// The aggregate's name.
    pub kind: &'t str,
    /// `SECID`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub security: Option<SecurityId<'t>>,
    /// `HELDINACCT`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub held_in: Option<Coded<SubAccountType>>,
    /// `POSTYPE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position_type: Option<Coded<PosType>>,
    /// `UNITS`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub units: Option<Amount<'t>>,
    /// `UNITPRICE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit_price: Option<Amount<'t>>,
    /// `MKTVAL`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub market_value: Option<Amount<'t>>,
    /// `DTPRICEASOF`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price_as_of: Option<Date<'t>>,
    /// `MEMO`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memo: Option<&'t str>,
    /// `CURRENCY` or `ORIGCURRENCY`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency<'t>>,
    /// Elements not named above.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<Extension<'t>>,
}

/// `INVBAL`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct InvestmentBalance<'t> {
    /// `AVAILCASH`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub available_cash: Option<Amount<'t>>,
    /// `MARGINBALANCE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub margin_balance: Option<Amount<'t>>,
    /// `SHORTBALANCE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub short_balance: Option<Amount<'t>>,
    /// `BUYPOWER`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub buying_power: Option<Amount<'t>>,
    /// `BALLIST`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub balances: Vec<BalanceItem<'t>>,
    /// Elements not named above.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<Extension<'t>>,
}

/// A security of the `SECLIST` (`STOCKINFO`, `MFINFO`, …) with `SECINFO` flattened.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Security<'t> {
    /// The aggregate's name.
    pub kind: &'t str,
    /// `SECID`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<SecurityId<'t>>,
    /// `SECNAME`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'t str>,
    /// `TICKER`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ticker: Option<&'t str>,
    /// `FIID`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fiid: Option<&'t str>,
    /// `UNITPRICE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit_price: Option<Amount<'t>>,
    /// `DTASOF`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of: Option<Date<'t>>,
    /// `MEMO`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memo: Option<&'t str>,
    /// Elements not named above (type-specific fields such as `YIELD`, `STOCKTYPE`, …).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<Extension<'t>>,
}
