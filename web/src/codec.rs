//! Messages to and from the worker travel as JSON text. gloo-worker's default (bincode) cannot carry
//! `serde_json::Value`, which the report uses for values.

use gloo_worker::Codec;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

pub struct JsonCodec;

impl Codec for JsonCodec {
    fn encode<I: Serialize>(input: I) -> JsValue {
        // Our own message types always serialise; an empty string would fail loudly in decode.
        JsValue::from_str(&serde_json::to_string(&input).unwrap_or_default())
    }

    fn decode<O: for<'de> Deserialize<'de>>(input: JsValue) -> O {
        let text = input.as_string().unwrap_or_default();
        match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(e) => wasm_bindgen::throw_str(&format!("driftwise: malformed worker message: {e}")),
        }
    }
}
