//! A policy and two YAML texts (0xFF bytes, never in UTF-8, separate them): accepting every
//! unexpected finding writes a policy that still loads and expects each of them.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(3, |&b| b == 0xff);
    let (Some(policy), Some(base), Some(env)) = (parts.next(), parts.next(), parts.next()) else {
        return;
    };
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    driftwise_engine::fuzzing::accepting_makes_the_findings_expected(
        &text(policy),
        &text(base),
        &text(env),
    );
});
