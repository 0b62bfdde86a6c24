//! The two-lexer oracle on any bytes: the nom reference lexer and the production lexer (on
//! the whole input and fed in chunks) give the same events, which tile the input.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    ofxkit_syntax::fuzz::lexers_agree(data);
});
