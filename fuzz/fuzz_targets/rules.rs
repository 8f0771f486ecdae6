//! A rules file and a YAML document (a 0xFF byte, never in UTF-8, separates them): validating
//! never panics or loops, and every violation points inside the document.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some(at) = data.iter().position(|&b| b == 0xff) else {
        return;
    };
    let rules = String::from_utf8_lossy(&data[..at]);
    let doc = String::from_utf8_lossy(&data[at + 1..]);
    driftwise_engine::fuzzing::validating_keeps_to_the_text(&rules, &doc);
});
