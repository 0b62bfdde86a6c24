//! `ofxkit convert --what payments|payees|recurring`.

use crate::util::{corpus, run};

#[test]
fn payments_as_csv_are_formula_guarded() {
    let out = run(
        &["convert", "--to", "csv", "--what", "payments", &corpus("billpay/responses.ofx")],
        b"",
    );
    assert_eq!(out.status, 0, "{}", out.stderr);
    let mut lines = out.stdout.lines();
    assert_eq!(
        lines.next(),
        Some(
            "source,message,action,direction,transaction_uid,status_code,status_severity,\
             status_message,sync_token,server_id,recurring_id,bank_id,branch_id,account_id,\
             account_type,amount,currency,due,payee_list_id,payee_id,payee_name,pay_account,memo,\
             bill_reference,check_number,processing_code,processing_date,days_to_pay,date_posted,\
             line,problems"
        )
    );
    let first = lines.next().unwrap_or("");
    assert!(first.contains(",120.50,USD,2024-03-15,"), "{first}");
    assert!(first.contains(",'@SUM(1) march water,"), "{first}");
    let second = lines.next().unwrap_or("");
    assert!(second.contains(",-1.00,"), "an amount is never guarded: {second}");
    // The failed request (10504, no record) shows in its place, before the inquiry, with
    // the line of its wrapper.
    let failed = format!(
        "{},PMTTRNRS,,response,2004,10504,ERROR,Balance too low,,,,,,,,,,,,,,,,,,,,,,127,",
        corpus("billpay/responses.ofx")
    );
    assert_eq!(out.stdout.lines().nth(4), Some(failed.as_str()), "{}", out.stdout);
    assert_eq!(out.stdout.lines().count(), 6, "{}", out.stdout);
}

#[test]
fn payments_as_ndjson_and_json() {
    let file = corpus("billpay/sync-responses.ofx");
    let out = run(&["convert", "--to", "ndjson", "--what", "payments", &file], b"");
    assert_eq!(out.status, 0, "{}", out.stderr);
    let rows: Vec<serde_json::Value> =
        out.stdout.lines().map(|l| serde_json::from_str(l).expect("NDJSON line")).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["sync_token"], "260");
    assert_eq!(rows[0]["processing_code"], "PROCESSEDON");
    assert_eq!(rows[0]["amount"], "120.50");
    assert_eq!(rows[0]["memo"], serde_json::Value::Null);
    let out = run(&["convert", "--what", "recurring", &corpus("billpay/responses-v2.ofx")], b"");
    let rows: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    let rows = rows.as_array().expect("array");
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[1]["final_amount"], "10.01");
    assert_eq!(rows[1]["instalments"], 4, "a count is a number");
    assert_eq!(rows[2]["action"], "cancel");
    assert_eq!(rows[0]["modify_pending"], serde_json::Value::Null);
}

#[test]
fn payees_include_sync_records_and_the_wrapper_status() {
    let out = run(
        &["convert", "--to", "csv", "--what", "payees", &corpus("billpay/responses-v2.ofx")],
        b"",
    );
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains(",PAYEEDELRS,delete,response,c1b2a3d4-0003,10519,No such payee,,43,\n"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains(",PAYEEDELRS,delete,response,0,0,,1002,52,\n"), "{}", out.stdout);
}
