//! OFC request batches written as OFX: every record in its OFX wrapper and message set,
//! valid OFX 1.6.

use ofxkit::syntax::Severity;
use ofxkit::validate::{ValidateOptions, validate};
use ofxkit::write::{OfxVersion, Target, WriteOptions};

const REQUESTS: &str = "<OFC><DTD>2<CPAGE>1252\
<SONRQ><SESSKEY>0<DTCLIENT>20240301120000<USERID>JDOE<USERPASS>secret<NEWPASS>better</SONRQ>\
<MAINTRQ><CLTID>11<ACTION>0<PAYEERQ><PAYEE><ENTITY><NAME>City Power<NAME>Billing Dept\
<ADDRESS>1 Main St<CITY>Springfield<STATE>IL<POSTALID>62701<PHONE>217-555-0100</ENTITY></PAYEE>\
<PAYACCT>ACCT-778</PAYEERQ></MAINTRQ>\
<MAINTRQ><CLTID>12<ACTION>2<PAYEERQ><PAYEE><NAME>City Power &amp; Light<ADDRESS>2 Main St\
<CITY>Springfield<STATE>IL<POSTALID>62701<PHONE>217-555-0101</PAYEE><PAYEEID>77\
<PAYACCT>ACCT-778</PAYEERQ></MAINTRQ>\
<TRNRQ><CLTID>21<ACTION>0<PAYMTRQ><ACCTFROM><ACCOUNT><BANKID>001<ACCTID>1001<ACCTTYPE>0\
</ACCOUNT></ACCTFROM><TRNAMT>120,50<PAYEEID>77<PAYACCT>ACCT-778<DTDUE>20240315<MEMO>March\
<MEMO>power bill</PAYMTRQ></TRNRQ>\
<TRNRQ><CLTID>22<ACTION>2<PAYMTRQ><ACCTFROM><BANKID>001<ACCTID>1001<ACCTTYPE>0</ACCTFROM>\
<TRNAMT>99,00<PAYEEID>77<PAYACCT>ACCT-778<DTDUE>20240316<SRVRTID>9001</PAYMTRQ></TRNRQ>\
<TRNRQ><CLTID>23<ACTION>1<PAYMTRQ><ACCTFROM><BANKID>001<ACCTID>1001<ACCTTYPE>0</ACCTFROM>\
<TRNAMT>99,00<PAYEEID>77<PAYACCT>ACCT-778<DTDUE>20240316<SRVRTID>9001</PAYMTRQ></TRNRQ>\
<TRNRQ><CLTID>24<ACTION>0<PAYIQRQ><SRVRTID>9001<MEMO>Was it paid?</PAYIQRQ></TRNRQ>\
<TRNRQ><CLTID>31<ACTION>0<STMTRQ><ACCTFROM><BANKID>001<ACCTID>1001<ACCTTYPE>0</ACCTFROM>\
<DTSTART>20240201</STMTRQ></TRNRQ>\
<TRNRQ><CLTID>32<ACTION>0<STMTRQ><ACCTFROM><BANKID>001<ACCTID>4111<ACCTTYPE>2</ACCTFROM>\
<DTSTART>20240201<DTEND>20240229</STMTRQ></TRNRQ></OFC>";

#[test]
fn ofc_bill_pay_and_statement_requests_become_ofx_requests() {
    let doc = ofxkit::parse(REQUESTS.as_bytes()).expect("reads");
    let options = WriteOptions {
        target: Target::Ofx1,
        version: Some(OfxVersion::V160),
        show_secrets: true,
        ..WriteOptions::default()
    };
    let mut out = Vec::new();
    let written = doc.write_ofx(&mut out, &options).expect("writes");
    // NEWPASS, the second NAME, the inquiry's MEMO, the payment of the cancellation (OFX's
    // PMTCANCRQ holds only the SRVRTID: kept as OFC.PMTINFO) and the card's BANKID have no
    // place in OFX.
    assert_eq!(written.vendor, 5);
    assert!(!written.signon_synthesized);
    let text = String::from_utf8(out.clone()).expect("CP1252 of ASCII");
    // Compared without the indentation.
    let flat = text.lines().map(str::trim_start).collect::<Vec<_>>().join("\n");
    for expected in [
        "<SIGNONMSGSRQV1>\r\n  <SONRQ>\r\n    <DTCLIENT>20240301120000\r\n    <USERID>JDOE\r\n    <USERPASS>secret\r\n    <LANGUAGE>ENG\r\n    <SESSCOOKIE>0\r\n    <APPID>OFXKIT\r\n    <APPVER>0100\r\n    <OFC.NEWPASS>better\r\n",
        "<PAYEETRNRQ>\r\n      <TRNUID>11\r\n      <PAYEERQ>\r\n        <PAYEE>\r\n          <NAME>City Power\r\n",
        "<OFC.NAME>Billing Dept\r\n",
        "<PAYEEMODRQ>\r\n        <PAYEELSTID>77\r\n",
        "<PMTRQ>\r\n        <PMTINFO>\r\n          <BANKACCTFROM>\r\n            <BANKID>001\r\n            <ACCTID>1001\r\n            <ACCTTYPE>CHECKING\r\n          </BANKACCTFROM>\r\n          <TRNAMT>120.50\r\n          <PAYEEID>77\r\n          <PAYACCT>ACCT-778\r\n          <DTDUE>20240315\r\n          <MEMO>March\npower bill\r\n",
        "<PMTMODRQ>\r\n        <SRVRTID>9001\r\n        <PMTINFO>\r\n",
        "<PMTCANCRQ>\r\n        <SRVRTID>9001\r\n<OFC.PMTINFO>\r\n<BANKACCTFROM>\r\n",
        "</SIGNONMSGSRQV1>\r\n<BANKMSGSRQV1>\r\n<STMTTRNRQ>\r\n<TRNUID>31\r\n<STMTRQ>\r\n<BANKACCTFROM>",
        "</BANKACCTFROM>\r\n<INCTRAN>\r\n<DTSTART>20240201\r\n<INCLUDE>Y\r\n</INCTRAN>\r\n</STMTRQ>",
        "<CREDITCARDMSGSRQV1>\r\n<CCSTMTTRNRQ>\r\n<TRNUID>32\r\n<CCSTMTRQ>\r\n<CCACCTFROM>\r\n<ACCTID>4111\r\n<OFC.BANKID>001\r\n</CCACCTFROM>\r\n<INCTRAN>\r\n<DTSTART>20240201\r\n<DTEND>20240229\r\n<INCLUDE>Y",
        "</CREDITCARDMSGSRQV1>\r\n<BILLPAYMSGSRQV1>",
        "<PMTINQTRNRQ>\r\n      <TRNUID>24\r\n      <PMTINQRQ>\r\n        <SRVRTID>9001\r\n        <OFC.MEMO>Was it paid?\r\n",
    ] {
        let expected = expected.lines().map(str::trim_start).collect::<Vec<_>>().join("\n");
        assert!(flat.contains(&expected), "{expected}\nnot in\n{text}");
    }
    let again = ofxkit::parse(&out).expect("reads back");
    let report = validate(&again, &ValidateOptions::default());
    let errors: Vec<_> = report.findings.iter().filter(|f| f.severity == Severity::Error).collect();
    assert!(errors.is_empty(), "{errors:?}\n{text}");
    // The model sees the same payments: amounts, due dates, actions, server ids.
    let key = |d: &ofxkit::Document<'_>| -> Vec<String> {
        let m = d.model();
        m.all_payments()
            .iter()
            .map(|p| {
                format!(
                    "{:?} {:?} {:?} {:?}",
                    p.action,
                    p.server_id,
                    p.info.as_ref().and_then(|i| i.amount.as_ref()).map(|a| a.value.to_string()),
                    p.info.as_ref().and_then(|i| i.due.as_ref()).map(|d| d.value.to_iso8601()),
                )
            })
            .collect()
    };
    let (source, written) = (key(&doc), key(&again));
    assert_eq!(source.len(), 4);
    // The cancellation's payment is an extension of OFX's PMTCANCRQ: the rest is the same.
    assert_eq!(written[2], "Some(Cancel) Some(\"9001\") None None");
    assert_eq!(source[2], "Some(Cancel) Some(\"9001\") Some(\"99.00\") Some(\"2024-03-16\")");
    for i in [0, 1, 3] {
        assert_eq!(written[i], source[i]);
    }
    let model = again.model();
    let cancel = model.all_payments()[2].clone();
    assert_eq!(cancel.extensions[0].name, "OFC.PMTINFO");
    let amount = cancel.extensions[0].children.iter().find(|c| c.name == "TRNAMT");
    assert_eq!(amount.and_then(|a| a.text), Some("99.00"));
}
