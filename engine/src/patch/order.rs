//! Putting a list's items in another list's order: the items the two share take the other list's
//! order in the places they occupy; items only in this list stay where they are.

use serde_json::Value as J;

/// What an item is known by: its identity fields (dotted paths, as a reordered finding names
/// them), or its whole value when the list is matched by value.
pub(crate) fn item_key(item: &J, identity: Option<&[String]>) -> String {
    match identity {
        Some(fields) => fields
            .iter()
            .map(|f| {
                let mut v = item;
                for part in f.split('.') {
                    v = v.get(part).unwrap_or(&J::Null);
                }
                canonical(v)
            })
            .collect::<Vec<_>>()
            .join("\u{0}"),
        None => canonical(item),
    }
}

/// JSON with object members sorted, so equal values (in any key order) have one text.
fn canonical(v: &J) -> String {
    match v {
        J::Object(map) => {
            let mut members: Vec<(&String, &J)> = map.iter().collect();
            members.sort_by_key(|(k, _)| *k);
            let inner: Vec<String> = members
                .iter()
                .map(|(k, v)| format!("{}:{}", J::String((*k).clone()), canonical(v)))
                .collect();
            format!("{{{}}}", inner.join(","))
        }
        J::Array(items) => format!(
            "[{}]",
            items.iter().map(canonical).collect::<Vec<_>>().join(",")
        ),
        other => other.to_string(),
    }
}

/// The new order of `current` (indexes into it) that puts the items it shares with `wanted` in
/// `wanted`'s order. Repeated items are matched first to first.
pub(crate) fn reorder(current: &[J], wanted: &[J], identity: Option<&[String]>) -> Vec<usize> {
    let current_keys: Vec<String> = current.iter().map(|i| item_key(i, identity)).collect();
    let mut used = vec![false; current.len()];
    let mut in_wanted_order = Vec::new();
    for w in wanted {
        let key = item_key(w, identity);
        if let Some(i) = (0..current.len()).find(|&i| !used[i] && current_keys[i] == key) {
            used[i] = true;
            in_wanted_order.push(i);
        }
    }
    let mut slots = in_wanted_order.clone();
    slots.sort_unstable();
    let mut order: Vec<usize> = (0..current.len()).collect();
    for (slot, item) in slots.into_iter().zip(in_wanted_order) {
        order[slot] = item;
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn shared_items_take_the_wanted_order_in_their_own_places() {
        let current = [json!("a"), json!("x"), json!("b"), json!("c")];
        let wanted = [json!("c"), json!("b"), json!("a")];
        // x (not wanted) keeps its place; a, b, c fill theirs in the wanted order.
        assert_eq!(reorder(&current, &wanted, None), [3, 1, 2, 0]);
        let named = [json!({"name": "web", "v": 1}), json!({"name": "db"})];
        let want = [json!({"name": "db", "v": 9}), json!({"name": "web"})];
        let fields = ["name".to_string()];
        assert_eq!(reorder(&named, &want, Some(&fields)), [1, 0]);
        assert_eq!(
            item_key(&json!({"b": 1, "a": [2]}), None),
            item_key(&json!({"a": [2], "b": 1}), None)
        );
    }
}
