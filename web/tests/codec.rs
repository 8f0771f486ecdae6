//! The worker messages' codec in real headless Chromium: large texts travel beside the JSON as
//! UTF-8 bytes and come back unchanged, whatever their characters.

use driftwise_web::codec::{JsonCodec, Texts};
use gloo_worker::Codec;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Message {
    name: String,
    texts: Texts,
}

fn texts() -> Vec<String> {
    vec![
        "key: value\n".repeat(10_000),
        String::new(),
        "naïve: \"quoted\" \\ café ☃ 🦀\n".into(),
        "\u{feff}bom first\r\n".into(),
    ]
}

#[wasm_bindgen_test]
fn texts_go_beside_the_json_as_bytes_and_come_back_unchanged() {
    let sent = JsonCodec::encode(Message {
        name: "check".into(),
        texts: Texts::new(texts()),
    });
    let array: js_sys::Array = sent
        .clone()
        .dyn_into()
        .expect("a message with texts is an array");
    assert_eq!(array.length(), 5);
    assert_eq!(
        array.get(0).as_string().as_deref(),
        Some(r#"{"name":"check","texts":4}"#),
        "the texts are not in the JSON"
    );
    for (i, text) in texts().iter().enumerate() {
        let bytes: js_sys::Uint8Array = array.get(i as u32 + 1).dyn_into().expect("bytes");
        assert_eq!(bytes.to_vec(), text.as_bytes());
    }
    let back: Message = JsonCodec::decode(sent);
    assert_eq!(back.name, "check");
    assert_eq!(back.texts.take(), texts());
}

#[wasm_bindgen_test]
fn a_message_without_texts_is_its_json_alone() {
    let sent = JsonCodec::encode(Message {
        name: "settings".into(),
        texts: Texts::default(),
    });
    assert_eq!(
        sent.as_string().as_deref(),
        Some(r#"{"name":"settings","texts":0}"#)
    );
    let back: Message = JsonCodec::decode(sent);
    assert!(back.texts.is_empty());
}
