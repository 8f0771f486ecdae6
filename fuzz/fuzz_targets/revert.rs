//! Two texts in one format (the first byte picks it; a 0xFF byte, never in UTF-8, separates
//! them): reverting every finding writes files that still read and equal the base.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((&format, rest)) = data.split_first() else {
        return;
    };
    let Some(at) = rest.iter().position(|&b| b == 0xff) else {
        return;
    };
    let base = String::from_utf8_lossy(&rest[..at]);
    let env = String::from_utf8_lossy(&rest[at + 1..]);
    driftwise_engine::fuzzing::revert_makes_the_environment_equal_the_base(format, &base, &env);
});
