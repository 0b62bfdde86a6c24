//! OFC's numeric codes (`ofc.dtd`, DTD version 2).

use crate::codes::code_table;

code_table! {
    /// OFC `ACCTTYPE`.
    OfcAccountType, "OFC ACCTTYPE", [
        Checking = "0": "Checking",
        Savings = "1": "Savings",
        CreditCard = "2": "Credit card",
        MoneyMarket = "3": "Money market",
        CreditLine = "4": "Credit line",
        Loan = "5": "Loan",
        InterbankTransferPayee = "6": "Inter-bank transfer payee",
        Other = "7": "Other",
    ]
}

code_table! {
    /// OFC `TRNTYPE`.
    OfcTrnType, "OFC TRNTYPE", [
        Credit = "0": "Credit",
        Debit = "1": "Debit",
        Interest = "2": "Interest",
        Dividend = "3": "Dividend",
        ServiceCharge = "4": "Service charge",
        Deposit = "5": "Deposit",
        AtmWithdrawal = "6": "ATM withdrawal",
        Transfer = "7": "Transfer",
        Check = "8": "Check",
        ElectronicPayment = "9": "Electronic payment",
        CashWithdrawal = "10": "Cash withdrawal",
        PayrollDeposit = "11": "Electronic payroll deposit",
        Other = "12": "Other",
    ]
}

code_table! {
    /// OFC `ACTION`.
    OfcAction, "OFC ACTION", [
        Add = "0": "Add",
        Delete = "1": "Delete",
        Change = "2": "Change",
    ]
}

code_table! {
    /// OFC `SERVICE`.
    OfcService, "OFC SERVICE", [
        Banking = "0": "Banking services",
        BillPay = "1": "Bill-pay services (service model)",
        PayeeAndAccount = "2": "Payee id / account info (interbank-transfer model)",
        PayeeOnly = "3": "Payee id only (interbank-transfer model)",
        AccountOnly = "4": "Account info only (interbank-transfer model)",
    ]
}

code_table! {
    /// OFC `STATUS`.
    OfcStatus, "OFC STATUS", [
        Accepted = "0": "Request accepted",
        Rejected = "1": "Request rejected",
        AccountPending = "2": "Account pending",
        AccountClosed = "3": "Account closed",
        NoClientId = "4": "No CLTID (unsolicited transaction)",
        PasswordChangeRequired = "5": "Password change required",
        Undefined = "100": "Undefined error (text in ERROR)",
        UserIdUnknown = "101": "USERID not recognized",
        PasswordUnknown = "102": "USERPASS not recognized",
        SessionKeyUnknown = "103": "SESSKEY not recognized",
        AccountUnknown = "104": "Account not recognized",
        BankUnknown = "105": "Bank not recognized",
        PayeeIdUnknown = "106": "PAYEEID not recognized",
    ]
}

impl OfcStatus {
    /// True for the statuses that report a failure (1, 3, and the 100s).
    pub fn is_error(self) -> bool {
        !matches!(
            self,
            OfcStatus::Accepted
                | OfcStatus::AccountPending
                | OfcStatus::NoClientId
                | OfcStatus::PasswordChangeRequired
        )
    }
}
