//! Messages to and from the workers travel as JSON text (gloo-worker's default, bincode, cannot
//! carry `serde_json::Value`, which the report uses for values), with the large texts of files
//! beside it: a message with [`Texts`] is a JS array of its JSON and those texts, which are
//! neither escaped into the JSON nor read back out of it. Given a 20 MB pair, escaping took the
//! page ~170 ms and reading the escapes back took the worker as long again.
//!
//! The texts beside go as their UTF-8 bytes (a `Uint8Array` each), not as JS strings: a string
//! is decoded from wasm memory by the sender, serialised character by character by
//! `postMessage` and encoded again by the receiver, where bytes are copied out, copied by the
//! browser and copied in. For a 20 MB pair that was ~200 ms of the page's main thread per check.

use gloo_worker::Codec;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue};

/// Texts at least this long travel beside the JSON.
pub const BESIDE: usize = 64 * 1024;

thread_local! {
    /// The texts of the message being encoded or decoded: filled by [`Texts`] while it is
    /// serialised, or by the codec before the message is read.
    static BESIDE_JSON: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// Large texts taken out of a message's files (see [`crate::worker::Task::take_texts`]), sent
/// beside its JSON. Serialising moves them out, into the codec's array: a message is encoded once.
#[derive(Debug, Default)]
pub struct Texts(RefCell<Vec<String>>);

impl Texts {
    pub fn new(texts: Vec<String>) -> Texts {
        Texts(RefCell::new(texts))
    }

    pub fn take(&self) -> Vec<String> {
        self.0.take()
    }

    pub fn is_empty(&self) -> bool {
        self.0.borrow().is_empty()
    }
}

impl Clone for Texts {
    fn clone(&self) -> Texts {
        Texts::new(self.0.borrow().clone())
    }
}

impl PartialEq for Texts {
    fn eq(&self, other: &Texts) -> bool {
        *self.0.borrow() == *other.0.borrow()
    }
}

impl Serialize for Texts {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let texts = self.take();
        let count = texts.len();
        BESIDE_JSON.with(|beside| beside.borrow_mut().extend(texts));
        serializer.serialize_u64(count as u64)
    }
}

impl<'de> Deserialize<'de> for Texts {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Texts, D::Error> {
        let count = u64::deserialize(deserializer)? as usize;
        let texts = BESIDE_JSON.with(|beside| {
            let mut beside = beside.borrow_mut();
            let count = count.min(beside.len());
            beside.drain(..count).collect()
        });
        Ok(Texts::new(texts))
    }
}

pub struct JsonCodec;

impl Codec for JsonCodec {
    fn encode<I: Serialize>(input: I) -> JsValue {
        BESIDE_JSON.with(|beside| beside.borrow_mut().clear());
        // Our own message types always serialise; an empty string would fail loudly in decode.
        let json = JsValue::from_str(&serde_json::to_string(&input).unwrap_or_default());
        let texts = BESIDE_JSON.with(|beside| std::mem::take(&mut *beside.borrow_mut()));
        if texts.is_empty() {
            return json;
        }
        let message = js_sys::Array::new_with_length(texts.len() as u32 + 1);
        message.set(0, json);
        for (i, text) in texts.iter().enumerate() {
            message.set(
                i as u32 + 1,
                js_sys::Uint8Array::from(text.as_bytes()).into(),
            );
        }
        message.into()
    }

    fn decode<O: for<'de> Deserialize<'de>>(input: JsValue) -> O {
        let (json, texts) = match input.dyn_ref::<js_sys::Array>() {
            Some(message) => (
                message.get(0).as_string().unwrap_or_default(),
                (1..message.length())
                    .map(|i| text_of(message.get(i)))
                    .collect::<Result<_, _>>()
                    .unwrap_or_else(|e| malformed(e)),
            ),
            None => (input.as_string().unwrap_or_default(), Vec::new()),
        };
        BESIDE_JSON.with(|beside| *beside.borrow_mut() = texts);
        let decoded = serde_json::from_str(&json);
        BESIDE_JSON.with(|beside| beside.borrow_mut().clear());
        decoded.unwrap_or_else(|e| malformed(e))
    }
}

/// A text sent beside a message's JSON: its UTF-8 bytes, checked, since the bytes come from
/// another wasm instance.
fn text_of(beside: JsValue) -> Result<String, String> {
    let bytes = beside
        .dyn_into::<js_sys::Uint8Array>()
        .map_err(|_| "a text beside the JSON is not a Uint8Array".to_string())?;
    String::from_utf8(bytes.to_vec()).map_err(|e| e.to_string())
}

fn malformed(e: impl std::fmt::Display) -> ! {
    wasm_bindgen::throw_str(&format!("driftwise: malformed worker message: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Serialised, texts leave the JSON for the side list, and come back from it in order.
    #[test]
    fn texts_travel_beside_the_json() {
        #[derive(Serialize, Deserialize, Debug, PartialEq)]
        struct Message {
            name: String,
            texts: Texts,
        }
        let message = Message {
            name: "check".into(),
            texts: Texts::new(vec!["a\"b".into(), "c\nd".into()]),
        };
        let json = serde_json::to_string(&message).unwrap();
        assert_eq!(json, r#"{"name":"check","texts":2}"#);
        assert!(message.texts.is_empty(), "moved out by serialising");
        let beside = BESIDE_JSON.with(|b| b.take());
        assert_eq!(beside, ["a\"b", "c\nd"]);
        BESIDE_JSON.with(|b| *b.borrow_mut() = beside);
        let back: Message = serde_json::from_str(&json).unwrap();
        assert_eq!(back.texts.take(), ["a\"b", "c\nd"]);
        assert!(BESIDE_JSON.with(|b| b.borrow().is_empty()));
    }
}
