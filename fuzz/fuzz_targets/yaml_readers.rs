//! Any text through both YAML readers: the block reader reads only what the full reader reads,
//! to the same tree and spans, and neither panics.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        driftwise_engine::fuzzing::yaml_readers_agree(text);
    }
});
