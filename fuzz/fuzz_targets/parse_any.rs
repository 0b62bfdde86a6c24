//! Any bytes through the whole syntax layer: must never panic, hang or grow without bound.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    // Read as `ofxkit::parse` reads, with the OFX and OFC tables.
    ofxkit_syntax::fuzz::parse_any(data, &ofxkit::with_dtd(&Default::default()));
});
