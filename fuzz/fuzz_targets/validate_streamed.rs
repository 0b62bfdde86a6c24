//! Any bytes validated in one pass (transactions checked as they are read) and the plain way
//! (the whole tree): the same report (`ofxkit::fuzz::validate_streamed_agrees`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    ofxkit::fuzz::validate_streamed_agrees(data);
});
