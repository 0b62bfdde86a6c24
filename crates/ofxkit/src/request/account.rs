//! The account a request is about.

use crate::codes::Code;
use crate::codes::ofx::AccountType;
use crate::sync::AccountKey;
use crate::write::Node;

/// A bank, credit-card or investment account, as a request names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Account {
    /// `BANKACCTFROM`: `BANKID`, `BRANCHID`, `ACCTID`, `ACCTTYPE`.
    Bank {
        /// `BANKID` (routing number).
        bank_id: String,
        /// `BRANCHID`.
        branch_id: Option<String>,
        /// `ACCTID`.
        account_id: String,
        /// `ACCTTYPE`.
        account_type: AccountType,
    },
    /// `CCACCTFROM`: the card number.
    CreditCard {
        /// `ACCTID`.
        account_id: String,
    },
    /// `INVACCTFROM`: `BROKERID`, `ACCTID`.
    Investment {
        /// `BROKERID` (the broker's domain name, usually).
        broker_id: String,
        /// `ACCTID`.
        account_id: String,
    },
}

impl Account {
    /// `ACCTID`.
    pub fn account_id(&self) -> &str {
        match self {
            Account::Bank { account_id, .. }
            | Account::CreditCard { account_id }
            | Account::Investment { account_id, .. } => account_id,
        }
    }

    /// The `…ACCTFROM` aggregate.
    pub fn from_node(&self) -> Node {
        match self {
            Account::Bank { bank_id, branch_id, account_id, account_type } => {
                Node::aggregate("BANKACCTFROM", vec![Node::leaf("BANKID", bank_id.clone())])
                    .with_opt("BRANCHID", branch_id.clone())
                    .with(Node::leaf("ACCTID", account_id.clone()))
                    .with(Node::leaf("ACCTTYPE", account_type.as_str()))
            }
            Account::CreditCard { account_id } => {
                Node::aggregate("CCACCTFROM", vec![Node::leaf("ACCTID", account_id.clone())])
            }
            Account::Investment { broker_id, account_id } => Node::aggregate(
                "INVACCTFROM",
                vec![
                    Node::leaf("BROKERID", broker_id.clone()),
                    Node::leaf("ACCTID", account_id.clone()),
                ],
            ),
        }
    }

    /// The key a [`SyncState`](crate::sync::SyncState) files this account's tokens under.
    pub fn key(&self) -> AccountKey {
        match self {
            Account::Bank { bank_id, branch_id, account_id, account_type } => AccountKey {
                bank_id: Some(bank_id.clone()),
                branch_id: branch_id.clone(),
                account_id: Some(account_id.clone()),
                account_type: Some(account_type.as_str().to_owned()),
            },
            Account::CreditCard { account_id } | Account::Investment { account_id, .. } => {
                AccountKey {
                    bank_id: None,
                    branch_id: None,
                    account_id: Some(account_id.clone()),
                    account_type: None,
                }
            }
        }
    }

    /// The bank account a state's key names; `None` unless it has a `BANKID`, an `ACCTID`
    /// and a known `ACCTTYPE`.
    pub fn from_key(key: &AccountKey) -> Option<Account> {
        let account_type = key.account_type.as_deref().and_then(AccountType::from_exact)?;
        Some(Account::Bank {
            bank_id: key.bank_id.clone()?,
            branch_id: key.branch_id.clone(),
            account_id: key.account_id.clone()?,
            account_type,
        })
    }
}
