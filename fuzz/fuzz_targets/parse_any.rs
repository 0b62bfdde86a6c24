//! Any bytes through the whole syntax layer: must never panic, hang or grow without bound.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    ofxkit_syntax::fuzz::parse_any(data);
});
