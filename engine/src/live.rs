//! Live state as the tools print it. `kubectl get -o yaml` (or `-o json`) prints several objects
//! as one `kind: List` whose `items` are the objects: compared, those items are the documents, as
//! if the objects had been written as a stream, so they match a manifest's by identity.

use crate::tree::{Document, Node, Value};

/// Whether a document is a Kubernetes `List` of objects.
pub(crate) fn is_list(doc: &Document) -> bool {
    items_of(doc).is_some()
}

fn items_of(doc: &Document) -> Option<&[Node]> {
    let [root] = doc.documents.as_slice() else {
        return None;
    };
    let Value::Map(map) = &root.value else {
        return None;
    };
    let kind = map.get("kind").map(|m| &m.value.value);
    let version = map.get("apiVersion").map(|m| &m.value.value);
    let is_list = matches!(kind, Some(Value::String(k)) if k == "List")
        && matches!(version, Some(Value::String(v)) if v == "v1");
    match map.get("items").map(|m| &m.value.value) {
        Some(Value::List(items)) if is_list => Some(items),
        _ => None,
    }
}

/// The document as it is compared: a `List`'s items as documents, anything else as it is.
pub(crate) fn as_compared(doc: Document) -> Document {
    match items_of(&doc) {
        Some(items) => Document {
            documents: items.to_vec(),
            ..doc
        },
        None => doc,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;
    use crate::tree::Source;

    #[test]
    fn a_kubectl_list_is_compared_as_its_items() {
        let text = "apiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n  - {apiVersion: v1, kind: ConfigMap, metadata: {name: b}}\nmetadata: {resourceVersion: \"\"}\n";
        let doc = parse(&Source::new("live.yaml", text)).unwrap();
        assert!(is_list(&doc));
        let compared = as_compared(doc);
        assert_eq!(compared.documents.len(), 2);
        assert_eq!(
            &text[compared.documents[1].span.byte_range()],
            "{apiVersion: v1, kind: ConfigMap, metadata: {name: b}}"
        );
        let plain = parse(&Source::new("a.yaml", "kind: List\nitems: [1]\n")).unwrap();
        assert!(
            !is_list(&plain),
            "not a Kubernetes List without apiVersion v1"
        );
    }
}
