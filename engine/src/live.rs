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

/// The API group of an `apiVersion`: `apps/v1` → `apps`, `v1` → `""` (the core group).
pub(crate) fn api_group(api_version: &str) -> &str {
    api_version.rsplit_once('/').map_or("", |(group, _)| group)
}

/// A parsed input as it is compared: a `List` whose items are all objects, read as those objects,
/// and no two objects with one identity.
pub(crate) fn compared(doc: Document) -> crate::error::Result<Document> {
    require_object_items(&doc)?;
    let doc = as_compared(doc);
    require_unique_objects(&doc)?;
    Ok(doc)
}

/// Refuses a `kind: List` whose items are not all Kubernetes objects (maps with a `kind`), at the
/// first that is not.
fn require_object_items(doc: &Document) -> crate::error::Result<()> {
    let Some(items) = items_of(doc) else {
        return Ok(());
    };
    for (i, item) in items.iter().enumerate() {
        let is_object = matches!(&item.value, Value::Map(m) if m.contains_key("kind"));
        if !is_object {
            let what = match &item.value {
                Value::Map(_) => "a map without a kind".to_string(),
                other => format!("a {}", other.value_type()),
            };
            return Err(crate::error::Error::new(
                crate::error::ErrorKind::Usage,
                format!("items[{i}] of this List is {what}, not a Kubernetes object"),
            )
            .in_file(doc.name.clone())
            .at(doc.pos_in(&doc.name, item.span.start())));
        }
    }
    Ok(())
}

/// Refuses a stream (or `List`, or directory) holding two Kubernetes objects with one identity
/// (API group, kind, namespace, name): matched by identity, one would hide the other. The error
/// is at the second, naming the first.
fn require_unique_objects(doc: &Document) -> crate::error::Result<()> {
    if doc.documents.len() < 2 {
        return Ok(());
    }
    let text = |node: &Node, pointer: &str| match node.pointer(pointer).map(|n| &n.value) {
        Some(Value::String(s)) => Some(s.to_string()),
        _ => None,
    };
    // By identity, for a List or a folder of thousands of objects (a scan of the ones before each
    // made a 3,000-object List take a second).
    let mut seen: std::collections::HashMap<(String, String, String, String), usize> =
        std::collections::HashMap::with_capacity(doc.documents.len());
    for (i, node) in doc.documents.iter().enumerate() {
        let (Some(version), Some(kind), Some(name)) = (
            text(node, "/apiVersion"),
            text(node, "/kind"),
            text(node, "/metadata/name"),
        ) else {
            continue;
        };
        let group = api_group(&version).to_string();
        let namespace = text(node, "/metadata/namespace").unwrap_or_default();
        let identity = (group, kind.clone(), namespace.clone(), name.clone());
        if let Some(&first) = seen.get(&identity) {
            let earlier = &doc.documents[first];
            let earlier_file = doc.file_at(&format!("/{first}"));
            let earlier_at = doc.pos_in(earlier_file, earlier.span.start());
            let file = doc.file_at(&format!("/{i}"));
            let shown = if namespace.is_empty() {
                name
            } else {
                format!("{namespace}/{name}")
            };
            return Err(crate::error::Error::new(
                crate::error::ErrorKind::Usage,
                format!(
                    "a second {kind} {shown} (the first is at {}:{}:{}): objects are matched by identity, so one would hide the other",
                    earlier_file, earlier_at.line, earlier_at.column
                ),
            )
            .in_file(file.to_string())
            .at(doc.pos_in(file, node.span.start())));
        }
        seen.insert(identity, i);
    }
    Ok(())
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
