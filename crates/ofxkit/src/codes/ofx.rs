//! OFX's named enumerations (OFX 1.6 DTD comments, OFX 2.2 XSD enumerations).

use crate::codes::code_table;

code_table! {
    /// `ACCTTYPE` of a bank account (`CMA` is OFX 1.6's `ACCTTYPE2`).
    AccountType, "ACCTTYPE", [
        Checking = "CHECKING": "Checking",
        Savings = "SAVINGS": "Savings",
        MoneyMarket = "MONEYMRKT": "Money market",
        CreditLine = "CREDITLINE": "Line of credit",
        Cd = "CD": "Certificate of deposit",
        Cma = "CMA": "Cash management account (OFX 1.6 ACCTTYPE2)",
    ]
}

code_table! {
    /// `TRNTYPE` of a transaction.
    TrnType, "TRNTYPE", [
        Credit = "CREDIT": "Generic credit",
        Debit = "DEBIT": "Generic debit",
        Int = "INT": "Interest earned or paid",
        Div = "DIV": "Dividend",
        Fee = "FEE": "FI fee",
        SrvChg = "SRVCHG": "Service charge",
        Dep = "DEP": "Deposit",
        Atm = "ATM": "ATM debit or credit",
        Pos = "POS": "Point of sale debit or credit",
        Xfer = "XFER": "Transfer",
        Check = "CHECK": "Check",
        Payment = "PAYMENT": "Electronic payment",
        Cash = "CASH": "Cash withdrawal",
        DirectDep = "DIRECTDEP": "Direct deposit",
        DirectDebit = "DIRECTDEBIT": "Merchant initiated debit",
        RepeatPmt = "REPEATPMT": "Repeating payment / standing order",
        Hold = "HOLD": "Hold on funds (OFX 2.x)",
        Other = "OTHER": "Other",
    ]
}

code_table! {
    /// `SEVERITY` of a `STATUS`.
    Severity, "SEVERITY", [
        Info = "INFO": "Informational",
        Warn = "WARN": "Warning",
        Error = "ERROR": "Error",
    ]
}

code_table! {
    /// `CORRECTACTION`.
    CorrectAction, "CORRECTACTION", [
        Replace = "REPLACE": "Replace the transaction with that FITID",
        Delete = "DELETE": "Delete the transaction with that FITID",
    ]
}

code_table! {
    /// `SVCSTATUS` of an account service.
    SvcStatus, "SVCSTATUS", [
        Avail = "AVAIL": "Available, not requested",
        Pend = "PEND": "Requested, not yet active",
        Active = "ACTIVE": "Active",
        Rejected = "REJECTED": "Rejected (OFX 2.2)",
    ]
}

code_table! {
    /// `PMTPRCCODE` of a payment's processing status.
    PmtPrcCode, "PMTPRCCODE", [
        WillProcessOn = "WILLPROCESSON": "Will be processed on the date",
        ProcessedOn = "PROCESSEDON": "Processed on the date",
        NoFundsOn = "NOFUNDSON": "Insufficient funds on the date",
        FailedOn = "FAILEDON": "Failed on the date",
        CanceledOn = "CANCELEDON": "Canceled on the date",
    ]
}

code_table! {
    /// `XFERPRCCODE` of a transfer's processing status.
    XferPrcCode, "XFERPRCCODE", [
        WillProcessOn = "WILLPROCESSON": "Will be processed on the date",
        PostedOn = "POSTEDON": "Posted on the date",
        NoFundsOn = "NOFUNDSON": "Insufficient funds on the date",
        CanceledOn = "CANCELEDON": "Canceled on the date",
        FailedOn = "FAILEDON": "Failed on the date",
    ]
}

code_table! {
    /// `IDSCOPE` of a payee id.
    IdScope, "IDSCOPE", [
        Global = "GLOBAL": "The FI's standard payee list",
        User = "USER": "This user's payee list",
    ]
}

code_table! {
    /// `FREQ` of a recurring model (the 1.6 DTD's `ANUALLY` is read as `ANNUALLY`).
    Freq, "FREQ", [
        Weekly = "WEEKLY": "Every week",
        Biweekly = "BIWEEKLY": "Every two weeks",
        TwiceMonthly = "TWICEMONTHLY": "Twice a month",
        Monthly = "MONTHLY": "Every month",
        FourWeeks = "FOURWEEKS": "Every four weeks",
        Bimonthly = "BIMONTHLY": "Every two months",
        Quarterly = "QUARTERLY": "Every three months",
        Triannually = "TRIANNUALLY": "Every four months (OFX 1.6 DTD)",
        Semiannually = "SEMIANNUALLY": "Every six months",
        Annually = "ANNUALLY": "Every year",
    ], aliases ["ANUALLY" => Annually]
}

code_table! {
    /// `INCOMETYPE` of investment income.
    IncomeType, "INCOMETYPE", [
        CgLong = "CGLONG": "Long-term capital gains",
        CgShort = "CGSHORT": "Short-term capital gains",
        Div = "DIV": "Dividend",
        Interest = "INTEREST": "Interest",
        Misc = "MISC": "Miscellaneous",
    ]
}

code_table! {
    /// `SUBACCTSEC`, `SUBACCTFUND`, `HELDINACCT`.
    SubAccountType, "SUBACCT", [
        Cash = "CASH": "Cash",
        Margin = "MARGIN": "Margin",
        Short = "SHORT": "Short",
        Other = "OTHER": "Other",
    ]
}

code_table! {
    /// `BUYTYPE`.
    BuyType, "BUYTYPE", [
        Buy = "BUY": "Buy",
        BuyToCover = "BUYTOCOVER": "Buy to cover a short position",
    ]
}

code_table! {
    /// `SELLTYPE`.
    SellType, "SELLTYPE", [
        Sell = "SELL": "Sell",
        SellShort = "SELLSHORT": "Sell short",
    ]
}

code_table! {
    /// `POSTYPE`.
    PosType, "POSTYPE", [
        Long = "LONG": "Long position",
        Short = "SHORT": "Short position",
    ]
}

code_table! {
    /// `TFERACTION`.
    TferAction, "TFERACTION", [
        In = "IN": "Transfer in",
        Out = "OUT": "Transfer out",
    ]
}

code_table! {
    /// `OPTACTION`.
    OptAction, "OPTACTION", [
        Exercise = "EXERCISE": "Exercise",
        Assign = "ASSIGN": "Assignment",
        Expire = "EXPIRE": "Expiration",
    ]
}

code_table! {
    /// `INV401KSOURCE`.
    Inv401kSource, "INV401KSOURCE", [
        PreTax = "PRETAX": "Pre-tax contributions",
        AfterTax = "AFTERTAX": "After-tax contributions",
        Match = "MATCH": "Employer match",
        ProfitSharing = "PROFITSHARING": "Profit sharing",
        Rollover = "ROLLOVER": "Rollover",
        OtherVest = "OTHERVEST": "Other vesting",
        OtherNonVest = "OTHERNONVEST": "Other non-vesting",
    ]
}
