//! Any text in any format (the first byte picks it): no reader panics, every span lies in the
//! text at its offset's line and column, and the document compared with itself has no findings.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Some((&format, rest)) = data.split_first() {
        let text = String::from_utf8_lossy(rest);
        driftwise_engine::fuzzing::read_and_compare_with_itself(format, &text);
    }
});
