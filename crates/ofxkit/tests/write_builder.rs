//! The builder makes the bytes the writer writes for the same document read from a file.

use ofxkit::codes::ofx::{AccountType, TrnType};
use ofxkit::write::{
    AccountRef, OfxVersion, StatementBuilder, Target, TransactionRow, WriteOptions,
};
use ofxkit::{Decimal, FixedOffset, NaiveDate};

fn built() -> ofxkit::write::OfxDocument {
    let day = |d| NaiveDate::from_ymd_opt(2024, 3, d).expect("day");
    let at = day(9)
        .and_hms_opt(14, 30, 0)
        .expect("time")
        .and_local_timezone(FixedOffset::west_opt(5 * 3600).expect("offset"))
        .single()
        .expect("fixed");
    let bank = StatementBuilder::new(
        "USD",
        AccountRef::Bank {
            bank_id: "121000248".into(),
            branch_id: Some("0042".into()),
            account_id: "000123".into(),
            account_type: AccountType::Checking,
        },
    )
    .transaction_uid("7")
    .transaction(
        TransactionRow::new(TrnType::Check, day(2), Decimal::new(-4200, 2), "A1")
            .check_number("1001")
            .name("AT&T <mobile>"),
    )
    .transaction(TransactionRow::new(TrnType::Pos, at, Decimal::new(-5, 1), "A2").memo("Café"))
    .ledger_balance(Decimal::new(100000, 2), day(31))
    .available_balance(Decimal::new(90000, 2), day(31));
    let card = StatementBuilder::new("USD", AccountRef::CreditCard { account_id: "4111".into() })
        .period(day(1), day(31))
        .transaction(TransactionRow::new(TrnType::Credit, day(20), Decimal::new(20000, 2), "C1"));
    StatementBuilder::document([card, bank])
}

/// The same document as a bank would write it: OFX 1.0.2, no sign-on, other value forms.
const BY_HAND: &str = "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\n\
CHARSET:1252\nCOMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n\
<OFX><BANKMSGSRSV1><STMTTRNRS><TRNUID>7<STATUS><CODE>0<SEVERITY>info</STATUS><STMTRS>\
<CURDEF>USD<BANKACCTFROM><BANKID>121000248<BRANCHID>0042<ACCTID>000123<ACCTTYPE>CHECKING\
</BANKACCTFROM><BANKTRANLIST><DTSTART>20240302<DTEND>20240309143000.000[-5]\
<STMTTRN><TRNTYPE>CHECK<DTPOSTED>20240302<TRNAMT>-42,00<FITID>A1<CHECKNUM>1001\
<NAME>AT&amp;T &lt;mobile&gt;</STMTTRN><STMTTRN><TRNTYPE>pos<DTPOSTED>20240309143000[-05:00]\
<TRNAMT>-.5<FITID>A2<MEMO>Caf\u{e9}</STMTTRN></BANKTRANLIST><LEDGERBAL><BALAMT>+1000.00\
<DTASOF>20240331</LEDGERBAL><AVAILBAL><BALAMT>900.00<DTASOF>20240331</AVAILBAL></STMTRS>\
</STMTTRNRS></BANKMSGSRSV1><CREDITCARDMSGSRSV1><CCSTMTTRNRS><TRNUID>0<STATUS><CODE>0\
<SEVERITY>INFO</STATUS><CCSTMTRS><CURDEF>USD<CCACCTFROM><ACCTID>4111</CCACCTFROM>\
<BANKTRANLIST><DTSTART>20240301<DTEND>20240331<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20240320\
<TRNAMT>200.00<FITID>C1</STMTTRN></BANKTRANLIST></CCSTMTRS></CCSTMTTRNRS></CREDITCARDMSGSRSV1></OFX>";

#[test]
fn built_and_read_documents_write_the_same_bytes() {
    let doc = built();
    // The builder keeps each statement where it belongs: bank first, then card.
    assert_eq!(doc.root.children()[0].name(), "BANKMSGSRSV1");
    // `-.5` is not a strict amount but reads as -0.5; the writer's decimal keeps its one
    // digit, as the builder's Decimal::new(-5, 1) does.
    let read = ofxkit::parse(BY_HAND.as_bytes()).expect("reads");
    for (target, version) in [
        (Target::Ofx1, None),
        (Target::Ofx1, Some(OfxVersion::V103)),
        (Target::Ofx2, None),
        (Target::Ofx2, Some(OfxVersion::V220)),
    ] {
        let options = WriteOptions {
            target,
            version: version.or(Some(target.default_version())),
            ..WriteOptions::default()
        };
        let from_builder = doc.to_bytes(&options).expect("writes");
        let mut from_file = Vec::new();
        let written = read.write_ofx(&mut from_file, &options).expect("writes");
        assert!(written.signon_synthesized);
        assert_eq!(
            String::from_utf8_lossy(&from_builder),
            String::from_utf8_lossy(&from_file),
            "{target:?} {version:?}"
        );
        // And the sign-on made up for both is dated by the latest date of the document.
        let text = String::from_utf8_lossy(&from_builder);
        assert!(text.contains("<DTSERVER>20240331"), "{text}");
    }
}
