//! Any bytes through the validator under every profile: must never panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    ofxkit::fuzz::validate_any(data);
});
