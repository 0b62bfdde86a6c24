//! Parse → write the tree → parse again → same names and texts.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    ofxkit_syntax::fuzz::roundtrip(data);
});
