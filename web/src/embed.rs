//! Embedding in a host page (a portal): `static/embed.js` defines `<driftwise-review>`, which
//! gives the app a root inside its own shadow root and the URL of the built app's folder
//! (`globalThis.driftwiseMount`). The host passes files, a policy and a provider with
//! `element.load({...})` (a `driftwise-load` event on the root); the app answers with events that
//! leave the element: `driftwise-ready`, `driftwise-report`, `driftwise-plan`, `driftwise-export`.

use wasm_bindgen::{JsCast, JsValue};

/// Where an embedding host page put the app.
#[derive(Clone)]
pub struct Mount {
    pub root: web_sys::Element,
    /// The built app's folder, ending in `/`.
    pub base: String,
}

/// The mount `embed.js` set up, when the app is embedded.
pub fn mount() -> Option<Mount> {
    let global = js_sys::global();
    let mount = js_sys::Reflect::get(&global, &JsValue::from_str("driftwiseMount")).ok()?;
    if mount.is_undefined() || mount.is_null() {
        return None;
    }
    let root = js_sys::Reflect::get(&mount, &JsValue::from_str("root"))
        .ok()?
        .dyn_into::<web_sys::Element>()
        .ok()?;
    let base = js_sys::Reflect::get(&mount, &JsValue::from_str("base"))
        .ok()?
        .as_string()?;
    Some(Mount { root, base })
}

/// What a host page passes with `element.load({...})`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct LoadInput {
    /// Files as `{ name, text }`: configurations, templates, schemas, rules (roles by name); a
    /// folder as `{ name, files }`, its files named `name/relative/path` (as in the npm package).
    pub files: Vec<NamedText>,
    /// A policy file.
    pub policy: Option<NamedText>,
    /// A provider (`aws`, `azure`, `gcp`).
    pub provider: Option<String>,
}

/// A named text, or a named folder of them.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct NamedText {
    pub name: String,
    pub text: String,
    pub files: Vec<NamedText>,
}

impl NamedText {
    /// The page's loaded file or folder.
    pub fn loaded(self) -> crate::model::LoadedFile {
        if self.files.is_empty() {
            return crate::model::LoadedFile::new(self.name, self.text);
        }
        let files = self
            .files
            .into_iter()
            .map(|f| driftwise_engine::Source::new(f.name, f.text));
        crate::model::LoadedFile::folder(self.name, files.collect())
    }
}

/// Tells the host page something happened: a bubbling, composed event on the root, so it
/// reaches `<driftwise-review>` through the shadow root.
pub fn announce(root: &web_sys::Element, name: &str, detail: &JsValue) {
    let init = web_sys::CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(detail);
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = root.dispatch_event(&event);
    }
}

/// A value as plain JavaScript objects and arrays (not `Map`s), as a host page expects.
pub fn to_js(value: &serde_json::Value) -> JsValue {
    use serde::Serialize;
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or(JsValue::NULL)
}
