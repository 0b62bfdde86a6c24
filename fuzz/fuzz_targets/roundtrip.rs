//! Parse → write the tree → parse again → same names and texts.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    // Read as `ofxkit::parse` reads, with the OFX and OFC tables.
    ofxkit_syntax::fuzz::roundtrip(data, &ofxkit::with_dtd(&Default::default()));
});
