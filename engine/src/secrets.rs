//! Secrets as a property of values. Which values of a file are secret is decided once, on the
//! file's tree: a value under a secret-looking key or matched by the policy's `secrets` patterns
//! (by pointer or keyed path), and the entries of a Kubernetes `Secret`'s `data` and `stringData`.
//! Keys are never secret, nor are the fields that name a list item (`name` of `[name=API_TOKEN]`):
//! keyed paths show those everywhere. Every output that shows a value asks this, so a secret is
//! masked whichever finding, violation, file or patch it turns up in.

use crate::diff::keyed::{Place, walk_passing};
use crate::finding::Finding;
use crate::policy::{MASK, Policy};
use crate::report::Report;
use crate::span::{Span, TextRange};
use crate::tree::{Document, Node, Value};
use crate::violation::Violation;
use serde::{Deserialize, Serialize};
use serde_json::Value as J;
use std::collections::HashMap;

/// Where a file's secret values are, so a view of the file can mask them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SecretSpans {
    /// The file, as findings name it.
    pub file: String,
    /// The secret values' spans (scalars only: the keys and brackets around them stay visible),
    /// in file order.
    pub spans: Vec<Span>,
}

/// One file's secret values: the pointers of the values called secret (each covering what is
/// inside it) and the spans of the scalars they hold.
#[derive(Default)]
pub(crate) struct FileSecrets {
    pointers: Vec<String>,
    spans: Vec<TextRange>,
    /// A one-document file, whose pointers gain a leading `/0` when compared with a stream.
    single_document: bool,
}

impl FileSecrets {
    /// The secret values of `doc`.
    pub(crate) fn find(doc: &Document, policy: &Policy) -> FileSecrets {
        Self::find_passing(doc, policy, true)
    }

    /// [`find`](Self::find), passing over (when `passing`) the scalars that no visit would
    /// call secret: under a key that clears itself, with no secret patterns in the policy, not
    /// a Kubernetes Secret's `data` or `stringData`, in a file that is no device configuration.
    fn find_passing(doc: &Document, policy: &Policy, passing: bool) -> FileSecrets {
        let mut found = FileSecrets {
            single_document: doc.documents.len() == 1,
            ..FileSecrets::default()
        };
        let plain = passing && policy.clears_by_key() && !doc.format.is_device();
        let pass =
            |key: &str| plain && !holds_secret_data(key) && crate::policy::clears_secret(key);
        walk_passing(
            doc,
            policy.align_options(),
            &pass,
            &mut |place: &mut Place<'_, '_, '_>| {
                if place.names_item {
                    return false;
                }
                // A list item named by a secret-looking field (`[name=API_TOKEN]`) is not a secret
                // itself: its fields are looked at one by one (its `value` is, its `name` is not).
                if place.named_item && matches!(place.node.value, Value::Map(_)) {
                    return true;
                }
                let secret = in_kubernetes_secret(place)
                    || policy.is_secret_place(place)
                    || (doc.format.is_device() && crate::device::holds_secret(&place.node.value));
                if !secret {
                    return true;
                }
                found.pointers.push(place.pointer().to_string());
                scalar_spans(place.node, &mut found.spans);
                false
            },
        );
        found.spans.sort_by_key(|s| s.start());
        found
    }

    /// The spans of the secret scalars, in file order.
    pub(crate) fn spans(&self) -> &[TextRange] {
        &self.spans
    }

    /// Whether the value at `pointer` is secret, or inside one.
    fn covers(&self, pointer: &str) -> bool {
        let under = |p: &str| {
            self.pointers
                .iter()
                .any(|s| p == s || (p.starts_with(s.as_str()) && p[s.len()..].starts_with('/')))
        };
        under(pointer) || self.as_document(pointer).is_some_and(under)
    }

    /// The secret values inside the value at `pointer`, relative to it.
    fn inside<'s>(&'s self, pointer: &'s str) -> impl Iterator<Item = &'s str> + 's {
        let pointer = match self.as_document(pointer) {
            Some(p) if !self.pointers.iter().any(|s| s.starts_with(pointer)) => p,
            _ => pointer,
        };
        self.pointers
            .iter()
            .filter_map(move |s| s.strip_prefix(pointer).filter(|rest| rest.starts_with('/')))
    }

    /// The secrets found in `directory` (a directory of one file, `alone` read by itself), with
    /// pointers into that file rather than the directory.
    pub(crate) fn in_file(self, directory: &Document, alone: &Document) -> FileSecrets {
        let stream = directory.documents.len() != 1;
        let locator = crate::tree::Locator::new(directory);
        FileSecrets {
            pointers: self
                .pointers
                .iter()
                .map(|p| locator.locate(p, stream).1.into_owned())
                .collect(),
            spans: self.spans,
            single_document: alone.documents.len() == 1,
        }
    }

    /// A stream-style pointer (`/0/a`) as this one-document file's own (`/a`).
    fn as_document<'p>(&self, pointer: &'p str) -> Option<&'p str> {
        if !self.single_document {
            return None;
        }
        match pointer.strip_prefix("/0") {
            Some(rest) if rest.is_empty() || rest.starts_with('/') => Some(rest),
            _ => None,
        }
    }

    /// Masks the secrets in `value`, the value at `pointer`: the whole of it when it is secret,
    /// else each secret inside it. Whether anything was masked.
    pub(crate) fn mask(&self, pointer: &str, value: &mut J) -> bool {
        if self.covers(pointer) {
            *value = J::String(MASK.into());
            return true;
        }
        let mut masked = false;
        for rest in self.inside(pointer) {
            if let Some(v) = value.pointer_mut(rest) {
                *v = J::String(MASK.into());
                masked = true;
            }
        }
        masked
    }
}

/// The secrets of every file of a check, by file name.
#[derive(Default)]
pub(crate) struct Secrets {
    files: HashMap<String, FileSecrets>,
}

impl Secrets {
    /// The secrets of `docs` under `policy`; none at all when the policy reveals them.
    pub(crate) fn of<'d>(docs: impl IntoIterator<Item = &'d Document>, policy: &Policy) -> Secrets {
        if policy.reveals_secrets() {
            return Secrets::default();
        }
        let docs: Vec<&Document> = docs.into_iter().collect();
        // Every value of every file is looked at: natively, large files on every core.
        let bytes: usize = docs.iter().map(|d| d.text_len()).sum();
        let found = crate::cores::on_cores_above(bytes, docs.len(), &|i| {
            FileSecrets::find(docs[i], policy)
        });
        let files = docs
            .iter()
            .zip(found)
            .map(|(d, s)| {
                (
                    d.name.clone(),
                    s.unwrap_or_else(|| FileSecrets::find(d, policy)),
                )
            })
            .filter(|(_, s)| !s.pointers.is_empty())
            .collect();
        Secrets { files }
    }

    /// Marks the values at `pointers` in `file` secret (an input that says which of its values
    /// are sensitive), wherever `docs` named `file` hold them.
    pub(crate) fn mark<'d>(
        &mut self,
        file: &str,
        pointers: &[String],
        docs: impl IntoIterator<Item = &'d Document>,
    ) {
        if pointers.is_empty() {
            return;
        }
        let found = self.files.entry(file.to_string()).or_default();
        for doc in docs.into_iter().filter(|d| d.name == file) {
            for pointer in pointers {
                if let Some(node) = doc.documents.first().and_then(|r| r.pointer(pointer)) {
                    scalar_spans(node, &mut found.spans);
                }
            }
        }
        found.pointers.extend(pointers.iter().cloned());
        found.spans.sort_by_key(|s| s.start());
        found.spans.dedup();
        found.single_document = true;
    }

    /// Masks the secret values of the report's findings and violations.
    pub(crate) fn mask_report(&self, report: &mut Report) {
        for f in &mut report.findings {
            self.mask_finding(f);
        }
        self.mask_violations(&mut report.violations);
    }

    fn mask_finding(&self, f: &mut Finding) {
        for side in [&mut f.base, &mut f.env].into_iter().flatten() {
            if let Some(file) = self.files.get(&side.file)
                && file.mask(&side.path, &mut side.value)
            {
                f.masked = true;
            }
        }
    }

    /// Masks violations' values at secret places, and the value wherever the message quotes it.
    pub(crate) fn mask_violations(&self, violations: &mut [Violation]) {
        for v in violations {
            let (Some(file), Some(value)) = (self.files.get(&v.file), v.value.as_mut()) else {
                continue;
            };
            let before = value.clone();
            if !file.mask(&v.path, value) {
                continue;
            }
            if file.covers(&v.path) {
                let shown = match &before {
                    J::String(s) => s.clone(),
                    other => other.to_string(),
                };
                if !shown.is_empty() {
                    v.message = v.message.replace(&shown, MASK);
                }
            }
            v.suggestion = None;
        }
    }

    /// Where each file's secrets are.
    /// `docs` are the files' documents: a directory's secrets are named by the directory's file
    /// each is in, since their spans are positions in that file's text.
    pub(crate) fn spans<'d>(
        &self,
        docs: impl IntoIterator<Item = &'d Document>,
    ) -> Vec<SecretSpans> {
        let docs: Vec<&Document> = docs.into_iter().collect();
        let directories: Vec<&Document> = docs
            .iter()
            .copied()
            .filter(|d| !d.origins.is_empty())
            .collect();
        let mut by_file: HashMap<&str, Vec<TextRange>> = HashMap::new();
        for (file, s) in &self.files {
            let Some(doc) = directories.iter().find(|d| d.name == *file) else {
                by_file.entry(file).or_default().extend(&s.spans);
                continue;
            };
            let stream = doc.documents.len() != 1;
            let locator = crate::tree::Locator::new(doc);
            for pointer in &s.pointers {
                if let Some(node) = crate::tree::lookup(doc, stream, pointer) {
                    let file = locator.locate(pointer, stream).0;
                    scalar_spans(node, by_file.entry(file).or_default());
                }
            }
        }
        let mut out: Vec<SecretSpans> = by_file
            .into_iter()
            .map(|(file, mut ranges)| {
                ranges.sort_by_key(|r| r.start());
                ranges.dedup();
                let lines = docs.iter().find_map(|d| d.lines_of(file));
                SecretSpans {
                    file: file.to_string(),
                    spans: ranges
                        .into_iter()
                        .map(|r| lines.map_or_else(|| r.unresolved(), |l| l.span(r)))
                        .collect(),
                }
            })
            .collect();
        out.sort_by(|a, b| a.file.cmp(&b.file));
        out
    }
}

/// `text` with each of `spans` (byte ranges of it, in order, not overlapping) shown as [`MASK`].
pub fn mask_text<S: Copy + Into<TextRange>>(text: &str, spans: &[S]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for span in spans {
        let range = (*span).into().byte_range();
        if range.start < at || range.end > text.len() {
            continue;
        }
        out.push_str(&text[at..range.start]);
        out.push_str(MASK);
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// The spans of every scalar in `node`.
fn scalar_spans(node: &Node, out: &mut Vec<TextRange>) {
    match &node.value {
        Value::Map(map) => map.values().for_each(|m| scalar_spans(&m.value, out)),
        Value::List(items) => items.iter().for_each(|i| scalar_spans(i, out)),
        _ => out.push(node.span),
    }
}

/// Whether `key` is one a Kubernetes `Secret` keeps its values under.
fn holds_secret_data(key: &str) -> bool {
    matches!(key, "data" | "stringData")
}

/// The entries of a Kubernetes `Secret`'s `data` and `stringData`.
fn in_kubernetes_secret(place: &Place<'_, '_, '_>) -> bool {
    let (Some(parent), Some(key)) = (place.parent, place.key) else {
        return false;
    };
    if !holds_secret_data(key) {
        return false;
    }
    let Value::Map(object) = &parent.value else {
        return false;
    };
    let text = |k: &str| match object.get(k).map(|m| &m.value.value) {
        Some(Value::String(s)) => Some(s.as_str()),
        _ => None,
    };
    text("kind") == Some("Secret") && text("apiVersion") == Some("v1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;
    use crate::tree::Source;

    fn secrets(name: &str, text: &str) -> (FileSecrets, String) {
        let doc = parse(&Source::new(name, text)).unwrap();
        let found = FileSecrets::find(&doc, &Policy::default());
        let masked = mask_text(text, &found.spans);
        (found, masked)
    }

    fn json_value() -> impl proptest::strategy::Strategy<Value = J> {
        use proptest::prelude::*;
        let key = prop_oneof![
            Just("name"),
            Just("value"),
            Just("data"),
            Just("stringData"),
            Just("password"),
            Just("apiKey"),
            Just("host"),
            Just("0"),
            Just(""),
            Just("a/token"),
            Just("kind"),
            Just("apiVersion"),
        ]
        .prop_map(str::to_string);
        let leaf = prop_oneof![
            Just(J::from("Secret")),
            Just(J::from("v1")),
            Just(J::from("DB_PASSWORD")),
            (0u32..3).prop_map(J::from),
            Just(J::Null),
        ];
        leaf.prop_recursive(4, 40, 5, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(J::Array),
                prop::collection::btree_map(key.clone(), inner.clone(), 0..5)
                    .prop_map(|m| J::Object(m.into_iter().collect())),
                // A Kubernetes Secret, whose `data` and `stringData` are secret whatever they hold.
                (inner.clone(), inner).prop_map(|(data, string_data)| {
                    serde_json::json!({
                        "apiVersion": "v1", "kind": "Secret", "data": data, "stringData": string_data
                    })
                }),
            ]
        })
    }

    proptest::proptest! {
        /// Passing over the scalars a key clears finds the secrets visiting every value finds.
        #[test]
        fn passing_over_cleared_scalars_finds_every_secret(
            documents in proptest::collection::vec(json_value(), 1..3),
        ) {
            let text: String = documents.iter().map(|d| format!("---\n{d}\n")).collect();
            let doc = parse(&Source::new("x.yaml", text)).unwrap();
            let policy = Policy::default();
            let passing = FileSecrets::find_passing(&doc, &policy, true);
            let visiting = FileSecrets::find_passing(&doc, &policy, false);
            proptest::prop_assert_eq!(&passing.pointers, &visiting.pointers);
            proptest::prop_assert_eq!(&passing.spans, &visiting.spans);
        }
    }

    #[test]
    fn secret_values_are_found_by_key_by_item_name_and_by_kind() {
        let (_, masked) = secrets(
            "deploy.yaml",
            "env:\n  - name: DB_PASSWORD\n    value: hunter2\n  - name: LOG_LEVEL\n    value: info\n\
             db:\n  password: {old: a1, new: b2}\n  host: db.internal\n",
        );
        assert_eq!(
            masked,
            "env:\n  - name: DB_PASSWORD\n    value: ********\n  - name: LOG_LEVEL\n    value: info\n\
             db:\n  password: {old: ********, new: ********}\n  host: db.internal\n"
        );
        let (_, masked) = secrets(
            "secret.yaml",
            "apiVersion: v1\nkind: Secret\nmetadata: {name: tls}\ndata:\n  tls.crt: QUJD\n",
        );
        assert!(masked.contains("tls.crt: ********") && masked.contains("name: tls"));
        let (_, masked) = secrets("a.json", "{\"api_token\": \"hunter2\", \"port\": 80}");
        assert_eq!(masked, "{\"api_token\": ********, \"port\": 80}");
    }

    #[test]
    fn values_at_and_inside_secrets_are_masked_keys_never() {
        let (found, _) = secrets("a.yaml", "db:\n  password: x\n  host: h\n");
        let mut whole = serde_json::json!({"password": "x", "host": "h"});
        assert!(found.mask("/db", &mut whole));
        assert_eq!(whole, serde_json::json!({"password": MASK, "host": "h"}));
        let mut leaf = serde_json::json!("x");
        assert!(found.mask("/db/password", &mut leaf));
        assert_eq!(leaf, serde_json::json!(MASK));
        let mut other = serde_json::json!("h");
        assert!(!found.mask("/db/host", &mut other));
        let mut streamed = serde_json::json!("x");
        assert!(
            found.mask("/0/db/password", &mut streamed),
            "as one document of a stream"
        );
    }
}
