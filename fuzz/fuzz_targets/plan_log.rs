//! Any bytes as a card-processor plan log: must never panic; the state reads back, and
//! applying the log twice changes nothing (`ofxkit::fuzz::plan_log_any`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    ofxkit::fuzz::plan_log_any(data);
});
