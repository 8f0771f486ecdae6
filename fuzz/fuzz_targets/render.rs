//! A YAML template: rendering never panics or loops, and every value of the output maps back to
//! a place inside the template.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let template = String::from_utf8_lossy(data);
    driftwise_engine::fuzzing::rendering_maps_back_into_the_template(&template);
});
