//! Finding a value by a pointer or a keyed path (`/spec/containers[name=web]/image`), where list
//! items are named by their fields rather than their place; and naming a pointer's list items
//! that way, so a value can be followed while its item moves.

use crate::pointer::{escape_segment, join_pointer, split_pointer};
use crate::tree::{Node, Value};

/// The value at `path` (a JSON Pointer, or a keyed path whose `[field=value,...]` segments pick
/// list items), with its pointer.
pub fn locate<'n>(root: &'n Node, path: &str) -> Option<(String, &'n Node)> {
    if !path.contains('[') {
        return root.pointer(path).map(|n| (path.to_string(), n));
    }
    let mut node = root;
    let mut out = Vec::new();
    for segment in crate::pattern::split_keyed(path) {
        match segment.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
            Some(selector) => {
                let Value::List(items) = &node.value else {
                    return None;
                };
                let (i, item) = items
                    .iter()
                    .enumerate()
                    .find(|(_, item)| selects(item, selector))?;
                out.push(i.to_string());
                node = item;
            }
            None => {
                node = node.pointer(&format!("/{}", escape_segment(&segment)))?;
                out.push(segment);
            }
        }
    }
    Some((join_pointer(&out), node))
}

/// Whether a list item is the one `selector` (`name=web`, `kind=Deployment,name=orders`) names;
/// a field missing from the item is looked for under its `metadata` (Kubernetes names).
pub fn selects(item: &Node, selector: &str) -> bool {
    selector.split(',').all(|part| {
        let Some((field, wanted)) = part.split_once('=') else {
            return false;
        };
        let at = |dotted: &str| {
            let pointer: String = dotted
                .split('.')
                .map(|s| format!("/{}", escape_segment(s)))
                .collect();
            item.pointer(&pointer).map(|n| match &n.value {
                Value::String(s) => s.to_string(),
                other => other.to_json().to_string(),
            })
        };
        at(field)
            .or_else(|| at(&format!("metadata.{field}")))
            .is_some_and(|v| v == wanted)
    })
}

/// `pointer` with each list index replaced by the item's name where the items have unique
/// `name`, `id` or `key` fields (`/services/1/port` → `/services[name=web]/port`).
pub fn keyed_form(root: &Node, pointer: &str) -> String {
    let mut node = root;
    let mut out = String::new();
    for segment in split_pointer(pointer) {
        let next = match &node.value {
            Value::List(items) => {
                let Some(item) = segment.parse::<usize>().ok().and_then(|i| items.get(i)) else {
                    return pointer.to_string();
                };
                let object = |n: &Node| {
                    let text = |p: &str| match n.pointer(p).map(|v| &v.value) {
                        Some(Value::String(s)) => Some(s.to_string()),
                        _ => None,
                    };
                    Some(format!(
                        "kind={},name={}",
                        text("/kind")?,
                        text("/metadata/name")?
                    ))
                };
                // Kubernetes objects by kind and name, other items by a name-like field.
                let kubernetes = object(item).filter(|mine| {
                    items
                        .iter()
                        .filter(|o| object(o).as_deref() == Some(mine.as_str()))
                        .count()
                        == 1
                });
                let named = kubernetes.map(|k| format!("[{k}]")).or_else(|| {
                    ["name", "id", "key"].into_iter().find_map(|field| {
                        let value =
                            |n: &Node| match n.pointer(&format!("/{field}")).map(|v| &v.value) {
                                Some(Value::String(s)) => Some(s.to_string()),
                                Some(v @ Value::Int(_)) => Some(v.to_json().to_string()),
                                _ => None,
                            };
                        let mine = value(item)?;
                        let unique = items
                            .iter()
                            .filter(|other| value(other).as_deref() == Some(mine.as_str()))
                            .count()
                            == 1;
                        unique.then(|| format!("[{field}={mine}]"))
                    })
                });
                match named {
                    Some(label) => out.push_str(&label),
                    None => {
                        out.push('/');
                        out.push_str(&segment);
                    }
                }
                item
            }
            _ => {
                let Some(child) = node.pointer(&format!("/{}", escape_segment(&segment))) else {
                    return pointer.to_string();
                };
                out.push('/');
                out.push_str(&escape_segment(&segment));
                child
            }
        };
        node = next;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::Source;

    fn root(text: &str) -> Node {
        crate::parse(&Source::new("t.yaml", text))
            .unwrap()
            .documents
            .remove(0)
    }

    #[test]
    fn keyed_paths_find_items_by_name_and_pointers_get_names() {
        let r = root(
            "spec:\n  containers:\n    - {name: db, image: pg}\n    - {name: web, image: nginx}\n",
        );
        let (pointer, node) = locate(&r, "/spec/containers[name=web]/image").unwrap();
        assert_eq!(pointer, "/spec/containers/1/image");
        assert_eq!(node.value.to_json(), "nginx");
        assert!(locate(&r, "/spec/containers[name=api]/image").is_none());
        assert_eq!(
            keyed_form(&r, "/spec/containers/1/image"),
            "/spec/containers[name=web]/image"
        );
        let plain = root("zones: [a, b]\n");
        assert_eq!(keyed_form(&plain, "/zones/1"), "/zones/1");
    }
}
