//! Any bytes that read without an error, written as OFX 1.x and 2.x: must never panic, and
//! what is written reads back to the same model and writes to the same bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    ofxkit::fuzz::write_any(data);
});
