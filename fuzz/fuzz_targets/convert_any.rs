//! Any bytes through the typed model and every converter: must never panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    ofxkit::fuzz::convert_any(data);
});
