//! Reading bill-pay records: leniency, the OFX 1.5/1.6 `…2` forms, findings with positions,
//! and nothing lost.

use ofxkit::model::{Action, Direction, SyncKind};
use ofxkit::schedule::PlanError;

/// The findings' codes, without the syntax layer's `W-NO-HEADER` (the inline files here
/// have no header).
fn codes(model: &ofxkit::model::Model<'_>) -> Vec<&'static str> {
    model.diagnostics.iter().map(|d| d.code).filter(|c| *c != "W-NO-HEADER").collect()
}

#[test]
fn refresh_reads_in_any_letter_case() {
    for (text, expect) in [
        ("<REFRESH>Y", true),
        ("<REFRESH>y", true),
        ("<refresh>Y", true),
        ("<Refresh>yes", true),
        ("<REFRESH>N", false),
    ] {
        let file = format!(
            "<OFX><BILLPAYMSGSRQV1><PMTSYNCRQ>{text}<REJECTIFMISSING>N\
             <BANKACCTFROM><BANKID>1<ACCTID>2<ACCTTYPE>CHECKING</BANKACCTFROM></PMTSYNCRQ>\
             </BILLPAYMSGSRQV1></OFX>"
        );
        let doc = ofxkit::parse(file.as_bytes()).expect("parse");
        let model = doc.model();
        assert_eq!(model.sync.len(), 1, "{text}");
        let s = &model.sync[0];
        assert_eq!((s.entity, s.direction), (SyncKind::Payments, Direction::Request));
        assert_eq!(s.refresh, Some(expect), "{text}");
    }
}

#[test]
fn a_sync_request_needs_exactly_one_of_token_tokenonly_refresh() {
    let doc = ofxkit::parse(
        b"<OFX><BILLPAYMSGSRQV1><PAYEESYNCRQ><TOKEN>4<REFRESH>Y<REJECTIFMISSING>Y\
          </PAYEESYNCRQ></BILLPAYMSGSRQV1></OFX>",
    )
    .expect("parse");
    let model = doc.model();
    assert!(codes(model).contains(&"W-SYNC-CHOICE"), "{:?}", model.diagnostics);
    let doc = ofxkit::parse(
        b"<OFX><BILLPAYMSGSRQV1><PAYEESYNCRQ><TOKENONLY>Y<REJECTIFMISSING>Y\
          </PAYEESYNCRQ></BILLPAYMSGSRQV1></OFX>",
    )
    .expect("parse");
    let model = doc.model();
    assert_eq!(codes(model), ["W-SYNC-REJECTIFMISSING"]);
}

#[test]
fn ofx_16_long_forms_read_as_the_short_ones() {
    let doc = ofxkit::parse(
        b"<OFX><BILLPAYMSGSRSV2><PMTSYNCRS><TOKEN2>tok-36-chars\
          <BANKACCTFROM><BANKID>1<ACCTID>2<ACCTTYPE>CHECKING</BANKACCTFROM>\
          <PMTTRNRS><TRNUID>0<STATUS><CODE>0<SEVERITY>INFO</STATUS>\
          <PMTRS><SRVRTID2>a-long-server-id<PAYEELSTID2>a-long-list-id<CURDEF>EUR\
          <PMTINFO2><PMTTYPE>SEPA<BANKACCTFROM><BANKID>1<ACCTID>2<ACCTTYPE>CHECKING</BANKACCTFROM>\
          <TRNAMT>12,30<PAYEELSTID2>a-long-list-id<DTDUE>20240105<MEMO2>long memo<BILLID>B1\
          </PMTINFO2><PMTPRCSTS><PMTPRCCODE>WILLPROCESSON<DTPMTPRC>20240105</PMTPRCSTS>\
          <RECSRVRTID2>a-long-model-id</PMTRS></PMTTRNRS></PMTSYNCRS></BILLPAYMSGSRSV2></OFX>",
    )
    .expect("parse");
    let model = doc.model();
    let s = &model.sync[0];
    assert_eq!(s.token, Some("tok-36-chars"));
    let p = &s.payments[0];
    assert_eq!(p.server_id, Some("a-long-server-id"));
    assert_eq!(p.payee_list_id, Some("a-long-list-id"));
    assert_eq!(p.recurring_id, Some("a-long-model-id"));
    assert_eq!(p.sync_token, Some("tok-36-chars"));
    let info = p.info.as_ref().expect("PMTINFO2");
    assert_eq!(info.amount.as_ref().map(|a| a.value.to_string()), Some("12.30".into()));
    assert_eq!(info.memo.as_deref(), Some("long memo"));
    assert_eq!(info.bill_id, Some("B1"));
    // PMTTYPE is not modelled: kept, with its path.
    assert_eq!(info.extensions.len(), 1);
    assert_eq!(info.extensions[0].name, "PMTTYPE");
    assert!(info.extensions[0].path.ends_with("PMTINFO2/PMTTYPE"), "{}", info.extensions[0].path);
}

#[test]
fn bad_values_are_findings_with_positions_and_the_rest_is_read() {
    let file =
        b"<OFX><BILLPAYMSGSRSV1>\n<RECPMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>\n\
        <RECPMTRS><RECSRVRTID>R1<PAYEELSTID>P<CURDEF>USD\n\
        <RECURRINST><NINSTS>twelve<FREQ>FORTNIGHTLY</RECURRINST>\n\
        <PMTINFO><BANKACCTFROM><BANKID>1<ACCTID>2<ACCTTYPE>CHECKING</BANKACCTFROM>\
        <TRNAMT>1e5<PAYEEID>X<PAYACCT>9<DTDUE>20240230</PMTINFO>\n\
        </RECPMTRS></RECPMTTRNRS>\n\
        <PMTINQTRNRS><TRNUID>2<STATUS><CODE>0<SEVERITY>INFO</STATUS><PMTINQRS><SRVRTID>S\
        <PMTPRCSTS><PMTPRCCODE>LOST<DTPMTPRC>20240101</PMTPRCSTS></PMTINQRS></PMTINQTRNRS>\n\
        </BILLPAYMSGSRSV1></OFX>";
    let doc = ofxkit::parse(file).expect("parse");
    let model = doc.model();
    let index = doc.syntax().line_index();
    let at = |code: &str| {
        model
            .diagnostics
            .iter()
            .find(|d| d.code == code)
            .map(|d| index.line_col(d.span.start).to_string())
    };
    assert_eq!(at("E-INTEGER").as_deref(), Some("4:13"), "{:?}", model.diagnostics);
    assert!(at("W-UNKNOWN-CODE").is_some(), "{:?}", model.diagnostics);
    assert!(codes(model).iter().any(|c| c.starts_with("E-AMOUNT")), "{:?}", model.diagnostics);
    assert!(codes(model).iter().any(|c| c.starts_with("E-DATE")), "{:?}", model.diagnostics);
    let r = &model.recurring[0];
    let inst = r.instructions.as_ref().expect("RECURRINST");
    assert_eq!((inst.instalments, inst.instalments_raw), (None, Some("twelve")));
    assert_eq!(inst.frequency.as_ref().map(|f| f.as_str()), Some("FORTNIGHTLY"));
    assert_eq!(r.info.as_ref().and_then(|i| i.payee_id), Some("X"));
    let p = &model.payments[0];
    assert_eq!((p.action, p.direction), (Some(Action::Inquiry), Direction::Response));
    assert_eq!(
        p.processing.as_ref().and_then(|s| s.code.as_ref()).map(|c| c.as_str()),
        Some("LOST")
    );
}

#[test]
fn ofc_actions_say_add_change_or_cancel() {
    let bytes = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../corpus/billpay/ofc-requests.ofc"),
    )
    .expect("read");
    let doc = ofxkit::parse(&bytes).expect("parse");
    let model = doc.model();
    let actions: Vec<(&str, Option<Action>)> =
        model.payments.iter().map(|p| (p.kind, p.action)).collect();
    assert_eq!(
        actions,
        [
            ("PAYMTRQ", Some(Action::Add)),
            ("PAYMTRQ", Some(Action::Cancel)),
            ("INTERRQ", Some(Action::Add)),
            ("PAYIQRQ", Some(Action::Inquiry)),
        ]
    );
    let payees: Vec<Option<Action>> = model.payees.iter().map(|p| p.action).collect();
    assert_eq!(payees, [Some(Action::Add), Some(Action::Modify)]);
    // OFC allows several MEMO: joined.
    let memo = model.payments[0].info.as_ref().and_then(|i| i.memo.as_deref());
    assert_eq!(memo, Some("March\npower bill"));
    let inter = model.payments[2].info.as_ref().expect("INTERRQ fields");
    assert_eq!(inter.name, Some("Landlord"));
    assert_eq!(inter.account_to.as_ref().and_then(|a| a.account_id), Some("88990"));
}

#[test]
fn a_failed_wrapper_without_a_record_stays_a_response_with_its_status() {
    let doc = ofxkit::parse(
        b"<OFX><BILLPAYMSGSRSV1><PMTTRNRS><TRNUID>9<STATUS><CODE>10504<SEVERITY>ERROR\
          </STATUS></PMTTRNRS><PMTTRNRS><TRNUID>10<STATUS><CODE>0<SEVERITY>INFO</STATUS>\
          </PMTTRNRS></BILLPAYMSGSRSV1></OFX>",
    )
    .expect("parse");
    let model = doc.model();
    assert!(model.payments.is_empty());
    assert_eq!(model.responses.len(), 2);
    let s = model.responses[0].status.as_ref().expect("status");
    assert_eq!((s.code, s.meaning, s.is_error), (Some(10504), Some("insufficient funds"), true));
    assert_eq!(codes(model), ["W-STATUS-ERROR", "W-EMPTY-RESPONSE"]);
}

#[test]
fn a_repeated_trnuid_or_status_is_reported_and_kept() {
    let doc = ofxkit::parse(
        b"<OFX><BILLPAYMSGSRSV1><PMTTRNRS><TRNUID>1<TRNUID>2<STATUS><CODE>0<SEVERITY>INFO\
          </STATUS><STATUS><CODE>2000<SEVERITY>ERROR</STATUS><PMTCANCRS><SRVRTID>S1</PMTCANCRS>\
          <INTU.NOTE>hello</PMTTRNRS></BILLPAYMSGSRSV1></OFX>",
    )
    .expect("parse");
    let model = doc.model();
    assert_eq!(codes(model), ["W-DUPLICATE-ELEMENT", "W-DUPLICATE-ELEMENT"]);
    let p = &model.payments[0];
    let w = p.wrapper.as_ref().expect("wrapper");
    assert_eq!(w.transaction_uid, Some("1"));
    assert_eq!(w.status.as_ref().and_then(|s| s.code), Some(0));
    // Nothing is lost: the second TRNUID and STATUS and the vendor element stay beside it.
    let kept: Vec<&str> = model.responses[0].extensions.iter().map(|e| e.name).collect();
    assert_eq!(kept, ["TRNUID", "STATUS", "INTU.NOTE"]);
    // That kept wrapper is not a failed request: one payment row, not two.
    let options = ofxkit::convert::ConvertOptions {
        target: ofxkit::convert::Target::Csv,
        what: ofxkit::convert::What::Payments,
        ..Default::default()
    };
    let mut conv = ofxkit::convert::Converter::new(Vec::new(), options).expect("start");
    conv.add("x", &doc).expect("convert");
    let csv = String::from_utf8(conv.finish().expect("finish")).expect("utf-8");
    assert_eq!(csv.lines().count(), 2, "{csv}");
}

/// `NINSTS` is one to three digits: a larger number is not read as one (it would make a
/// model that never ends), and 0 is read exactly, with a finding.
#[test]
fn ninsts_out_of_range_is_an_error_and_zero_a_warning() {
    let file = |ninsts: &str| {
        format!(
            "<OFX><BILLPAYMSGSRSV1><RECPMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>\
             <RECPMTRS><RECSRVRTID>R1<PAYEELSTID>P<CURDEF>USD\
             <RECURRINST><NINSTS>{ninsts}<FREQ>MONTHLY</RECURRINST>\
             <PMTINFO><BANKACCTFROM><BANKID>1<ACCTID>2<ACCTTYPE>CHECKING</BANKACCTFROM>\
             <TRNAMT>1<PAYEEID>X<PAYACCT>9<DTDUE>20240131</PMTINFO>\
             </RECPMTRS></RECPMTTRNRS></BILLPAYMSGSRSV1></OFX>"
        )
    };
    let cases: &[(&str, Option<u32>, &[&str])] = &[
        ("12", Some(12), &[]),
        ("999", Some(999), &[]),
        ("0", Some(0), &["W-NINSTS-ZERO"]),
        ("1000", None, &["E-INTEGER"]),
        ("4294967295", None, &["E-INTEGER"]),
        ("+3", None, &["E-INTEGER"]),
        ("\u{1b}[2J", None, &["E-INTEGER"]),
    ];
    for &(ninsts, expect, findings) in cases {
        let bytes = file(ninsts).into_bytes();
        let doc = ofxkit::parse(&bytes).expect("parse");
        let model = doc.model();
        let inst = model.recurring[0].instructions.as_ref().expect("RECURRINST");
        assert_eq!(inst.instalments, expect, "{ninsts:?}");
        assert_eq!(codes(model), findings, "{ninsts:?}");
        for d in &model.diagnostics {
            assert!(!d.message.chars().any(char::is_control), "{:?}", d.message);
        }
        // Only a count of one or more payments has a schedule; never an open-ended one.
        let mut state = ofxkit::sync::SyncState::new();
        state.apply_responses(model);
        let plan = ofxkit::schedule::Plan::new(&state.recurring["R1"], None, None, 5000);
        let expected = match expect {
            Some(0) => Err(PlanError::NoInstalments),
            Some(n) => Ok(n as usize),
            None => Err(PlanError::Instalments(ninsts.to_owned())),
        };
        assert_eq!(plan.map(Iterator::count), expected, "{ninsts:?}");
    }
}
